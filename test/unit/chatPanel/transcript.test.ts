// Transcript.closeStep: a progress line left open by a failed or stopped operation
// gets that status (so the chat shows a cross, not a check); anything else is left alone.
import * as assert from 'node:assert/strict';
import type { Transcript } from '../../../src/chatPanel/transcript';
import type { HostToWebview } from '../../../src/protocol';
import { openTranscript, type TranscriptFixture } from '../../support/transcript';

describe('conversation/Transcript.closeStep', () => {
  let t: TranscriptFixture;
  let transcript: Transcript;
  let posted: HostToWebview[];
  beforeEach(async () => ({ transcript, posted } = t = await openTranscript()));
  afterEach(() => t.close());

  it('closes the trailing open step and tells the webview', () => {
    transcript.add('user', 'export it');
    const step = transcript.add('progress', 'Rendering');
    posted.length = 0;
    transcript.closeStep('failed');
    assert.equal(transcript.get(step.id)?.status, 'failed');
    assert.deepEqual(posted.map((m) => m.type), ['messageUpdated']);
  });

  it('closes a named step even when notices came after it', () => {
    const step = transcript.add('progress', 'Rendering');
    transcript.add('system', 'Server busy, retrying…');
    transcript.closeStep('cancelled', step.id);
    assert.equal(transcript.get(step.id)?.status, 'cancelled');
  });

  it('leaves alone a last message that is not an open step', () => {
    const earlier = transcript.add('progress', 'Generating');
    const reply = transcript.add('assistant', 'Done', { status: 'done' });
    transcript.closeStep('failed');
    assert.equal(transcript.get(earlier.id)?.status, undefined, 'an earlier step that finished keeps its check');
    assert.equal(transcript.get(reply.id)?.status, 'done');

    const closed = transcript.add('progress', 'Rendering', { status: 'cancelled' });
    posted.length = 0;
    transcript.closeStep('failed', closed.id);
    assert.equal(transcript.get(closed.id)?.status, 'cancelled', 'a closed step is not reopened or changed');
    assert.deepEqual(posted, []);
  });
});
