// Status bar: the credit balance as last fetched (click: Show Credits), and a
// clear marker whenever requests go anywhere other than the documented NemoVideo
// API: the bundled simulator or a custom origin.
import * as vscode from 'vscode';
import type { Backend, ClientProvider } from '../client/clientProvider';
import { formatCredits, type CreditBalance } from '../client/credits';

export class StatusBar implements vscode.Disposable {
  private readonly credits: vscode.StatusBarItem;
  private readonly origin: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[];

  constructor(balance: CreditBalance, private readonly clients: ClientProvider) {
    this.credits = vscode.window.createStatusBarItem('nemoVideo.credits', vscode.StatusBarAlignment.Right, 100);
    this.credits.name = vscode.l10n.t('NemoVideo Credits');
    this.credits.command = 'nemoVideo.showCredits';
    this.origin = vscode.window.createStatusBarItem('nemoVideo.origin', vscode.StatusBarAlignment.Right, 101);
    this.origin.name = vscode.l10n.t('NemoVideo Backend');
    this.setCredits(undefined);
    this.subscriptions = [balance.onDidChange((available) => this.setCredits(available)), clients.onDidChange(() => this.showBackend())];
  }

  /** Shows where requests go; reads the settings, so not during activation. */
  showBackend(): void {
    this.setBackend(this.clients.backend());
  }

  private setCredits(available: number | undefined): void {
    this.credits.text = available === undefined ? '$(credit-card) NemoVideo' : `$(credit-card) ${vscode.l10n.t('{0} credits', formatCredits(available))}`;
    this.credits.tooltip = vscode.l10n.t('NemoVideo credits: click for details');
    this.credits.show();
  }

  /** Shows where requests go when that is not the documented production API. */
  private setBackend(b: Backend): void {
    if (b.simulator) {
      this.origin.text = `$(beaker) ${vscode.l10n.t('NemoVideo: Simulator')}`;
      this.origin.tooltip = vscode.l10n.t('NemoVideo uses the bundled offline simulator at {0} in this window. Nothing is sent to NemoVideo.', b.apiBaseUrl);
      this.origin.backgroundColor = undefined;
      this.origin.show();
      return;
    }
    if (!b.isDefault) {
      const u = new URL(b.apiBaseUrl);
      this.origin.text = `$(warning) ${vscode.l10n.t('NemoVideo: custom API {0}', u.host)}`;
      this.origin.tooltip = vscode.l10n.t('NemoVideo sends your requests and token to {0} (from your user settings or NEMO_API_URL), not to the default NemoVideo API.', u.origin);
      this.origin.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      this.origin.show();
      return;
    }
    this.origin.hide();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.credits.dispose();
    this.origin.dispose();
  }
}
