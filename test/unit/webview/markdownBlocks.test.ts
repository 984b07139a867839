import * as assert from 'node:assert/strict';
import { splitCommitted } from '../../../webview/markdownBlocks';

const LIMIT = 64;

describe('webview markdownBlocks.splitCommitted (streamed Markdown: finished blocks vs the one being written)', () => {
  it('commits up to the last blank line outside a code fence', () => {
    assert.deepEqual(splitCommitted('# Title\n\nFirst para.\n\nSecond', LIMIT), { commit: '# Title\n\nFirst para.\n\n', rest: 'Second' });
    assert.deepEqual(splitCommitted('one line, no block ended', LIMIT), { commit: '', rest: 'one line, no block ended' });
    assert.deepEqual(splitCommitted('a\r\n\r\nb', LIMIT), { commit: 'a\r\n\r\n', rest: 'b' });
  });

  it('never commits inside an open fence, and commits a fence once it is closed', () => {
    const open = 'Intro\n\n```js\nlet a = 1;\n\nlet b = 2;\n';
    assert.deepEqual(splitCommitted(open, LIMIT), { commit: 'Intro\n\n', rest: '```js\nlet a = 1;\n\nlet b = 2;\n' });
    const closed = `${open}\`\`\`\nafter`;
    assert.deepEqual(splitCommitted(closed, LIMIT), { commit: `${open}\`\`\`\n`, rest: 'after' });
    // A closing fence must use the same character and be at least as long.
    assert.equal(splitCommitted('````\ncode\n```\n\nx', LIMIT).commit, '');
    assert.equal(splitCommitted('~~~\ncode\n```\n\nx', LIMIT).commit, '');
    assert.equal(splitCommitted('~~~\ncode\n~~~~\n\nx', LIMIT).commit, '~~~\ncode\n~~~~\n\n');
    // Backticks in a backtick fence's info string make it not a fence (CommonMark).
    assert.equal(splitCommitted('``` a`b\n\nx', LIMIT).commit, '``` a`b\n\n');
  });

  it('cuts a block longer than the limit at its last complete line', () => {
    const lines = Array.from({ length: 10 }, (_, i) => `line ${i} of a long paragraph`).join('\n');
    const { commit, rest } = splitCommitted(`${lines}\npartial`, LIMIT);
    assert.equal(commit + rest, `${lines}\npartial`);
    assert.equal(rest, 'partial');
  });

  it('cuts one long line at a space, or hard when it has none, keeping at most half the limit', () => {
    const words = 'word '.repeat(40);
    const a = splitCommitted(words, LIMIT);
    assert.equal(a.commit + a.rest, words);
    assert.ok(a.rest.length <= LIMIT / 2 && a.commit.endsWith(' '), JSON.stringify(a));
    const solid = 'x'.repeat(200);
    const b = splitCommitted(solid, LIMIT);
    assert.deepEqual([b.commit.length, b.rest.length], [200 - LIMIT / 2, LIMIT / 2]);
    // Never between the two halves of a surrogate pair.
    const emoji = '😀'.repeat(100);
    const c = splitCommitted(emoji, LIMIT);
    assert.equal(c.commit + c.rest, emoji);
    assert.ok(!/[\udc00-\udfff]/.test(c.rest[0]!), 'rest starts with a whole character');
  });

  it('closes a long open fence in the committed part and reopens it with the same opener', () => {
    const code = Array.from({ length: 12 }, (_, i) => `  console.log(${i});`).join('\n');
    const text = `\`\`\`js title\n${code}\n  cons`;
    const { commit, rest } = splitCommitted(text, LIMIT);
    assert.equal(commit, `\`\`\`js title\n${code}\n\`\`\`\n`);
    assert.equal(rest, '```js title\n  cons');
    // The rest goes on as the same fence: the next split never commits inside it.
    assert.equal(splitCommitted(`${rest}ole.log(12);\n\nnot code`, LIMIT).commit, '');
    // A fence opener followed by one long line without a newline is cut inside the line.
    const long = `\`\`\`\n${'y'.repeat(200)}`;
    const d = splitCommitted(long, LIMIT);
    assert.ok(d.commit.startsWith('```\ny') && d.commit.endsWith('\n```\n'), d.commit);
    assert.ok(d.rest.startsWith('```\ny') && d.rest.length <= LIMIT, d.rest);
  });

  it('makes progress on every split of an over-long block, and loses nothing', () => {
    for (const sample of ['a '.repeat(500), 'z'.repeat(1_000), `\`\`\`\n${'q'.repeat(1_000)}`, `${'para\n'.repeat(200)}end`]) {
      let rest = sample;
      let rounds = 0;
      let joined = '';
      while (rest.length > LIMIT && rounds++ < 1_000) {
        const s = splitCommitted(rest, LIMIT);
        assert.ok(s.commit.length > 0, 'something is committed');
        assert.ok(s.rest.length < rest.length, 'the rest shrinks');
        joined += s.commit;
        rest = s.rest;
      }
      assert.ok(rounds < 1_000);
      if (!sample.startsWith('```')) assert.equal(joined + rest, sample);
    }
  });
});
