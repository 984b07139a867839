import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { translateGuiPhrases, type GuiAction } from '../../../src/core/routing/guiTranslate';

/** [what the agent says, what the user sees, actions offered], in groups that say what each group shows. */
const GROUPS = JSON.parse(readFileSync(path.resolve(__dirname, '../../fixtures/gui/phrases.json'), 'utf8')) as Array<{ note: string; rows: Array<[string, string, GuiAction[]]> }>;
const TABLE = GROUPS.flatMap((g) => g.rows);

describe('translateGuiPhrases (§13.2)', () => {
  for (const [input, text, actions] of TABLE) {
    it(JSON.stringify(input.length > 70 ? input.slice(0, 70) + '…' : input), () => {
      assert.deepEqual(translateGuiPhrases(input), { text, actions });
    });
  }

  it('never returns empty text for input with content', () => {
    for (const [input] of TABLE) assert.notEqual(translateGuiPhrases(input).text.trim(), '');
    for (const input of ['Click Export.', 'Drag it.', '点击导出。', 'Open the settings panel.', 'Preview it.']) {
      assert.notEqual(translateGuiPhrases(input).text.trim(), '', input);
    }
  });

  it('passes empty, whitespace, huge and non-string input through without failing', () => {
    assert.deepEqual(translateGuiPhrases(''), { text: '', actions: [] });
    assert.deepEqual(translateGuiPhrases('  \n '), { text: '  \n ', actions: [] });
    const huge = 'Click Export. '.repeat(5000);
    assert.equal(translateGuiPhrases(huge).text, huge);
    assert.deepEqual(translateGuiPhrases(undefined as unknown as string), { text: '', actions: [] });
  });

  it('keeps blank lines between paragraphs; the two around a removed paragraph become one', () => {
    assert.deepEqual(translateGuiPhrases('Done!\n\nClick Export to save it.\n\nAnything else?'), { text: 'Done!\n\nAnything else?', actions: ['export'] });
  });
});
