// @nemo's answer from its own job's events: the Chat view can only append, so the
// live reply is written (as Markdown) once it is complete; the saved video is a link to the file; a step of the agent ends it; a stopped
// reply is dropped (its "Stopped" line follows); errors keep the remedies that work there.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Remedy } from '../../../src/jobs/errorText';
import type { JobEvent, JobEventBody } from '../../../src/jobs/job';
import type { ResponseWriter } from '../../../src/participant/responseWriter';
import { withFakeVscode } from '../../support/fakeVscodeFor';

const MODULE = path.resolve(__dirname, '../../../src/participant/jobReply');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { JobReply } = withFakeVscode(require.resolve('../../support/fakeVscode'), [MODULE], () => require(MODULE) as typeof import('../../../src/participant/jobReply'));

function reply(...events: JobEventBody[]): string[] {
  const out: string[] = [];
  const writer = {
    text: (text: string) => out.push(`text ${text}`),
    markdown: (text: string) => out.push(`markdown ${text}`),
    fileLine: (text: string, uri: { toString(): string }, title: string) => out.push(`file ${text} ${uri.toString()} ${title}`),
    progress: (text: string) => out.push(`progress ${text}`),
    error: (text: string, remedies: Remedy[]) => out.push(`error ${text} [${remedies.map((r) => r.kind).join(',')}]`),
  } as unknown as ResponseWriter;
  const r = new JobReply(writer);
  for (const e of events) r.handle({ ...e, jobId: 'j', projectId: 'p' } as JobEvent);
  return out;
}

describe('participant/JobReply', () => {
  it('writes the live reply once, when its complete text comes', () => {
    assert.deepEqual(reply({ type: 'queued' }, { type: 'textDelta', text: 'Hel' }, { type: 'textDelta', text: 'lo' }, { type: 'text', text: 'Hello.' }), [
      'progress ⏸ Queued: this starts when the current work is done.',
      'markdown Hello.',
    ]);
  });

  it('a step of the agent ends the reply before it; a status line does not', () => {
    assert.deepEqual(
      reply({ type: 'textDelta', text: 'Let me ' }, { type: 'progress', kind: 'status', text: '⏳ Still working…' }, { type: 'textDelta', text: 'check.' }, { type: 'progress', kind: 'step', text: '⚙️ Editing' }),
      ['progress ⏳ Still working…', 'markdown Let me check.', 'progress ⚙️ Editing'],
    );
  });

  it('drops a stopped reply and a retracted one; writes notices, the summary, the saved file and errors', () => {
    const file = { uri: { toString: () => 'file:///v.mp4' }, bytes: 2 * 1048576, label: 'videos/v.mp4' };
    assert.deepEqual(
      reply(
        { type: 'textDelta', text: 'noise' },
        { type: 'textRetracted' },
        { type: 'textDelta', text: 'cut off' },
        { type: 'runEnded', status: 'cancelled' },
        { type: 'notice', text: '⏹ Stopped.' },
        { type: 'runResult', timeline: { tracks: [], exportable: false } },
        { type: 'exported', file } as unknown as JobEventBody,
        { type: 'error', error: undefined, text: '⚠️ Set a new token.', remedies: [{ kind: 'setToken', label: 'Set token' }] },
      ),
      ['text ⏹ Stopped.', 'file ✅ Video saved (2.0 MB): file:///v.mp4 videos/v.mp4', 'error ⚠️ Set a new token. [setToken]'],
    );
  });
});
