// What a job says when something ended its work: a plain notice for Stop or Cancel
// (nothing failed), else an error event with the plain-language text, the remedies,
// and whether a notification should say it too (everything but a chat run, which the
// user is watching). Also used for the chat panel's own requests (credits, timeline).
import * as vscode from 'vscode';
import type { ClientProvider } from '../client/clientProvider';
import type { NemoClient } from '../core/api/client';
import { isCancellation, isNemoError } from '../core/errors';
import { ExportProblem } from '../export/exportTarget';
import type { NemoLog } from '../log';
import type { Projects } from '../projects/projects';
import { UploadProblem } from '../upload/uploadService';
import { describeNemoError, type FailedOperation } from './errorText';
import type { JobEventBody } from './job';

export interface FailureDeps {
  clients: ClientProvider;
  projects: Projects;
  log: NemoLog;
}

export type FailureEvent = Extract<JobEventBody, { type: 'notice' | 'error' }>;

export function failureEvent(d: FailureDeps, e: unknown, operation: FailedOperation, opts: { resend?: boolean; api?: NemoClient } = {}): FailureEvent {
  if (isCancellation(e)) {
    return { type: 'notice', text: operation === 'export' ? vscode.l10n.t('Export cancelled.') : vscode.l10n.t('⏹ Stopped.'), endsStep: 'cancelled' };
  }
  if (e instanceof ExportProblem || e instanceof UploadProblem) {
    return { type: 'error', error: e, text: `⚠️ ${e.message}`, remedies: [], notify: 'error', endsStep: 'failed' };
  }
  if (isNemoError(e)) {
    // 1002 outside a run needs nothing here: the project's next run finds its session gone and gives it a new one.
    d.log.warn(`${operation} failed: ${e.kind}${e.code !== undefined ? ` (${e.code})` : ''}${e.detail ? `: ${e.detail}` : ''}`);
    const client = opts.api ?? d.clients.peek();
    let registerLink: string | undefined;
    try {
      registerLink = client?.registerLink();
    } catch {
      registerLink = undefined;
    }
    const described = describeNemoError(e, {
      operation,
      resend: opts.resend,
      tokenIsAnonymous: client?.tokenIsAnonymous ?? true,
      registerLink,
      webBaseUrl: d.clients.backend().webBaseUrl,
    });
    return { type: 'error', error: e, ...described, ...(operation !== 'run' ? { notify: 'error' as const } : {}), endsStep: 'failed' };
  }
  d.log.failure(`${operation} failed unexpectedly`, e);
  const text = vscode.l10n.t('Something went wrong: {0}', e instanceof Error ? e.message : String(e));
  return { type: 'error', error: e, text: `⚠️ ${text}`, remedies: [], endsStep: 'failed' };
}
