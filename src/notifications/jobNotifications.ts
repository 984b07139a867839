// VS Code notifications for the jobs of every project and front end: a saved video
// (Open, Reveal in Explorer, Open in NemoVideo Web), and the errors a job asks to be
// told outside the chat too (everything but a chat run, which the user is watching).
// The render's and the upload's progress notifications, with their Cancel, belong to
// ExportService and UploadService.
import * as vscode from 'vscode';
import type { ExportResult } from '../export/exportService';
import { openExported, revealExported } from '../export/openExported';
import type { JobEvent } from '../jobs/job';
import type { JobRunner } from '../jobs/runner';
import { redactOut } from '../redaction';

export function showJobNotifications(runner: JobRunner): vscode.Disposable {
  return runner.onDidSubmit((job) => {
    job.onEvent((e) => {
      if (e.type === 'error') notifyFailure(e);
      else if (e.type === 'exported') announceExport(e.file);
    });
  });
}

/** The error as a notification, when it asks for one. */
export function notifyFailure(e: Pick<Extract<JobEvent, { type: 'error' }>, 'text' | 'notify'>): void {
  if (!e.notify) return;
  const text = redactOut(e.text.replace(/^⚠️ /, ''));
  // Not awaited: a notification stays until dismissed.
  if (e.notify === 'warning') void vscode.window.showWarningMessage(text);
  else void vscode.window.showErrorMessage(text);
}

function announceExport(result: ExportResult): void {
  const open = vscode.l10n.t('Open');
  const reveal = vscode.l10n.t('Reveal in Explorer');
  const web = vscode.l10n.t('Open in NemoVideo Web');
  // Not awaited: a notification stays until dismissed and must not hold up the queue.
  void vscode.window.showInformationMessage(vscode.l10n.t('Video saved to {0}', result.label), open, reveal, web).then((choice) => {
    if (choice === open) void openExported(result.uri);
    else if (choice === reveal) void revealExported(result.uri);
    else if (choice === web) void vscode.commands.executeCommand('nemoVideo.openInWeb');
  });
}
