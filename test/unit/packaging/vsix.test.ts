// What the .vsix ships, as vsce itself lists it (the same file selection
// `npm run package` uses): the three bundles, media, the l10n bundles, the
// manifest and its translations, README, CHANGELOG and LICENSE - and nothing
// else (no sources, source maps, tests, node_modules or test stack).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const BUNDLES = ['dist/extension.js', 'dist/webview.js', 'dist/sim.js'];
const TOP_LEVEL = ['package.json', 'package.nls.json', 'package.nls.zh-cn.json', 'README.md', 'CHANGELOG.md', 'LICENSE'];

function filesUnder(rel: string): string[] {
  return fs.readdirSync(path.join(ROOT, rel), { withFileTypes: true }).flatMap((e) => {
    const p = `${rel}/${e.name}`;
    return e.isDirectory() ? filesUnder(p) : [p];
  });
}

function run(args: string[]): string {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] });
  assert.equal(r.status, 0, `node ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

describe('the .vsix contents (vsce ls)', function () {
  this.timeout(180_000);
  let listed: string[];

  before(() => {
    // vsce lists what exists: build the bundles first when a clean checkout has none.
    if (BUNDLES.some((b) => !fs.existsSync(path.join(ROOT, b)))) run(['esbuild.mjs', '--production']);
    const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
    listed = run([vsce, 'ls', '--no-dependencies'])
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '')
      .sort();
  });

  it('lists exactly the bundles, media, l10n, manifest files, README, CHANGELOG and LICENSE', () => {
    const expected = [...BUNDLES, ...TOP_LEVEL, ...filesUnder('media'), ...filesUnder('l10n')].sort();
    assert.deepEqual(listed, expected);
  });

  it('ships no sources, maps, tests, dependencies or test stack', () => {
    const forbidden = listed.filter(
      (f) => /^(src|sim|webview|test|out|scripts|bench|docs|node_modules|\.vscode-test|\.vscode|test-results)\//.test(f) || /\.(ts|map|vsix)$|\.meta\.json$/.test(f),
    );
    assert.deepEqual(forbidden, []);
  });

  it('ships every file the manifest points at (main, icons, walkthrough media, l10n)', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { main: string; l10n: string };
    const text = fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8');
    const mediaRefs = [...text.matchAll(/"(media\/[^"]+)"/g)].map((m) => m[1]!);
    assert.ok(mediaRefs.length > 0);
    const wanted = [path.posix.normalize(manifest.main), ...mediaRefs, 'l10n/bundle.l10n.json', 'l10n/bundle.l10n.zh-cn.json'];
    assert.deepEqual(
      wanted.filter((f) => !listed.includes(f)),
      [],
    );
    assert.equal(path.posix.normalize(manifest.l10n), 'l10n');
  });
});
