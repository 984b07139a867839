// Upload Media as a job: the questions first (which file, a large file, an
// untrusted workspace), at once and outside the queue; then the upload into the
// project when the job's turn comes.
import * as vscode from 'vscode';
import { describeUpload, UploadProblem, type UploadService } from '../upload/uploadService';
import { failureEvent, type FailureDeps } from './failure';
import type { JobWork } from './runner';

export interface UploadJobDeps extends FailureDeps {
  uploader: UploadService;
}

export function uploadJob(d: UploadJobDeps, given: vscode.Uri | undefined): JobWork {
  let file: vscode.Uri | undefined;
  return {
    prepare: async (ctx) => {
      try {
        file = await d.uploader.prepare(given);
      } catch (e) {
        // Nothing was sent, and no step of other work ended. A problem with the file is a warning.
        if (e instanceof UploadProblem) ctx.emit({ type: 'error', error: e, text: `⚠️ ${e.message}`, remedies: [], notify: 'warning' });
        else ctx.emit({ ...failureEvent(d, e, 'upload'), endsStep: undefined });
        return false;
      }
      return file !== undefined;
    },
    run: async (ctx) => {
      const picked = file!;
      try {
        const api = await d.clients.get();
        const { project } = await d.projects.ensureSession(ctx.projectId, api, '', ctx.signal);
        const files = await d.uploader.upload(api, project.sessionId, picked, ctx.signal, (percent) => ctx.emit({ type: 'transfer', transfer: { what: 'upload', percent } }));
        const list = files.map(describeUpload).join(', ') || picked.path.split('/').pop();
        ctx.emit({ type: 'notice', text: vscode.l10n.t('📎 Uploaded {0}. Tell NemoVideo what to do with it.', list ?? '') });
        return { uploaded: files };
      } catch (e) {
        ctx.emit(failureEvent(d, e, 'upload'));
        return undefined;
      }
    },
  };
}
