// The kinds of job and how each is done, wired to the runner.
import { messageJob, generationJob, updateJob, type ChatJobDeps } from './chatJob';
import { exportJob, resumeExportsJob } from './exportJob';
import type { JobRequest } from './job';
import { JobRunner, type JobWork } from './runner';
import { uploadJob, uploadUrlJob, type UploadJobDeps } from './uploadJob';

export type JobDeps = ChatJobDeps & UploadJobDeps;

export function createJobRunner(d: JobDeps, onUnexpected: (e: unknown) => void): JobRunner {
  const workFor = (request: JobRequest): JobWork => {
    switch (request.kind) {
      case 'message':
        return messageJob(d, request.text);
      case 'generation':
        return generationJob(d, request.request);
      case 'update':
        return updateJob(d, request.source);
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
