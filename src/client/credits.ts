// The credit balance as last fetched, for the front ends that show it (the status
// bar, the chat panel's header, the language-model tool's confirmation). Fetched
// after every run and on request; never on a timer.
import * as vscode from 'vscode';
import type { Credits } from '../core/api/types';
import type { ClientProvider } from './clientProvider';

export class CreditBalance implements vscode.Disposable {
  private known: number | undefined;
  private readonly changed = new vscode.EventEmitter<number | undefined>();
  /** The balance changed (undefined: not known, e.g. after signing out). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly clients: ClientProvider) {}

  /** The balance as last fetched, if it was. */
  get available(): number | undefined {
    return this.known;
  }

  /** Fetches the balance (and tells the front ends). */
  async refresh(signal?: AbortSignal): Promise<Credits> {
    const api = await this.clients.get();
    const c = await api.credits(signal);
    this.set(c.available);
    return c;
  }

  /** Forgets the balance (signed out). */
  forget(): void {
    this.set(undefined);
  }

  private set(available: number | undefined): void {
    this.known = available;
    this.changed.fire(available);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function creditsText(c: Credits): string {
  return vscode.l10n.t('💳 {0} credits available ({1} reserved for work in progress, {2} in total).', c.available, c.frozen, c.total);
}

/** 1,234 or 12.5. */
export function formatCredits(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toFixed(1);
}
