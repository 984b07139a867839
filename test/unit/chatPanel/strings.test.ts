import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UI_STRINGS, webviewStrings } from '../../../src/chatPanel/webviewStrings';

const WEBVIEW_DIR = path.resolve(__dirname, '../../../webview');

describe('webview UI strings', () => {
  it('lists each string once, none empty', () => {
    assert.equal(new Set(UI_STRINGS).size, UI_STRINGS.length);
    assert.ok(UI_STRINGS.every((s) => s.trim().length > 0));
  });

  it('lists every string the webview passes to t()', () => {
    const used = new Set<string>();
    for (const file of fs.readdirSync(WEBVIEW_DIR).filter((f) => f.endsWith('.ts'))) {
      const source = fs.readFileSync(path.join(WEBVIEW_DIR, file), 'utf8');
      for (const m of source.matchAll(/\bt\(\s*'((?:[^'\\]|\\.)*)'/g)) used.add(m[1].replace(/\\'/g, "'"));
    }
    assert.ok(used.size > 20, `found ${used.size} t() calls`);
    const listed = new Set<string>(UI_STRINGS);
    assert.deepEqual([...used].filter((s) => !listed.has(s)), []);
  });

  it('builds the snapshot table from a translator, keeping placeholders for the webview', () => {
    const zh: Record<string, string> = { Send: '发送', '{0} credits': '{0} 积分', Stop: 'Stop' };
    const table = webviewStrings((s) => zh[s] ?? s);
    assert.deepEqual(table, { Send: '发送', '{0} credits': '{0} 积分' }, 'untranslated strings are left out (the webview falls back to English)');
  });
});
