// Builds the two bundles the extension ships, plus the simulator:
//   dist/extension.js   extension host: node, cjs, `vscode` external
//   dist/markdownLexer.js  marked's lexer for @nemo, required on its first reply
//   dist/webview.js     chat webview: browser, iife
//   dist/sim.js         the local NemoVideo-compatible simulator (npm run sim)
// Flags: --production (minified, no sourcemaps), --watch, --only <host|webview|sim>,
//        --metafile (writes dist/*.meta.json for size analysis).
import * as esbuild from 'esbuild';
import fs from 'node:fs';

const args = process.argv.slice(2);
const production = args.includes('--production');
const watch = args.includes('--watch');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const metafile = args.includes('--metafile');

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  // The bundled libraries' license notices (marked, DOMPurify, Lit…) stay at the end of each bundle.
  legalComments: 'eof',
  // Keep non-ASCII text (the Chinese routing and UI tables) as UTF-8 instead of \uXXXX escapes, which
  // cost up to six bytes per character.
  charset: 'utf8',
  logLevel: 'warning',
  metafile,
  define: { 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development') },
};

/**
 * Every `import * as vscode from 'vscode'` in the host gets its own `__toESM(require("vscode"))`
 * namespace (21 of them). Routing the imports through one ESM module that re-exports the external
 * gives a single shared namespace object instead (about 0.9 KB smaller minified). Its properties
 * are getters onto the real API object, so nothing is copied or frozen at load time.
 */
const oneVscodeNamespace = {
  name: 'one-vscode-namespace',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (a) =>
      a.namespace === 'one-vscode' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'one-vscode' });
    build.onLoad({ filter: /.*/, namespace: 'one-vscode' }, () => ({ contents: 'export * from "vscode";', loader: 'js' }));
  },
};

/**
 * @nemo's Markdown lexer (`marked`, about 50 KB) stays out of dist/extension.js, so activation does
 * not load it: the host's lazy `require('./markdownLexer')` is left as a require of its own bundle,
 * built next to it from the same module.
 */
const lazyMarkdownLexer = {
  name: 'lazy-markdown-lexer',
  setup(build) {
    build.onResolve({ filter: /\/markdownLexer$/ }, (a) => (a.kind === 'entry-point' ? undefined : { path: './markdownLexer.js', external: true }));
  },
};

const targets = {
  host: {
    ...common,
    entryPoints: { extension: 'src/extension.ts', markdownLexer: 'src/participant/markdownLexer.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    plugins: [oneVscodeNamespace, lazyMarkdownLexer],
  },
  webview: {
    ...common,
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
  },
  sim: {
    ...common,
    entryPoints: ['sim/cli.ts'],
    outfile: 'dist/sim.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: false,
  },
};

const selected = only ? [only] : Object.keys(targets);
for (const name of selected) if (!targets[name]) throw new Error(`unknown target ${name}`);

/** Reports rebuilds in the format VS Code's $esbuild-watch problem matcher expects. */
const watchReporter = (name) => ({
  name: 'watch-reporter',
  setup(build) {
    build.onStart(() => console.log(`[watch] build started (${name})`));
    build.onEnd((r) => {
      for (const e of r.errors) console.error(`✘ [ERROR] ${e.text}\n    ${e.location?.file}:${e.location?.line}:${e.location?.column}:`);
      console.log(`[watch] build finished (${name})`);
    });
  },
});

if (watch) {
  for (const name of selected) {
    const ctx = await esbuild.context({ ...targets[name], plugins: [...(targets[name].plugins ?? []), watchReporter(name)] });
    await ctx.watch();
  }
} else {
  await Promise.all(selected.map(async (name) => {
    const result = await esbuild.build(targets[name]);
    if (metafile) fs.writeFileSync(`dist/${name}.meta.json`, JSON.stringify(result.metafile));
  }));
}
