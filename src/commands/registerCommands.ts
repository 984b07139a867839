// Every command of the manifest (ids are fixed: checks call them), registered
// synchronously at activation. Each is a thin adapter: work goes to the job runner.
import * as vscode from 'vscode';
import { creditsText } from '../client/credits';
import { isNemoError } from '../core/errors';
import { redactOut } from '../redaction';
import { loadCommandActions } from '../lazy/chunks';
import type { CommandDeps } from './deps';
import { registerProjectCommands } from './projectCommands';
import { setToken, signOut } from './tokenCommands';

export function registerCommands(d: CommandDeps): vscode.Disposable[] {
  const guarded =
    (id: string, fn: (...args: never[]) => unknown) =>
    async (...args: never[]): Promise<void> => {
      try {
        await fn(...args);
      } catch (e) {
        d.log.failure(`Command ${id} failed`, e);
        const message = isNemoError(e) ? e.message : e instanceof Error ? e.message : String(e);
        void vscode.window.showErrorMessage(vscode.l10n.t('NemoVideo: {0}', redactOut(message)));
      }
    };
  const register = (id: string, fn: (...args: never[]) => unknown) => vscode.commands.registerCommand(id, guarded(id, fn));

  return [
    register('nemoVideo.generateFromSelection', async () => (await loadCommandActions()).generateFromSelection(d)),
    register('nemoVideo.openChat', () => d.openChat({ reportErrors: true })),
    register('nemoVideo.newSession', async () => {
      await d.newProject();
      d.openChat();
    }),
    // Resolve when the job has ended, as callers of executeCommand expect.
    register('nemoVideo.export', () => d.runner.submit({ kind: 'export', projectId: d.projects.activeId }).result),
    register('nemoVideo.upload', (uri?: vscode.Uri) => d.runner.submit({ kind: 'upload', projectId: d.projects.activeId, file: uri instanceof vscode.Uri ? uri : undefined }).result),
    register('nemoVideo.showCredits', () => showCredits(d)),
    register('nemoVideo.setToken', () => setToken(d)),
    register('nemoVideo.signOut', () => signOut(d)),
    register('nemoVideo.openInWeb', () => d.openInWeb()),
    register('nemoVideo.refreshTimeline', () => d.timeline.refresh()),
    register('nemoVideo.tryOffline', async () => (await loadCommandActions()).tryOffline(d)),
    // Only the tree node: extra arguments are ignored, so no caller can skip the questions.
    register('nemoVideo.editSegment', async (node?: unknown) => (await loadCommandActions()).editSegment(d, node)),
    register('nemoVideo.removeSegment', async (node?: unknown) => (await loadCommandActions()).removeSegment(d, node)),
    ...registerProjectCommands(d, register),
  ];
}

async function showCredits(d: CommandDeps): Promise<void> {
  const c = await d.credits.refresh();
  const anonymous = d.clients.peek()?.tokenIsAnonymous ?? false;
  const setToken = vscode.l10n.t('Set API Token…');
  // Not awaited: the command is done once the balance is shown; the notification may stay open.
  if (!anonymous) {
    void vscode.window.showInformationMessage(creditsText(c));
    return;
  }
  void vscode.window.showInformationMessage(`${creditsText(c)} ${vscode.l10n.t('These are guest credits; set an API token to use your own account.')}`, setToken).then((choice) => {
    if (choice === setToken) void vscode.commands.executeCommand('nemoVideo.setToken');
  });
}
