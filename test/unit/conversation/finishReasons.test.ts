// Finish reasons reported as errorCode: STOP is a normal end, every other code an
// error with a plain-language sentence (the code itself only in the detail).
import * as assert from 'node:assert/strict';
import { agentErrorOf, isCleanFinish } from '../../../src/core/conversation/runErrors';

describe('finish reasons', () => {
  it('STOP, an empty code and no code are a clean end; a message is not', () => {
    assert.equal(isCleanFinish('STOP', undefined), true);
    assert.equal(isCleanFinish('stop', ''), true);
    assert.equal(isCleanFinish(undefined, undefined), true);
    assert.equal(isCleanFinish('', '  '), true);
    assert.equal(isCleanFinish('STOP', 'The model stopped because of a problem'), false);
    assert.equal(isCleanFinish(undefined, 'boom'), false);
    assert.equal(isCleanFinish('MAX_TOKENS', undefined), false);
  });

  const codes = ['MAX_TOKENS', 'SAFETY', 'RECITATION', 'MALFORMED_FUNCTION_CALL', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'OTHER', 'LANGUAGE', 'IMAGE_SAFETY', 'MODEL_ARMOR', 'SOMETHING_NEW'];
  for (const code of codes) {
    it(`${code}: one plain sentence, the code only in the detail`, () => {
      const e = agentErrorOf(code, '');
      assert.equal(e.kind, 'agentError');
      assert.equal(e.retryable, false);
      assert.ok(!e.message.includes(code), e.message);
      assert.match(e.message, /^The agent('s)? .+\.( Try rephrasing your request\.)?$/);
      assert.equal(e.detail, code);
    });
  }

  it('each known reason has its own sentence', () => {
    const sentences = new Set(codes.slice(0, -1).map((c) => agentErrorOf(c, '').message));
    assert.equal(sentences.size, codes.length - 1);
  });

  it('the length limit says the reply was cut off', () => {
    assert.match(agentErrorOf('MAX_TOKENS', '').message, /cut off/);
  });

  it('a message without a known code is shown, redacted and bounded', () => {
    const e = agentErrorOf(undefined, `Tool failed with token nmv_usr_abcdefgh1234 ${'x'.repeat(1000)}`);
    assert.match(e.message, /^The NemoVideo agent stopped with an error: Tool failed/);
    assert.ok(!e.message.includes('abcdefgh1234'));
    assert.ok(e.message.length < 600);
    assert.equal(agentErrorOf(undefined, '').message, 'The NemoVideo agent stopped with an error and gave no details.');
  });

  it('a code that is not a reason name is not read as one', () => {
    const e = agentErrorOf('e500: <b>bad</b>', 'upstream failed');
    assert.equal(e.message, 'The NemoVideo agent stopped with an error: upstream failed');
  });
});
