// GUI translation a whole sentence at a time (§13.2). A sentence with a GUI
// instruction is rewritten as a whole (its content, cut before the instruction at a clause boundary)
// or removed as a whole; a sentence that merely mentions "timeline", "panel", "export", "时间线" or
// "面板" is kept exactly. No fragment is ever left: not "它。", not "To save it.", not "Here's what to do.".
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { translateGuiPhrases, type GuiAction } from '../../../src/core/routing/guiTranslate';

// [what the agent says, what the user sees, actions offered]; the rows are in test/fixtures/gui/sentences.json.
type Row = [string, string, GuiAction[]];

const EXPORT_FALLBACK = 'Your video can be exported now.';
const STATUS_FALLBACK = 'Here is the current timeline.';
const CHANGE_FALLBACK = "Tell me what you'd like to change and I'll do it.";
const ZH_EXPORT_FALLBACK = '视频可以导出了。';
const ZH_STATUS_FALLBACK = '这是当前的时间线。';
const ZH_CHANGE_FALLBACK = '告诉我你想修改什么，我来处理。';

/** The rows, in groups that say what each group shows. */
const TABLES = JSON.parse(readFileSync(path.resolve(__dirname, '../../fixtures/gui/sentences.json'), 'utf8')) as Record<'english' | 'chinese', Array<{ note: string; rows: Row[] }>>;
const ENGLISH = TABLES.english.flatMap((g) => g.rows);
const CHINESE = TABLES.chinese.flatMap((g) => g.rows);

const MIXED: Row[] = [['Done! 视频已生成。Click Export to save it.', 'Done! 视频已生成。', ['export']]];

const FALLBACKS = new Set([EXPORT_FALLBACK, STATUS_FALLBACK, CHANGE_FALLBACK, ZH_EXPORT_FALLBACK, ZH_STATUS_FALLBACK, ZH_CHANGE_FALLBACK]);

describe('translateGuiPhrases: whole sentences (§13.2)', () => {
  for (const [name, rows] of [['English', ENGLISH], ['Chinese', CHINESE], ['mixed', MIXED]] as const) {
    describe(name, () => {
      for (const [input, text, actions] of rows) {
        it(JSON.stringify(input.length > 70 ? input.slice(0, 70) + '…' : input), () => {
          assert.deepEqual(translateGuiPhrases(input), { text, actions });
        });
      }
    });
  }

  const all = [...ENGLISH, ...CHINESE, ...MIXED];

  it('has at least 40 rows, 20 in each language, and mere mentions among them', () => {
    assert.ok(all.length >= 40);
    assert.ok(ENGLISH.length >= 20);
    assert.ok(CHINESE.length >= 20);
    assert.ok(ENGLISH.filter(([input, text]) => input === text && /timeline|panel|export/i.test(input)).length >= 5);
    assert.ok(CHINESE.filter(([input, text]) => input === text && /时间线|面板|导出/.test(input)).length >= 5);
  });

  it('every kept sentence is a sentence of the input, whole or cut before its instruction', () => {
    for (const [input, text] of all) {
      if (FALLBACKS.has(text)) continue;
      for (const line of text.split('\n')) {
        const body = line.replace(/^\s*(?:[-*+•]|\d+[.)]|>|#{1,6})\s*/, '').replace(/\r$/, '');
        // Cut the kept line at its sentence ends and look for each piece, without its end mark, in the input.
        for (const piece of body.split(/(?<=[.!?。！？])\s*/u)) {
          const stem = piece.replace(/[.!?。！？*]+$/u, '');
          if (stem !== '') assert.ok(input.includes(stem), `${JSON.stringify(stem)} is not from ${JSON.stringify(input)}`);
        }
      }
    }
  });

  it('what comes out has no GUI instruction left (translating it again changes nothing)', () => {
    for (const [input] of all) {
      const once = translateGuiPhrases(input);
      assert.deepEqual(translateGuiPhrases(once.text).text, once.text, input);
    }
  });

  it('never ends a kept sentence on a pronoun, a lead-in or a dangling word', () => {
    for (const [input] of all) {
      for (const sentence of translateGuiPhrases(input).text.split(/(?<=[.!?。！？])\s*|\n/u)) {
        assert.doesNotMatch(sentence, /^(?:它|这个|那个|把它|它们|It|This|That)[。.!！]?$/u, input);
        assert.doesNotMatch(sentence, /^(?:To|If|When|Once|In|For)\b[^,]*[.!]$/u, input);
        assert.doesNotMatch(sentence, /(?:\b(?:the|a|to|and|or|in|on|with)|在|把|将)[.。]$/u, input);
      }
    }
  });

  it('keeps a sentence that has no instruction byte for byte, spacing included', () => {
    const text = 'The timeline  has three tracks .\n\n\n时间线上现在有三个轨道 。 导出的视频是1080p。';
    assert.deepEqual(translateGuiPhrases(text), { text, actions: [] });
  });

  it('stays total and cheap on long and odd input', () => {
    const odd = ['. . .', '。。。', '"unclosed Click Export', '(Click Export.', '**', 'e.g. i.e. vs. Dr.', '\r\n\r\n', '它。', '—— 点击', '…Click Export…'];
    for (const input of odd) assert.equal(typeof translateGuiPhrases(input).text, 'string', input);
    const long = 'I added music — click Export to save it. 视频已生成，打开时间线面板查看它。'.repeat(180);
    const started = Date.now();
    const result = translateGuiPhrases(long.slice(0, 19_999));
    assert.ok(Date.now() - started < 1_000, 'a long reply is translated in well under a second');
    assert.doesNotMatch(result.text, /click Export|打开时间线面板/);
    const spaces = 'Done,' + ' '.repeat(900) + 'click Export.';
    assert.equal(translateGuiPhrases(spaces).text, 'Done.');
  });
});
