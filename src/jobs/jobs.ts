// The kinds of job and how each is done, wired to the runner.
import { loadChatJob } from '../lazy/chunks';
import type { ChatJobDeps } from './chatJob';
import { exportJob, resumeExportsJob } from './exportJob';
import { generationPrompt, updatePrompt } from './generation';
import type { JobRequest } from './job';
import { JobRunner, type JobWork } from './runner';
import { uploadJob, uploadUrlJob, type UploadJobDeps } from './uploadJob';

export type JobDeps = ChatJobDeps & UploadJobDeps;

export function createJobRunner(d: JobDeps, onUnexpected: (e: unknown) => void): JobRunner {
  const workFor = (request: JobRequest): JobWork => {
    switch (request.kind) {
      case 'message':
        return loadedOnTurn(request.text, (m) => m.messageJob(d, request.text));
      case 'generation':
        return loadedOnTurn(generationPrompt(request.request), (m) => m.generationJob(d, request.request));
      case 'update':
        return loadedOnTurn(updatePrompt(request.source.text), (m) => m.updateJob(d, request.source));
      case 'export':
        return exportJob(d);
      case 'upload':
        return request.url !== undefined ? uploadUrlJob(d, request.url) : uploadJob(d, request.file);
      case 'resumeExports':
        // Another window still owns some jobs: look again once its lease would have run out.
        return resumeExportsJob(d, () => void runner.submit(request));
    }
  };
  const runner = new JobRunner(workFor, onUnexpected);
  return runner;
}

/** A chat job whose code (the agent run) loads when its turn comes; what it sends is known at once. */
function loadedOnTurn(message: string, work: (chatJob: Awaited<ReturnType<typeof loadChatJob>>) => JobWork): JobWork {
  return { message, run: async (ctx) => work(await loadChatJob()).run(ctx) };
}
