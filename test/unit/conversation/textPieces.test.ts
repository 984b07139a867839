// TextPieces: the run's streamed text, kept as blocks and joined once.
import * as assert from 'node:assert/strict';
import { TextPieces } from '../../../src/core/conversation/textPieces';

describe('conversation/TextPieces', () => {
  it('joins any number of pieces (across block borders) into exactly their concatenation', () => {
    for (const count of [0, 1, 1_023, 1_024, 1_025, 5_000]) {
      const text = new TextPieces();
      const pieces = Array.from({ length: count }, (_, i) => `p${i}${i % 7 === 0 ? '\n' : ''}`);
      pieces.forEach((p) => text.push(p));
      assert.equal(text.join(), pieces.join(''), `${count} pieces`);
      assert.equal(text.isEmpty, count === 0);
    }
  });

  it('ignores empty pieces and starts over after clear', () => {
    const text = new TextPieces();
    text.push('');
    assert.equal(text.isEmpty, true);
    text.push('old');
    text.clear();
    assert.equal(text.isEmpty, true);
    text.push('new');
    assert.equal(text.join(), 'new');
  });
});
