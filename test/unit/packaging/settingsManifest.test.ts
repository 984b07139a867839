// The settings as the Settings editor shows them: every one explained in Markdown,
// in English and Simplified Chinese.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const readJson = (rel: string) => JSON.parse(fs.readFileSync(path.join(ROOT, rel), 'utf8')) as Record<string, unknown>;

type Setting = { markdownDescription?: string; description?: string };
const manifest = readJson('package.json') as { contributes: { configuration: Array<{ properties: Record<string, Setting> }> } };
const settings = manifest.contributes.configuration.flatMap((c) => Object.entries(c.properties));

describe('settings in the manifest', () => {
  it('every setting has a markdownDescription from package.nls.json and package.nls.zh-cn.json, and no plain description', () => {
    const en = readJson('package.nls.json');
    const zh = readJson('package.nls.zh-cn.json');
    assert.ok(settings.length >= 10, `only ${settings.length} settings found`);
    const problems = settings.flatMap(([id, s]) => {
      const key = /^%(.+)%$/.exec(s.markdownDescription ?? '')?.[1];
      if (!key) return [`${id}: no markdownDescription from the nls files`];
      if (s.description !== undefined) return [`${id}: also a plain description`];
      return [...(key in en ? [] : [`${id}: ${key} missing in package.nls.json`]), ...(key in zh ? [] : [`${id}: ${key} missing in package.nls.zh-cn.json`])];
    });
    assert.deepEqual(problems, []);
  });
});
