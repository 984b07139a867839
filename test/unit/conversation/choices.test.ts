// The answers a question offers as buttons: an ask_question call's options, bounded,
// and the options a reply ends with after a question. Lists that do not ask stay text.
import * as assert from 'node:assert/strict';
import { boundedChoices, choicesInText, cleanChoice, MAX_CHOICE_CHARS, MAX_CHOICES } from '../../../src/core/conversation/choices';

describe('core/conversation/choices', () => {
  it('finds a numbered list after a question', () => {
    assert.deepEqual(choicesInText('Which style do you want?\n\n1. **Cinematic**\n2. Playful\n3. Minimal.'), ['Cinematic', 'Playful', 'Minimal']);
  });

  it('finds bullets before a closing question, and 1) numbering', () => {
    assert.deepEqual(choicesInText('Here are two ideas:\n- A coffee shop teaser\n- A product demo\n\nWhich one should I make?'), ['A coffee shop teaser', 'A product demo']);
    assert.deepEqual(choicesInText('要哪种比例？\n1) 16:9\n2) 9:16'), ['16:9', '9:16']);
  });

  it('leaves lists that do not ask as text', () => {
    assert.equal(choicesInText('I changed:\n1. the intro\n2. the music'), undefined, 'no question');
    assert.equal(choicesInText('Which one?\n1. a\n2. b\n\nI will wait for you.'), undefined, 'text after the list that does not ask');
    assert.equal(choicesInText('Which one?\n- only one'), undefined, 'a single option');
    assert.equal(choicesInText('Which one?\n1. a\n3. b'), undefined, 'numbers out of order');
    assert.equal(choicesInText('Which one?\n1. a\n- b'), undefined, 'two kinds of list');
    assert.equal(choicesInText('Which one?\n1. a\n2. a'), undefined, 'duplicates');
    assert.equal(choicesInText('Which one?\n```\n1. a\n2. b\n'), undefined, 'inside an open code fence');
    assert.equal(choicesInText('Which one?\n' + Array.from({ length: MAX_CHOICES + 1 }, (_, i) => `${i + 1}. o${i}`).join('\n')), undefined, 'too many');
    assert.equal(choicesInText(`Which one?\n1. ${'x'.repeat(MAX_CHOICE_CHARS + 1)}\n2. b`), undefined, 'too long');
    assert.equal(choicesInText(''), undefined);
    assert.equal(choicesInText('Which?\n1. a\n2. b' + ' '.repeat(20_000)), undefined, 'over the length bound');
  });

  it('bounds the options of an ask_question call', () => {
    assert.deepEqual(boundedChoices(['Yes, go ahead', 'No, leave it']), ['Yes, go ahead', 'No, leave it']);
    assert.deepEqual(boundedChoices([' a\u0000b ', 'a b', 'c']), ['a b', 'c'], 'control characters become spaces; duplicates go');
    assert.equal(boundedChoices(['only']), undefined);
    assert.equal(boundedChoices(undefined), undefined);
    assert.equal(boundedChoices(Array.from({ length: MAX_CHOICES + 1 }, (_, i) => `o${i}`)), undefined, 'too many to be buttons');
    assert.deepEqual(boundedChoices(['x'.repeat(MAX_CHOICE_CHARS + 1), 'a', 'b']), ['a', 'b'], 'an over-long option is dropped');
  });

  it('cleans a label to one line', () => {
    assert.equal(cleanChoice('**Bold** `code`\nnext.'), 'Bold code next');
    assert.equal(cleanChoice('   '), undefined);
  });
});
