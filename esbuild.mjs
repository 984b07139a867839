// Builds the two bundles the extension ships, plus the simulator:
//   dist/extension.js   extension host: node, cjs, `vscode` external; in --production
//                       what activation does not need is split into dist/host-*.js
//                       chunks, loaded on first use (src/lazy/chunks.ts)
//   dist/markdownLexer.js  marked's lexer for @nemo, required on its first reply
//   dist/webview.js     chat webview: browser, iife
//   dist/sim.js         the local NemoVideo-compatible simulator (npm run sim)
// Flags: --production (minified, no sourcemaps), --watch, --only <host|webview|sim>,
//        --metafile (writes dist/*.meta.json for size analysis).
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

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
 * src/lazy/chunks.ts loads each chunk with a plain `require('./x')`, which is what the unit
 * tests (tsx, CommonJS) can run. For the bundle each becomes `import('./x')`: esbuild then
 * splits that module, and whatever only it needs, into a chunk of its own.
 */
const lazyChunks = {
  name: 'lazy-chunks',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/]lazy[\\/]chunks\.ts$/ }, (a) => {
      const source = fs.readFileSync(a.path, 'utf8');
      const contents = source.replace(/\brequire\(('[^']+')\)/g, 'import($1)');
      if (contents === source || /\brequire\(/.test(contents)) throw new Error('src/lazy/chunks.ts: every loader must be one require(\'./path\')');
      return { contents, loader: 'ts' };
    });
  },
};

/**
 * esbuild splits chunks only in ESM output, and VS Code loads extensions as CommonJS: the
 * production host build is split as ESM, then each file is turned into CommonJS (imports
 * become requires, dynamic imports lazy requires), so every module still exists once.
 * Development builds stay one CommonJS file with source maps; the lazy modules in it are
 * still initialised on first use.
 */
async function buildSplitHost(options) {
  removeHostChunks();
  const result = await esbuild.build({
    ...options,
    outfile: undefined,
    outdir: 'dist',
    entryNames: '[name]',
    // Next to dist/extension.js: a require('./markdownLexer.js') left in a chunk resolves from there.
    chunkNames: 'host-[name]-[hash]',
    format: 'esm',
    splitting: true,
    write: false,
  });
  const runtime = await commonJsRuntime(options);
  for (const file of result.outputFiles) {
    const cjs = await esbuild.transform(file.text, { format: 'cjs', platform: 'node', target: options.target, charset: 'utf8', supported: { 'dynamic-import': false } });
    const shared = runtime.share(cjs.code);
    // format 'cjs' makes the file's top level a module scope, so its names are minified too.
    const out = await esbuild.transform(shared, { format: 'cjs', platform: 'node', target: options.target, minify: options.minify, charset: 'utf8', legalComments: 'eof' });
    fs.mkdirSync(path.dirname(file.path), { recursive: true });
    fs.writeFileSync(file.path, out.code);
  }
  fs.writeFileSync(path.join('dist', RUNTIME_FILE), runtime.code);
  return result;
}

const RUNTIME_FILE = 'host-runtime.js';

/**
 * Turning an ESM file into CommonJS puts esbuild's module helpers (__export, __toCommonJS,
 * __toESM…, about 0.5 KB minified) at the top of every file: with two dozen files loaded at
 * activation that was 13 KB of copies. Each file takes them from one dist/host-runtime.js
 * instead. The helpers are recognised by their exact text, taken from the same esbuild by
 * converting a module that needs all of them, so an esbuild that writes them differently
 * leaves a file its own copies rather than breaking it; a helper that is not one of them
 * stays in its file.
 */
async function commonJsRuntime(options) {
  const probe = "import * as p from 'node:path'; export const f = () => p.sep;";
  const { code } = await esbuild.transform(probe, { format: 'cjs', platform: 'node', target: options.target });
  // The helpers end where the probe's own module starts (esbuild names its exports object after the input).
  const preamble = code.slice(0, Math.max(0, code.indexOf('var stdin_exports')));
  const helpers = preamble.split(/(?=^var __)/m).map((text) => ({ name: /^var (__\w+) = /.exec(text)?.[1], text }));
  if (helpers.length < 4 || helpers.some((h) => !h.name)) throw new Error(`esbuild.mjs: unexpected CommonJS helpers:\n${preamble}`);
  const names = helpers.map((h) => h.name).join(', ');
  const runtime = await esbuild.transform(`${preamble}module.exports = { ${names} };`, { platform: 'node', target: options.target, minify: options.minify });
  return {
    code: runtime.code,
    share(text) {
      const used = [];
      for (let h = helpers.find((x) => text.startsWith(x.text)); h; h = helpers.find((x) => text.startsWith(x.text))) {
        used.push(h.name);
        text = text.slice(h.text.length);
      }
      // The export-name list esbuild appends for Node's ESM importers: nothing imports these files as ESM.
      text = text.replace(/^\/\/ Annotate the CommonJS export names for ESM import in node:\n0 && \(module\.exports = \{[^}]*\}\);\n/m, '');
      // Only what the file itself calls (__copyProps, say, is needed by __toCommonJS, inside the runtime).
      const called = used.filter((name) => new RegExp(`\\b${name}\\b`).test(text));
      return called.length ? `var { ${called.join(', ')} } = require("./${RUNTIME_FILE}");\n${text}` : text;
    },
  };
}

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

/** The chunks of an earlier production build: a development build or a new split must not ship them. */
function removeHostChunks() {
  if (!fs.existsSync('dist')) return;
  for (const f of fs.readdirSync('dist')) if (/^host-.*\.js$/.test(f)) fs.rmSync(`dist/${f}`);
}

const targets = {
  host: {
    ...common,
    entryPoints: { extension: 'src/extension.ts', markdownLexer: 'src/participant/markdownLexer.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    plugins: [oneVscodeNamespace, lazyMarkdownLexer, lazyChunks],
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
    if (name === 'host') removeHostChunks();
    const result = name === 'host' && production ? await buildSplitHost(targets[name]) : await esbuild.build(targets[name]);
    if (metafile) fs.writeFileSync(`dist/${name}.meta.json`, JSON.stringify(result.metafile));
  }));
}
