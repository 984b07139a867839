// Localisation completeness: every string the user can see goes through a
// bundle, and the Simplified Chinese bundles translate every key with the
// placeholders intact. The sources are scanned, so a new vscode.l10n.t('…')
// without a bundle entry (or without a translation) fails here.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UI_STRINGS } from '../../../webview/strings';

const ROOT = path.resolve(__dirname, '../../..');
const readJson = (rel: string): Record<string, unknown> => JSON.parse(fs.readFileSync(path.join(ROOT, rel), 'utf8')) as Record<string, unknown>;

const bundle = readJson('l10n/bundle.l10n.json');
const bundleZh = readJson('l10n/bundle.l10n.zh-cn.json');
const nls = readJson('package.nls.json');
const nlsZh = readJson('package.nls.zh-cn.json');

/** Strings that need no Chinese characters (the product name, alone or before a message). */
const SAME_IN_CHINESE = new Set(['NemoVideo', 'NemoVideo: {0}']);

/** `{0}`, `{1}`… of a template, sorted (a translation may reorder them). */
function placeholders(s: string): string[] {
  return (s.match(/\{\d+\}/g) ?? []).sort();
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Removes comments (so examples in comments are not taken for calls); string contents with `//` survive because a line comment must follow whitespace or start the line. */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '$1');
}

/** Decodes the body of a '…', "…" or `…` literal the way JavaScript would. */
function decodeLiteral(body: string, quote: string): string {
  const asJson = body.replace(/\\'/g, "'").replace(/\\`/g, '`').replace(/(^|[^\\])"/g, '$1\\"');
  return quote === '"' ? (JSON.parse(`"${body}"`) as string) : (JSON.parse(`"${asJson}"`) as string);
}

interface L10nCall {
  file: string;
  key?: string;
  snippet: string;
}

/** Every vscode.l10n.t( call in src/**, with its first argument when it is a plain literal. */
function l10nCalls(): L10nCall[] {
  const calls: L10nCall[] = [];
  const literal = /^l10n\.t\(\s*(?:'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\$]|\\.)*)`)\s*[,)]/;
  for (const file of sourceFiles(path.join(ROOT, 'src'))) {
    const source = withoutComments(fs.readFileSync(file, 'utf8'));
    for (const m of source.matchAll(/\bl10n\.t\(/g)) {
      const rest = source.slice(m.index);
      const lit = literal.exec(rest);
      const rel = path.relative(ROOT, file);
      if (!lit) calls.push({ file: rel, snippet: rest.slice(0, 80) });
      else {
        const quote = lit[1] !== undefined ? "'" : lit[2] !== undefined ? '"' : '`';
        calls.push({ file: rel, key: decodeLiteral(lit[1] ?? lit[2] ?? lit[3] ?? '', quote), snippet: rest.slice(0, 80) });
      }
    }
  }
  return calls;
}

describe('l10n bundles', () => {
  it('bundle.l10n.json maps each English string to itself', () => {
    const wrong = Object.entries(bundle).filter(([k, v]) => v !== k);
    assert.deepEqual(wrong, []);
  });

  it('bundle.l10n.zh-cn.json translates every key of bundle.l10n.json and nothing else', () => {
    const missing = Object.keys(bundle).filter((k) => !(k in bundleZh));
    const extra = Object.keys(bundleZh).filter((k) => !(k in bundle));
    assert.deepEqual(missing, [], 'keys without a Chinese translation');
    assert.deepEqual(extra, [], 'Chinese keys no longer in the English bundle');
    const empty = Object.entries(bundleZh).filter(([, v]) => typeof v !== 'string' || v.trim() === '');
    assert.deepEqual(empty, []);
  });

  it('the Chinese bundle is really translated (not English copied over)', () => {
    const untranslated = Object.keys(bundle).filter((k) => bundleZh[k] === k && !SAME_IN_CHINESE.has(k));
    assert.deepEqual(untranslated, []);
    const withoutHan = Object.entries(bundleZh).filter(([k, v]) => !SAME_IN_CHINESE.has(k) && !/\p{Script=Han}/u.test(String(v)));
    assert.deepEqual(withoutHan, [], 'translations without any Chinese character');
  });

  it('keeps the placeholders and line breaks of every string in the Chinese bundle', () => {
    const broken = Object.keys(bundle).filter((k) => {
      const zh = String(bundleZh[k] ?? '');
      return placeholders(k).join() !== placeholders(zh).join() || k.split('\n').length !== zh.split('\n').length;
    });
    assert.deepEqual(broken, []);
  });

  it('package.nls.zh-cn.json translates every key of package.nls.json, placeholders and command links intact', () => {
    assert.deepEqual(Object.keys(nls).filter((k) => !(k in nlsZh)), [], 'manifest strings without a Chinese translation');
    assert.deepEqual(Object.keys(nlsZh).filter((k) => !(k in nls)), [], 'Chinese manifest keys no longer in package.nls.json');
    const links = (s: string) => (s.match(/\(command:[^)]+\)/g) ?? []).sort().join();
    const broken = Object.keys(nls).filter((k) => {
      const en = String(nls[k]);
      const zh = String(nlsZh[k] ?? '');
      return !zh.trim() || placeholders(en).join() !== placeholders(zh).join() || links(en) !== links(zh);
    });
    assert.deepEqual(broken, []);
  });

  it('every %key% in package.json has an entry in package.nls.json', () => {
    const manifest = fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8');
    const used = [...manifest.matchAll(/"%([^"%]+)%"/g)].map((m) => m[1]!);
    assert.ok(used.length > 20, `found only ${used.length} %keys% in package.json`);
    assert.deepEqual(used.filter((k) => !(k in nls)), []);
  });
});

describe('l10n coverage of the sources', () => {
  const calls = l10nCalls();

  it('finds the vscode.l10n.t calls of src/**', () => {
    assert.ok(calls.length > 150, `found only ${calls.length} calls: is the scan broken?`);
  });

  it('passes a string literal to every vscode.l10n.t call (so the bundle can hold it)', () => {
    assert.deepEqual(
      calls.filter((c) => c.key === undefined).map((c) => `${c.file}: ${c.snippet}`),
      [],
    );
  });

  it('has every vscode.l10n.t string of src/** in l10n/bundle.l10n.json', () => {
    const missing = [...new Set(calls.filter((c) => c.key !== undefined && !(c.key in bundle)).map((c) => `${c.file}: ${JSON.stringify(c.key)}`))];
    assert.deepEqual(missing, []);
  });

  it('has every webview UI string (webview/strings.ts) in both bundles', () => {
    assert.deepEqual(UI_STRINGS.filter((s) => !(s in bundle)), [], 'missing in bundle.l10n.json');
    assert.deepEqual(UI_STRINGS.filter((s) => !(s in bundleZh)), [], 'missing in bundle.l10n.zh-cn.json');
  });

  it('the scanner reads escapes and every quote style', () => {
    assert.equal(decodeLiteral('It\\\'s {0}:\\n\\n{1}', "'"), "It's {0}:\n\n{1}");
    assert.equal(decodeLiteral('say "hi"', "'"), 'say "hi"');
    assert.equal(decodeLiteral('say \\"hi\\"', '"'), 'say "hi"');
    assert.equal(withoutComments("// vscode.l10n.t(s)\nconst a = 'https://x';"), "\nconst a = 'https://x';");
  });
});
