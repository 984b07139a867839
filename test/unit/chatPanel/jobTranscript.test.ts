// The chat panel's transcript built from job events: the user's message when the job
// is submitted, the queue notes, an error card whose Send again re-sends that message,
// the render step closed when the export fails, the timeline summary of a run.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { buildTimeline } from '../../../src/core/timeline/build';
import type { Job, JobEvent, JobEventBody } from '../../../src/jobs/job';
import { withFakeVscode } from '../../support/fakeVscodeFor';
import { openTranscript, type TranscriptFixture } from '../../support/transcript';

const MODULE = path.resolve(__dirname, '../../../src/chatPanel/jobTranscript');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { JobTranscript } = withFakeVscode(require.resolve('../../support/fakeVscode'), [MODULE], () => require(MODULE) as typeof import('../../../src/chatPanel/jobTranscript'));

const TIMELINE = buildTimeline({ t: [{ tt: 0, sg: [{ s: 0, d: 10_000, m: { name: 'city' } }] }], d: 10_000 });

describe('chatPanel/JobTranscript', () => {
  let t: TranscriptFixture;
  beforeEach(async () => (t = await openTranscript()));
  afterEach(() => t.close());

  /** A job as the runner hands it to the panel, and a way to play its events. */
  function follow(request: Job['request'], message?: string): (...events: JobEventBody[]) => void {
    const job = { id: 'job-1', projectId: 'current', request, message } as unknown as Job;
    const view = new JobTranscript(t.transcript, job);
    return (...events) => events.forEach((e) => view.handle({ ...e, jobId: job.id, projectId: job.projectId } as JobEvent));
  }
  const lines = () => t.transcript.messages().map((m) => [m.role, m.text, m.status, m.actions?.map((a) => a.id).join(',')]);

  it('a queued message says so, then that it started; a run error offers to send that message again', () => {
    const play = follow({ kind: 'message', projectId: 'current', text: 'make it red' }, 'make it red');
    play({ type: 'queued' }, { type: 'started' }, { type: 'runStarted' }, { type: 'progress', kind: 'step', text: '⚙️ Editing' });
    play({ type: 'runEnded', status: 'error' }, { type: 'error', error: new Error('x'), text: '⚠️ Could not reach NemoVideo.', remedies: [{ kind: 'resend', label: 'Send again' }], endsStep: 'failed' });
    assert.deepEqual(lines(), [
      ['user', 'make it red', undefined, undefined],
      ['progress', '▶ Started.', undefined, undefined],
      ['progress', '⚙️ Editing', 'failed', undefined],
      ['error', '⚠️ Could not reach NemoVideo.', undefined, 'retry'],
    ]);
    const [user, , , card] = t.transcript.messages();
    assert.equal(card.actions?.[0].arg, user.id, 'Send again re-sends the job\'s own message');
  });

  it('a message dropped by Stop before its turn says it was not sent', () => {
    follow({ kind: 'message', projectId: 'current', text: 'hi' }, 'hi')({ type: 'queued' }, { type: 'dropped' });
    assert.deepEqual(lines().map((l) => l[1]), ['hi', '⏹ Not sent: stopped before its turn.']);
  });

  it('an export that fails closes its render step; one that is cancelled closes it as stopped', () => {
    const play = follow({ kind: 'export', projectId: 'current' });
    play({ type: 'queued' }, { type: 'started' }, { type: 'progress', kind: 'render', text: '⏳ Rendering and downloading the video…' });
    play({ type: 'progress', kind: 'status', text: '⏳ Server busy' });
    play({ type: 'notice', text: 'Export cancelled.', endsStep: 'cancelled' });
    assert.deepEqual(lines(), [
      ['progress', '⏳ Rendering and downloading the video…', 'cancelled', undefined],
      ['progress', '⏳ Server busy', 'cancelled', undefined],
      ['system', 'Export cancelled.', undefined, undefined],
    ]);
  });

  it('a run that produced a video ends with the timeline summary and Export / Show timeline', () => {
    const play = follow({ kind: 'message', projectId: 'current', text: 'go' }, 'go');
    play({ type: 'started' }, { type: 'textDelta', text: 'Done ' }, { type: 'text', text: 'Done!' }, { type: 'runEnded', status: 'done' });
    play({ type: 'timeline', timeline: TIMELINE }, { type: 'runResult', timeline: TIMELINE });
    const [, reply, summary] = lines();
    assert.deepEqual(reply, ['assistant', 'Done!', 'done', undefined]);
    assert.equal(summary[0], 'system');
    assert.match(String(summary[1]), /^Timeline \(1 track/);
    assert.equal(summary[3], 'export,status');
  });

  it('a question offers its options as buttons; a reply that ends by asking with a list offers that list', () => {
    const play = follow({ kind: 'message', projectId: 'current', text: 'go' }, 'go');
    play({ type: 'started' }, { type: 'question', text: '❓ Which style?\n1. Cinematic\n2. Playful', options: ['Cinematic', 'Playful'] });
    play({ type: 'textDelta', text: 'Which length?\n' }, { type: 'text', text: 'Which length?\n- 15 s\n- 30 s' }, { type: 'runEnded', status: 'done' });
    play({ type: 'text', text: 'I changed:\n1. the intro\n2. the music' });
    const [, question, streamed, plain] = t.transcript.messages();
    assert.deepEqual(question.choices, ['Cinematic', 'Playful']);
    assert.deepEqual(streamed.choices, ['15 s', '30 s']);
    assert.equal(plain.choices, undefined, 'a list that does not ask is text');
  });

  it('a saved video offers Open Externally beside Open, for the sound VS Code cannot play', () => {
    const play = follow({ kind: 'export', projectId: 'current' });
    play({ type: 'exported', file: { uri: { toString: () => 'file:///w/videos/a.mp4' }, label: 'videos/a.mp4', bytes: 1048576 } as never });
    const [saved] = t.transcript.messages();
    assert.deepEqual(saved.actions?.map((a) => [a.id, a.arg]), [
      ['openFile', 'file:///w/videos/a.mp4'],
      ['revealFile', 'file:///w/videos/a.mp4'],
      ['openExternally', 'file:///w/videos/a.mp4'],
      ['openInWeb', undefined],
    ]);
  });
});
