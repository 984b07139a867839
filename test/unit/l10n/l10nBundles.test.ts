// Localisation completeness: every string the user can see goes through a
// bundle, and the Simplified Chinese bundles translate every key with the
// placeholders intact. The strings of src/** are extracted with @vscode/l10n-dev,
// so a new vscode.l10n.t('…') without a bundle entry (or without a translation)
// fails here.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { getL10nJson } from '@vscode/l10n-dev';
import * as ts from 'typescript';
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

/**
 * The bundle keys of the vscode.l10n.t calls in `sources`, found by @vscode/l10n-dev (the
 * extractor behind `vscode-l10n-dev export`, run in-process: same result, no temp folder).
 */
async function extractedKeys(sources: string[]): Promise<string[]> {
  const json = await getL10nJson(sources.map((contents) => ({ extension: '.ts', contents })));
  return Object.keys(json);
}

/** vscode.l10n.t calls whose message is not a plain string literal: no extractor can put those in a bundle. */
function nonLiteralCalls(file: string, source: string): string[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 't' && /(^|\.)l10n$/.test(node.expression.expression.getText(sf))) {
      const first = node.arguments[0];
      if (!first || !(ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) {
        found.push(`${path.relative(ROOT, file)}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}: ${node.getText(sf).slice(0, 80)}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
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

describe('l10n coverage of the sources (@vscode/l10n-dev)', function () {
  this.timeout(60_000);
  const files = sourceFiles(path.join(ROOT, 'src'));
  let keys: string[];
  before(async () => {
    keys = await extractedKeys(files.map((f) => fs.readFileSync(f, 'utf8')));
  });

  it('extracts the vscode.l10n.t strings of src/**', () => {
    assert.ok(keys.length > 150, `extracted only ${keys.length} strings: is the extraction broken?`);
  });

  it('passes a string literal to every vscode.l10n.t call (so the bundle can hold it)', () => {
    assert.deepEqual(files.flatMap((f) => nonLiteralCalls(f, fs.readFileSync(f, 'utf8'))), []);
  });

  it('has every vscode.l10n.t string of src/** in l10n/bundle.l10n.json and in l10n/bundle.l10n.zh-cn.json', () => {
    assert.deepEqual(keys.filter((k) => !(k in bundle)), [], 'missing in bundle.l10n.json');
    assert.deepEqual(keys.filter((k) => !(k in bundleZh)), [], 'missing in bundle.l10n.zh-cn.json');
  });

  it('has every webview UI string (webview/strings.ts) in both bundles', () => {
    assert.deepEqual(UI_STRINGS.filter((s) => !(s in bundle)), [], 'missing in bundle.l10n.json');
    assert.deepEqual(UI_STRINGS.filter((s) => !(s in bundleZh)), [], 'missing in bundle.l10n.zh-cn.json');
  });

  it('the checks see a new string, escapes decoded, and a call without a literal', async () => {
    const source = "import * as vscode from 'vscode';\nvscode.l10n.t('It\\'s {0}:\\n\\n{1}', a, b);\nvscode.l10n.t(`Not in any bundle`);\nvscode.l10n.t(message);\n";
    const found = await extractedKeys([source]);
    assert.deepEqual(found.sort(), ["It's {0}:\n\n{1}", 'Not in any bundle']);
    assert.deepEqual(found.filter((k) => !(k in bundleZh)), found);
    assert.equal(nonLiteralCalls(path.join(ROOT, 'src', 'x.ts'), source).length, 1);
  });
});
