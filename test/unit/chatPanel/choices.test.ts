// The buttons of a question: a choice is sent as the answer only when the host offered
// it on that message, and only once; the buttons go when one is pressed.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { withFakeVscode } from '../../support/fakeVscodeFor';
import { RecordingLogger } from '../../support/memory';
import { openTranscript, type TranscriptFixture } from '../../support/transcript';

const MODULE = path.resolve(__dirname, '../../../src/chatPanel/choices');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ChoiceAnswers } = withFakeVscode(require.resolve('../../support/fakeVscode'), [MODULE], () => require(MODULE) as typeof import('../../../src/chatPanel/choices'));

describe('chatPanel/ChoiceAnswers', () => {
  let t: TranscriptFixture;
  let sent: string[];
  let log: RecordingLogger;
  let answers: InstanceType<typeof ChoiceAnswers>;
  beforeEach(async () => {
    t = await openTranscript();
    sent = [];
    log = new RecordingLogger();
    answers = new ChoiceAnswers({ transcript: t.transcript, log, answer: (text) => sent.push(text) });
  });
  afterEach(() => t.close());

  it('sends an offered choice as the answer, once, and takes the buttons away', () => {
    const q = t.transcript.add('assistant', 'Which style?\n1. Cinematic\n2. Playful', { choices: ['Cinematic', 'Playful'] });
    assert.deepEqual(answers.press(q.id, 'Playful'), { ok: true });
    assert.deepEqual(sent, ['Playful']);
    assert.equal(t.transcript.get(q.id)?.choices, undefined, 'the buttons went');
    assert.equal(t.posted.at(-1)?.type, 'messageUpdated');
    assert.equal(answers.press(q.id, 'Cinematic').ok, false, 'a second answer is refused');
    assert.deepEqual(sent, ['Playful']);
  });

  it('refuses a choice the host did not offer on that message', () => {
    const q = t.transcript.add('assistant', 'Which?', { choices: ['A', 'B'] });
    const other = t.transcript.add('assistant', 'Plain text');
    for (const [id, choice] of [[q.id, 'C'], [q.id, 'a'], [q.id, 'A '], [other.id, 'A'], ['no-such-message', 'A']]) {
      const reply = answers.press(id, choice);
      assert.equal(reply.ok, false, `${id} ${choice}`);
      assert.ok(!reply.ok && reply.error && /no longer available/.test(reply.error));
    }
    assert.deepEqual(sent, []);
    assert.deepEqual(t.transcript.get(q.id)?.choices, ['A', 'B'], 'a refused press leaves the buttons');
    assert.ok(log.lines.some((l) => /Refused an answer/.test(l)));
  });

  it('retireOpen: the next message to the agent takes every open question\'s buttons away', () => {
    const q1 = t.transcript.add('assistant', 'Which style?', { choices: ['Cinematic', 'Playful'] });
    const plain = t.transcript.add('assistant', 'Plain text');
    const q2 = t.transcript.add('assistant', 'How long?', { choices: ['15 s', '30 s'] });
    const postedBefore = t.posted.length;
    answers.retireOpen();
    for (const q of [q1, q2]) assert.equal(t.transcript.get(q.id)?.choices, undefined, `${q.text}: buttons went`);
    assert.equal(t.transcript.get(plain.id)?.text, 'Plain text');
    assert.deepEqual(
      t.posted.slice(postedBefore).map((p) => p.type),
      ['messageUpdated', 'messageUpdated'],
      'the webview is told, once per question (nothing for a message without buttons)',
    );
    assert.equal(answers.press(q1.id, 'Playful').ok, false, 'a stale button is refused');
    assert.deepEqual(sent, [], 'and sends nothing');
    answers.retireOpen();
    assert.equal(t.posted.length, postedBefore + 2, 'nothing left to retire: nothing posted');
  });
});
