// Edges of the export-folder confinement (core/export/folder.ts) that mutation testing
// (issue 12) found unguarded: the limits at their exact values, the message a user reads
// for each kind of refusal, names that only look like the refused forms, non-string and
// relative inputs to isInside, and the error a refused folder carries.
import * as assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { assertInsideOnDisk, checkExportFolder, isInside, OutsideWorkspaceError, recheckSavedFolder } from '../../../src/core/export/folder';

function refusal(setting: string) {
  const result = checkExportFolder(setting);
  assert.equal(result.ok, false, `${JSON.stringify(String(setting).slice(0, 60))} was accepted`);
  if (result.ok) throw new Error('unreachable');
  return result;
}

function accepted(setting: string): string[] {
  const result = checkExportFolder(setting);
  assert.ok(result.ok, `${JSON.stringify(setting.slice(0, 60))} was refused: ${result.ok ? '' : result.message}`);
  return result.segments;
}

const INSIDE = /^The export folder must be inside the workspace folder: '/;
const UNUSABLE = /^The export folder setting cannot be used: '/;

describe('checkExportFolder: limits and messages (mutation tests)', () => {
  it('each kind of refusal says why, in its own words', () => {
    const cases: Array<[string, 'absolute' | 'parent' | 'invalid', RegExp, RegExp]> = [
      ['/etc', 'absolute', INSIDE, /'\/etc' is an absolute path\./],
      ['C:\\x', 'absolute', INSIDE, /is a drive path\./],
      ['file:///etc', 'absolute', INSIDE, /is a URI, not a folder name\./],
      ['~/videos', 'absolute', INSIDE, /points into a home folder\./],
      ['../x', 'parent', INSIDE, /points outside it\./],
      ['$HOME/videos', 'invalid', UNUSABLE, /uses a variable, and variables are not expanded here\./],
      ['vid\neos', 'invalid', UNUSABLE, /contains control characters\./],
      ['a\u2215b', 'invalid', UNUSABLE, /contains characters that look like path separators\./],
      ['a/'.repeat(33), 'invalid', UNUSABLE, /is nested too deeply\./],
      ['what?', 'invalid', UNUSABLE, /contains a character that is not allowed in folder names \(< > : " \| \? \*\)\./],
      ['videos./x', 'invalid', UNUSABLE, /has a folder name ending in a dot or space, which Windows cannot keep\./],
      ['videos/NUL.txt', 'invalid', UNUSABLE, /contains 'NUL\.txt', a folder name Windows reserves\./],
      ['é'.repeat(128), 'invalid', UNUSABLE, /has a folder name longer than 255 bytes\./],
      [('a'.repeat(200) + '/').repeat(6), 'invalid', UNUSABLE, /is too long\./],
    ];
    for (const [setting, reason, prefix, why] of cases) {
      const r = refusal(setting);
      assert.equal(r.reason, reason, setting);
      assert.match(r.message, prefix, setting);
      assert.match(r.message, why, setting);
      assert.match(r.message, / Change nemoVideo\.exportFolder to a relative path such as 'videos'\.$/);
    }
  });

  it('a non-string setting is refused as not text', () => {
    const r = refusal(42 as unknown as string);
    assert.equal(r.reason, 'invalid');
    assert.equal(r.message, "The export folder setting cannot be used: '42' is not text. Change nemoVideo.exportFolder to a relative path such as 'videos'.");
  });

  it('1000 characters are allowed, 1001 are too long (even when every folder name is fine)', () => {
    const thousand = 'a'.repeat(200) + ('/' + 'a'.repeat(199)).repeat(4);
    assert.equal(thousand.length, 1000);
    assert.equal(accepted(thousand).length, 5);
    assert.match(refusal(thousand + 'a').message, /is too long/);
  });

  it('32 levels are allowed, 33 are nested too deeply', () => {
    assert.equal(accepted('a/'.repeat(32)).length, 32);
    assert.match(refusal('a/'.repeat(33)).message, /nested too deeply/);
  });

  it('a folder name of 255 bytes is allowed, 256 bytes is too long (bytes, not characters)', () => {
    assert.deepEqual(accepted('x'.repeat(255)), ['x'.repeat(255)]);
    assert.match(refusal('x'.repeat(256)).message, /longer than 255 bytes/);
    assert.deepEqual(accepted('é'.repeat(127) + 'x'), ['é'.repeat(127) + 'x']);
    assert.match(refusal('é'.repeat(127) + 'xy').message, /longer than 255 bytes/);
  });

  it('look-alike separators are refused even where no other rule would catch them', () => {
    for (const s of ['a\u2215b', 'a\u2044b', 'a\u29F8b', 'a\u29F9b', 'a\uFE68b', 'a\u2216b', 'a\uFF0Fb', 'a\uFF3Cb']) {
      assert.equal(refusal(s).reason, 'invalid', s);
    }
  });

  it('names that merely contain a refused form are ordinary names', () => {
    assert.deepEqual(accepted('videos/~'), ['videos', '~']);
    assert.deepEqual(accepted('videos/~/x'), ['videos', '~', 'x']);
    assert.deepEqual(accepted('a~b'), ['a~b']);
    assert.deepEqual(accepted('videos$2026'), ['videos$2026']);
    assert.deepEqual(accepted('falcon'), ['falcon']);
    assert.deepEqual(accepted('videos/bacon.d'), ['videos', 'bacon.d']);
  });

  it('home folders of any user, and variables after a separator, are refused', () => {
    assert.equal(refusal('~u/videos').reason, 'absolute');
    assert.equal(refusal('~root').reason, 'absolute');
    assert.match(refusal('videos/$HOME').message, /uses a variable/);
    assert.match(refusal('videos\\$HOME').message, /uses a variable/);
    assert.match(refusal('videos/${workspaceFolder}').message, /uses a variable/);
  });

  it('a name ending in dots is a bad name, not a way out; reserved names count with spaces around them', () => {
    const dots = refusal('videos/a..');
    assert.equal(dots.reason, 'invalid');
    assert.match(dots.message, /ending in a dot or space/);
    assert.equal(refusal('videos/. /x').reason, 'invalid');
    assert.match(refusal('videos/ nul').message, /a folder name Windows reserves/);
  });

  it('the setting is shown with control characters escaped, and cut after 79 characters', () => {
    assert.match(refusal('vid\neos').message, /'vid\\u000aeos'/);
    assert.match(refusal('a\u202Eb').message, /'a\\u202eb'/);
    const at80 = 'a'.repeat(79) + '?';
    assert.ok(refusal(at80).message.includes(`'${at80}'`));
    const at81 = 'a'.repeat(80) + '?';
    const message = refusal(at81).message;
    assert.ok(message.includes(`'${'a'.repeat(79)}…'`), message);
  });
});

describe('isInside: edges (mutation tests)', () => {
  it('anything that is not text is never inside (and does not throw)', () => {
    assert.equal(isInside(undefined as unknown as string, '/ws/x'), false);
    assert.equal(isInside('/ws', undefined as unknown as string), false);
    assert.equal(isInside(null as unknown as string, null as unknown as string), false);
    assert.equal(isInside(42 as unknown as string, '/ws'), false);
  });

  it('a relative path is never inside, not even below the current directory', () => {
    assert.equal(isInside(process.cwd(), 'videos'), false);
    assert.equal(isInside('.', path.join(process.cwd(), 'videos')), false);
    assert.equal(isInside('ws', 'ws/videos'), false);
  });

  it('names ending or containing dots, colons or backslashes are names inside on POSIX', () => {
    assert.equal(isInside('/ws', '/ws/a..'), true);
    assert.equal(isInside('/ws', '/ws/x../y'), true);
    assert.equal(isInside('/ws', '/ws/a:/b'), true);
    assert.equal(isInside('/ws', '/ws/x\\\\..\\\\..\\\\y'), true);
  });

  it('Windows: a forward-slash UNC path is read as Windows, and doubled separators with . are normalised', () => {
    assert.equal(isInside('\\\\srv\\share\\ws', '//srv/share/ws/videos'), true);
    assert.equal(isInside('\\\\srv\\share\\ws', '//srv/share/other'), false);
    assert.equal(isInside('C:\\ws', 'C:\\ws\\\\.\\videos'), true);
  });
});

describe('assertInsideOnDisk / recheckSavedFolder: edges (mutation tests)', () => {
  let base: string;
  beforeEach(() => {
    base = realpathSync(mkdtempSync(path.join(tmpdir(), 'nemo-folder-mut-')));
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it('the error names both places and is recognisable by name', async () => {
    const ws = path.join(base, 'ws');
    const err = await assertInsideOnDisk(path.join(base, 'elsewhere'), ws).then(
      () => assert.fail('accepted'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof OutsideWorkspaceError);
    assert.equal(err.name, 'OutsideWorkspaceError');
    assert.equal(err.root, ws);
    assert.equal(err.message, `The export folder is really at ${path.join(base, 'elsewhere')}, outside the workspace folder ${ws}`);
  });

  it('a workspace folder that does not exist (yet) is refused, and the error still names it', async () => {
    const ws = path.join(base, 'missing-ws');
    const err = await assertInsideOnDisk(path.join(ws, 'videos'), ws).then(
      () => assert.fail('accepted'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof OutsideWorkspaceError);
    assert.equal(err.root, ws);
    assert.ok(err.message.endsWith(`outside the workspace folder ${ws}`), err.message);
  });

  it('another scheme on the same host is another place', async () => {
    await assert.rejects(recheckSavedFolder('vscode-vfs://box/ws/videos', 'vscode-remote://box/ws'), OutsideWorkspaceError);
    await recheckSavedFolder('vscode-remote://box/ws/videos', 'vscode-remote://box/ws');
  });

  it('a workspace folder at the root of a remote host holds every folder on that host', async () => {
    await recheckSavedFolder('vscode-remote://box/home/me/videos', 'vscode-remote://box');
    await assert.rejects(recheckSavedFolder('vscode-remote://other/home/me/videos', 'vscode-remote://box'), OutsideWorkspaceError);
  });
});
