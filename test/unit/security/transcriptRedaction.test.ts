// The transcript is where every chat message starts its way out (webview posts,
// snapshots, the history file): a token in the text is redacted there, also when it
// arrives split across two streamed deltas.
import * as assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { HistoryStore } from '../../../src/chatPanel/historyStore';
import type { Transcript } from '../../../src/chatPanel/transcript';
import type { HostToWebview } from '../../../src/protocol';
import { redact } from '../../../src/core/api/redact';
import { setRedactor } from '../../../src/redaction';
import { openTranscript, type TranscriptFixture } from '../../support/transcript';

const TOKEN = 'Zx9-user-token-0123456789';

describe('transcript: a token never leaves in a message', () => {
  let t: TranscriptFixture;
  let history: HistoryStore;
  let transcript: Transcript;
  let posted: HostToWebview[];
  beforeEach(async () => {
    setRedactor((text) => redact(text, [TOKEN]));
    ({ history, transcript, posted } = t = await openTranscript());
  });
  afterEach(async () => {
    setRedactor((text) => redact(text));
    await t.close();
  });

  it('in added and updated texts', async () => {
    const m = transcript.add('assistant', `Your token is ${TOKEN}.`);
    transcript.update(m.id, { text: `Still ${TOKEN}, and nmv_usr_abcdef123456` });
    transcript.add('error', `Failed with Authorization: Bearer ${TOKEN}`);
    await history.flush();
    const everywhere = [JSON.stringify(posted), JSON.stringify(transcript.messages()), await readFile(history.file, 'utf8')];
    for (const text of everywhere) {
      assert.ok(!text.includes(TOKEN), text);
      assert.ok(!text.includes('abcdef123456'), text);
    }
    assert.match(everywhere[1], /\[redacted\]/);
  });

  it('split across streamed deltas, at every split point', async () => {
    const text = `Debug: token=${TOKEN} was used. Done`;
    for (let i = 1; i < text.length; i += 3) {
      const m = transcript.add('assistant', '', { status: 'streaming' });
      transcript.appendStream('run', m.id, text.slice(0, i));
      transcript.appendStream('run', m.id, text.slice(i));
      const midSnapshot = JSON.stringify(transcript.messages());
      transcript.update(m.id, { status: 'done' });
      const out = JSON.stringify(posted) + midSnapshot + JSON.stringify(transcript.get(m.id));
      assert.ok(!out.includes('0123456789'), `split at ${i}: ${out.slice(-300)}`);
      assert.equal(transcript.get(m.id)?.text, redact(text, [TOKEN]), `split at ${i}`);
    }
    await history.flush();
    assert.ok(!(await readFile(history.file, 'utf8')).includes('0123456789'));
  });
});
