// Try Offline with the Simulator: this window only switches to the bundled
// simulator (the settings are never written); running it again offers to stop it.
import * as vscode from 'vscode';
import type { CommandDeps } from './deps';

export async function tryOffline(d: CommandDeps): Promise<void> {
  if (d.simulator.url) {
    const stop = vscode.l10n.t('Stop the Simulator');
    void vscode.window.showInformationMessage(vscode.l10n.t('NemoVideo already uses the offline simulator in this window.'), stop).then(async (choice) => {
      if (choice !== stop) return;
      await d.simulator.stop();
      d.clients.useSimulator(undefined);
      d.timeline.set(undefined);
      d.tellChat(vscode.l10n.t('Simulator stopped. NemoVideo uses {0} again.', d.clients.backend().apiBaseUrl));
    });
    return;
  }
  const url = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Starting the NemoVideo simulator…') }, () => d.simulator.start());
  d.clients.useSimulator(url);
  d.timeline.set(undefined);
  d.log.info(`Offline simulator running at ${url} (this window only; settings unchanged).`);
  d.tellChat(
    vscode.l10n.t('🧪 Offline mode: this window now uses the built-in simulator. Nothing is sent to NemoVideo and no credits are spent; the videos are samples. Run Try Offline again to switch back.'),
  );
  d.openChat();
}
