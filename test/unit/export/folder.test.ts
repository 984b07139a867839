import * as assert from 'node:assert/strict';
import { checkExportFolder, isInside, type FolderCheck } from '../../../src/core/export/folder';

type Reason = Extract<FolderCheck, { ok: false }>['reason'];

describe('checkExportFolder', () => {
  const accepted: Array<[string, string[]]> = [
    ['videos', ['videos']],
    ['videos/', ['videos']],
    ['./videos', ['videos']],
    ['videos/2026/november', ['videos', '2026', 'november']],
    ['videos\\2026', ['videos', '2026']],
    ['videos//2026/./x', ['videos', '2026', 'x']],
    ['  videos  ', ['videos']],
    ['', ['videos']], // a cleared setting means the default
    ['   ', ['videos']],
    ['.', []], // the workspace folder itself
    ['./', []],
    ['${workspaceFolder}/videos', ['videos']],
    ['${workspaceFolder}', []],
    ['视频', ['视频']],
    ['my videos', ['my videos']],
    ['..videos', ['..videos']], // a name that starts with dots is still a name
    ['v..x', ['v..x']],
    ['.hidden', ['.hidden']],
    ['console', ['console']], // only the exact reserved names are reserved
    ['cafe\u0301', ['café']],
  ];
  for (const [setting, segments] of accepted) {
    it(`accepts ${JSON.stringify(setting)}`, () => {
      assert.deepEqual(checkExportFolder(setting), { ok: true, segments });
    });
  }

  const refused: Array<[string, Reason]> = [
    ['../x', 'parent'],
    ['..', 'parent'],
    ['..\\x', 'parent'],
    ['videos/../..', 'parent'],
    ['videos/../x', 'parent'],
    ['a\\..\\b', 'parent'],
    ['...', 'parent'],
    ['videos/.../x', 'parent'],
    ['.. /x', 'parent'],
    ['．．/x', 'parent'], // full-width dots normalise to ".."
    ['/etc', 'absolute'],
    ['/', 'absolute'],
    ['//server/share', 'absolute'],
    ['\\\\server\\share\\x', 'absolute'],
    ['\\x', 'absolute'],
    ['C:\\x', 'absolute'],
    ['c:/x', 'absolute'],
    ['C:', 'absolute'],
    ['C:x', 'absolute'],
    ['Ｃ：\\x', 'absolute'],
    ['~', 'absolute'],
    ['~/videos', 'absolute'],
    ['~root/x', 'absolute'],
    ['file:///etc', 'absolute'],
    ['vscode-remote://x/y', 'absolute'],
    ['vid\u0000eos', 'invalid'],
    ['vid\neos', 'invalid'],
    ['vid\u001beos', 'invalid'],
    ['videos\u202E', 'invalid'],
    ['a\uFF0F..', 'invalid'], // full-width solidus
    ['con', 'invalid'],
    ['videos/NUL', 'invalid'],
    ['aux.txt', 'invalid'],
    ['com1', 'invalid'],
    ['LPT9/x', 'invalid'],
    ['a:b/c', 'absolute'], // drive-relative on Windows
    ['videos/a:b', 'invalid'], // NTFS alternate data stream
    ['what?', 'invalid'],
    ['a*b', 'invalid'],
    ['a|b', 'invalid'],
    ['"videos"', 'invalid'],
    ['videos./x', 'invalid'],
    ['videos /x', 'invalid'],
    ['$HOME/videos', 'invalid'],
    ['${env:HOME}', 'invalid'],
    ['%APPDATA%\\x', 'invalid'],
    ['x'.repeat(300), 'invalid'],
    ['a/'.repeat(40), 'invalid'],
    ['x'.repeat(2000), 'invalid'],
  ];
  for (const [setting, reason] of refused) {
    it(`refuses ${JSON.stringify(setting.length > 40 ? setting.slice(0, 40) + '…' : setting)} (${reason})`, () => {
      const result = checkExportFolder(setting);
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.equal(result.reason, reason);
      assert.match(result.message, /nemoVideo\.exportFolder/);
      assert.match(result.message, /'videos'/);
      assert.ok(!/[\u0000-\u001f]/.test(result.message), 'control characters are escaped in the message');
      assert.ok(result.message.length < 400);
    });
  }

  it('explains ../x in plain words', () => {
    assert.deepEqual(checkExportFolder('../x'), {
      ok: false,
      reason: 'parent',
      message: "The export folder must be inside the workspace folder: '../x' points outside it. Change nemoVideo.exportFolder to a relative path such as 'videos'.",
    });
  });

  it('refuses a non-string setting without throwing', () => {
    assert.equal(checkExportFolder(undefined as unknown as string).ok, false);
    assert.equal(checkExportFolder(42 as unknown as string).ok, false);
  });
});

describe('isInside', () => {
  /** [parent, the paths inside it, the paths not inside it]; WHY says what a case is about. */
  const CASES: Array<[string, string[], string[]]> = [
    ['/ws', ['/ws/videos', '/ws/videos/a/b', '/ws', '/ws/..foo'], ['/ws-evil', '/ws-evil/videos', '/', '/etc', '/ws/../etc', '/ws/videos/../../etc', '/WS/videos', 'ws/videos', '', '/ws/\u0000x']],
    ['/ws/', ['/ws/videos/'], []],
    ['/', ['/etc'], []],
    ['', [], ['/ws']],
    ['C:\\WS', ['c:\\ws\\videos'], []],
    ['C:\\ws', ['C:/ws/videos', '\\\\?\\C:\\ws\\videos'], ['C:\\ws-evil', 'D:\\ws', 'C:\\ws\\..\\x', '\\\\srv\\share\\ws']],
    ['C:\\ws\\', ['C:\\ws'], []],
    ['\\\\srv\\share\\ws', ['\\\\srv\\share\\ws\\videos', '\\\\?\\UNC\\srv\\share\\ws\\x'], ['\\\\srv\\other\\ws\\videos']],
    ['C:\\', ['C:\\anything'], []],
  ];
  const WHY: Record<string, string> = {
    '/WS/videos': 'posix is case-sensitive',
    'ws/videos': 'relative paths are never inside',
    'c:\\ws\\videos': 'win32 is case-insensitive',
    'C:/ws/videos': 'both slash kinds',
    '\\\\?\\C:\\ws\\videos': 'long-path prefix',
  };
  const table = CASES.flatMap(([parent, inside, notInside]) => [...inside.map((c) => [parent, c, true] as const), ...notInside.map((c) => [parent, c, false] as const)]);
  for (const [parent, child, inside] of table) {
    const why = WHY[child];
    it(`${JSON.stringify(child)} in ${JSON.stringify(parent)}: ${inside}${why ? ` (${why})` : ''}`, () => {
      assert.equal(isInside(parent, child), inside);
    });
  }

  it('honours explicit options', () => {
    assert.equal(isInside('/Users/me/ws', '/users/me/WS/videos', { caseInsensitive: true }), true);
    assert.equal(isInside('C:\\ws', 'C:\\WS\\x', { platform: 'win32' }), true);
    assert.equal(isInside('/ws', '\\ws\\x', { platform: 'win32' }), true, 'forced win32 reads both slash kinds');
    assert.equal(isInside('/ws', '/ws/x', { platform: 'posix' }), true);
  });
});
