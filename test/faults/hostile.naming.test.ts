// Hostile inputs: names that try to steer where the export lands. Segment and
// project names with "../", absolute paths, reserved names (con, nul),
// 300-character names and control characters go through the whole naming path
// the shell uses (checkExportFolder -> exportFileName -> isInside) and, for the
// simulator's hostileText session, through a real export: the file always ends
// up directly inside the chosen folder.
import * as assert from 'node:assert/strict';
import { mkdirSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { exportFileName } from '../../src/core/export/fileName';
import { checkExportFolder, isInside } from '../../src/core/export/folder';
import { buildTimeline } from '../../src/core/timeline/build';
import { HOSTILE } from '../../sim/server';
import { hostileIt } from './support/ledger';
import { assertPlainMessage } from './support/userView';
import { GENERATE, World } from './support/world';

const WHEN = new Date(2026, 10, 24, 5, 12);

/** Every string anywhere in a JSON value (the draft's names, texts and titles as the backend sent them). */
function rawStrings(v: unknown, depth = 0): string[] {
  if (typeof v === 'string') return [v];
  if (depth > 20 || typeof v !== 'object' || v === null) return [];
  return Object.values(v).flatMap((x) => rawStrings(x, depth + 1));
}
const WINDOWS_RESERVED_STEM = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\.|$)/i;

/** What the shell does with a title and the exportFolder setting (src/export/exportTarget.ts, lexically). */
function exportPath(root: string, setting: string, title: string | undefined): { ok: true; dir: string; file: string } | { ok: false; message: string } {
  const check = checkExportFolder(setting);
  if (!check.ok) return { ok: false, message: check.message };
  const dir = path.join(root, ...check.segments);
  const file = path.join(dir, exportFileName(title, WHEN));
  return isInside(root, file) ? { ok: true, dir, file } : { ok: false, message: 'outside' };
}

function assertSafeName(name: string): void {
  assert.match(name, /\.mp4$/, `ends in .mp4: ${JSON.stringify(name)}`);
  assert.doesNotMatch(name, /[\\/]/, `no path separator: ${JSON.stringify(name)}`);
  assert.doesNotMatch(name, /[<>:"|?*]/, `nothing Windows refuses: ${JSON.stringify(name)}`);
  assert.doesNotMatch(name, /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u, `no control or bidi characters: ${JSON.stringify(name)}`);
  assert.doesNotMatch(name, /^[.\s]|[.\s]\.mp4$/, `no leading dot/space, no trailing dot/space: ${JSON.stringify(name)}`);
  assert.doesNotMatch(name, WINDOWS_RESERVED_STEM, `not a reserved device name: ${JSON.stringify(name)}`);
  assert.ok(Buffer.byteLength(name, 'utf8') <= 200, `short enough for any file system even with " (9999)": ${Buffer.byteLength(name)} bytes`);
}

/** Every accepted setting puts the file directly in its folder, inside the root. */
function assertLandsInside(root: string, title: string | undefined): void {
  const settings = ['videos', 'out/videos', '${workspaceFolder}/exports', '.', ''];
  for (const setting of settings) {
    const r = exportPath(root, setting, title);
    assert.ok(r.ok, `setting ${JSON.stringify(setting)} with title ${JSON.stringify(title)}`);
    assert.equal(path.dirname(r.file), r.dir, 'the file sits directly in the export folder');
    assert.ok(isInside(root, r.file));
    assertSafeName(path.basename(r.file));
  }
}

const HOSTILE_TITLES: Array<[string, string | undefined]> = [
  ['parent traversal', HOSTILE.pathTraversal],
  ['Windows parent traversal', '..\\..\\Windows\\win.ini'],
  ['absolute POSIX path', '/etc/passwd'],
  ['drive path', 'C:\\Windows\\System32\\drivers\\etc\\hosts'],
  ['UNC path', '\\\\server\\share\\video'],
  ['reserved name con', HOSTILE.reservedName],
  ['reserved name NUL with extension', 'NUL.mp4'],
  ['reserved name com1', 'com1'],
  ['reserved name with trailing dot and space', 'CON .'],
  ['300-character name', HOSTILE.longName],
  ['300 CJK characters', '日本語の動画'.repeat(50)],
  ['emoji only', '🎬'.repeat(120)],
  ['control characters', HOSTILE.controlChars],
  ['right-to-left override', 'invoice\u202Egpj.mp4'],
  ['NUL byte', 'video.mp4\u0000.exe'],
  ['script payload', HOSTILE.scriptBreakout],
  ['just dots', '..'],
  ['empty', ''],
  ['missing', undefined],
];

const HOSTILE_FOLDERS: string[] = [
  '../outside',
  'videos/../../x',
  '/etc',
  'C:\\Users\\Public',
  '\\\\server\\share',
  '~/videos',
  'file:///etc',
  'con',
  'videos/nul',
  'a'.repeat(300),
  'vid\u0000eos',
  'vid\neos',
  '．．/x',
  '%APPDATA%',
];

describe('hostile inputs: export names and folders', () => {
  const root = path.resolve('/ws/project');

  for (const [label, title] of HOSTILE_TITLES) {
    hostileIt(`title with ${label}: the export stays inside the chosen folder`, async () => {
      assertLandsInside(root, title);
    });
  }

  for (const setting of HOSTILE_FOLDERS) {
    hostileIt(`export folder ${JSON.stringify(setting.length > 40 ? `${setting.slice(0, 20)}…` : setting)} is refused in plain words`, async () => {
      const r = exportPath(root, setting, 'My video');
      assert.ok(!r.ok, 'refused');
      assert.match(r.message, /nemoVideo\.exportFolder/);
      assertPlainMessage(r.message.replace(/'[^']*'/, "'…'"));
      assert.doesNotMatch(r.message, /[\u0000-\u001f]/, 'control characters are escaped in the message');
    });
  }

  hostileIt('hostile titles from a real state reply, exported for real: one file, inside the folder', async () => {
    const w = await World.start();
    try {
      const h = w.host;
      w.sim.addScenario({ name: 'hostileText' });
      const { sessionId } = await h.newSession();
      const outcome = await h.startRun(sessionId, GENERATE).outcome;
      assert.equal(outcome.status, 'done');
      const state = await h.state(sessionId);
      const timeline = buildTimeline(state.draft);
      // Both the raw strings of the reply and the labels the timeline shows (those are already cleaned and capped).
      const titles = [state.taskName, timeline.title, ...timeline.tracks.flatMap((t) => t.segments.map((s) => s.label)), ...rawStrings(state.draft)];
      assert.ok(titles.includes(HOSTILE.pathTraversal), 'the reply really carried "../../etc/passwd"');
      assert.ok(titles.some((t) => t?.includes(HOSTILE.longName)), 'and the 300-character name');
      assert.ok(titles.includes(HOSTILE.reservedName), 'and "con"');
      for (const t of titles) assertLandsInside(w.exportDir, t);

      // The real export, named after the hostile project title (the download even sends a hostile Content-Disposition).
      const target = exportPath(w.exportDir, 'videos', timeline.title);
      assert.ok(target.ok);
      mkdirSync(target.dir, { recursive: true });
      const r = await h.render({ sessionId, destPath: target.file, title: timeline.title });
      assert.equal(r.filePath, target.file);
      assert.deepEqual(readdirSync(target.dir), [path.basename(target.file)]);
      assert.deepEqual(readdirSync(w.root).sort(), ['export', 'work'], 'nothing was written next to the export folder');
      assert.deepEqual(readdirSync(w.exportDir), ['videos']);
    } finally {
      await w.dispose();
    }
  });
});
