// Status bar: the credit balance (click: Show Credits), refreshed after each
// run, and - issue 8 - a clear marker whenever requests go anywhere other than
// the documented NemoVideo API: the bundled simulator or a custom origin.
import * as vscode from 'vscode';
import type { Backend } from './client/clientProvider';

export class StatusBar implements vscode.Disposable {
  private readonly credits: vscode.StatusBarItem;
  private readonly origin: vscode.StatusBarItem;
  private available: number | undefined;

  constructor() {
    this.credits = vscode.window.createStatusBarItem('nemoVideo.credits', vscode.StatusBarAlignment.Right, 100);
    this.credits.name = vscode.l10n.t('NemoVideo Credits');
    this.credits.command = 'nemoVideo.showCredits';
    this.origin = vscode.window.createStatusBarItem('nemoVideo.origin', vscode.StatusBarAlignment.Right, 101);
    this.origin.name = vscode.l10n.t('NemoVideo Backend');
    this.setCredits(undefined);
  }

  get creditsAvailable(): number | undefined {
    return this.available;
  }

  setCredits(available: number | undefined): void {
    this.available = available;
    this.credits.text = available === undefined ? '$(credit-card) NemoVideo' : `$(credit-card) ${vscode.l10n.t('{0} credits', formatCredits(available))}`;
    this.credits.tooltip = vscode.l10n.t('NemoVideo credits: click for details');
    this.credits.show();
  }

  /** Shows where requests go when that is not the documented production API. */
  setBackend(b: Backend): void {
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
    this.credits.dispose();
    this.origin.dispose();
  }
}

export function formatCredits(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toFixed(1);
}
