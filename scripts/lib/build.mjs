// Building what the harness runs: the extension's bundles (esbuild.mjs, the
// same as `npm run build`) and the integration suites, compiled from
// test/integration/**/*.ts to out/test/integration/**/*.js.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { OUT_DIR, REPO_ROOT } from './paths.mjs';

/** Runs esbuild.mjs (dist/extension.js, dist/webview.js, dist/sim.js). Throws on failure. */
export function buildExtension({ log = console.error } = {}) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'esbuild.mjs')], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`the build failed (node esbuild.mjs exited ${r.status ?? r.signal})`);
  log(`[build] dist/ built in ${Date.now() - started} ms`);
}

const INTEGRATION_SRC = path.join(REPO_ROOT, 'test', 'integration');
export const INTEGRATION_OUT = path.join(OUT_DIR, 'test', 'integration');
export const INTEGRATION_RUNNER = path.join(INTEGRATION_OUT, 'index.js');

/**
 * Compiles the integration suites: index.ts (the mocha runner) and every
 * *.test.ts, each bundled with its support/ modules (node, cjs). `vscode` and
 * `mocha` stay external (the host provides vscode; mocha comes from
 * node_modules, like every other package). out/test/integration is emptied
 * first, so deleted suites do not linger.
 */
export async function compileIntegrationTests({ log = console.error } = {}) {
  const started = Date.now();
  const { build } = await import('esbuild');
  const entryPoints = fs.readdirSync(INTEGRATION_SRC, { recursive: true })
    .map((f) => path.join(INTEGRATION_SRC, String(f)))
    .filter((f) => f.endsWith('.test.ts') || f === path.join(INTEGRATION_SRC, 'index.ts'));
  fs.rmSync(INTEGRATION_OUT, { recursive: true, force: true });
  await build({
    entryPoints,
    outdir: INTEGRATION_OUT,
    outbase: INTEGRATION_SRC,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
    packages: 'external',
    sourcemap: 'inline', // stack traces of failing tests point at the .ts lines
    sourcesContent: false,
    logLevel: 'warning',
  });
  log(`[build] ${entryPoints.length - 1} integration suite(s) compiled to ${path.relative(REPO_ROOT, INTEGRATION_OUT)} in ${Date.now() - started} ms`);
  return entryPoints.length - 1;
}
