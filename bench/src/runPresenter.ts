// The events of one chat run into the chat panel's transcript, as a chat job takes
// them there (src/jobs/chatRunEvents.ts, then src/chatPanel/jobTranscript.ts), for
// the P8 bench, which runs a message without a job runner.
import { JobTranscript } from '../../src/chatPanel/jobTranscript';
import type { Transcript } from '../../src/chatPanel/transcript';
import type { RunEvent } from '../../src/core/conversation/runEvents';
import { chatJobEvent } from '../../src/jobs/chatRunEvents';
import type { Job, JobEvent } from '../../src/jobs/job';

const PROJECT = 'current';

export class RunPresenter {
  private readonly view: JobTranscript;

  constructor(
    transcript: Transcript,
    readonly runId: string,
  ) {
    const job = { id: runId, projectId: PROJECT, request: { kind: 'message', projectId: PROJECT, text: '' } } as unknown as Job;
    this.view = new JobTranscript(transcript, job);
  }

  handle(e: RunEvent): void {
    const event = chatJobEvent(e);
    if (event) this.view.handle({ ...event, jobId: this.runId, projectId: PROJECT } as JobEvent);
  }
}
