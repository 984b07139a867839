// NemoVideo in VS Code's Accounts menu. The provider holds no token of its own:
// every session is read from the TokenStore (SecretStorage) when asked, and the
// menu's Sign In and Sign Out run the same functions as the Set API Token and
// Sign Out commands, so no path can leave the menu and the commands disagreeing.
//
// Any installed extension may ask VS Code for a NemoVideo session; VS Code asks
// the user first and gives it `accessToken` only with their consent (README,
// privacy notes). NEMO_TOKEN from the environment is never offered that way: it
// is not stored by us, so it is not ours to hand out.
import * as vscode from 'vscode';
import type { ClientProvider } from '../client/clientProvider';
import { askForToken, forgetTokens, saveToken, type TokenDeps } from '../commands/tokenCommands';
import { askPick } from '../dialogs/prompts';
import { redactOut } from '../redaction';
import type { Settings } from '../settings';
import { AUTH_PROVIDER_ID, SESSION_SCOPES, hasChanges, sessionChanges, signedInMessage, signInChoices, toSession, type AccountKind, type AccountSession } from './accountSession';

export interface AccountDeps extends TokenDeps {
  clients: ClientProvider;
  settings: Settings;
}

export class NemoAuthProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.changed.event;
  /** The sessions as last read, to tell VS Code only what changed. */
  private known: readonly AccountSession[] = [];
  /** Readings run one after another, so two quick changes cannot report out of order. */
  private reading: Promise<readonly AccountSession[]> = Promise.resolve([]);
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly d: AccountDeps) {
    this.subscriptions = [
      this.changed,
      d.tokens.onDidChangeStoredTokens(() => this.refreshInBackground()),
      // Another API origin has its own guest token.
      d.settings.onDidChange((e) => {
        if (e.originChanged) this.refreshInBackground();
      }),
    ];
  }

  /**
   * Registers the provider and the Sign In command (synchronous, no I/O). Right after
   * activation, a window with no NemoVideo session gets VS Code's own sign-in entry in
   * the Accounts menu (offerSignIn).
   */
  register(): vscode.Disposable[] {
    setTimeout(() => this.offerSignIn(), 0);
    return [
      vscode.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, 'NemoVideo', this, { supportsMultipleAccounts: false }),
      vscode.commands.registerCommand('nemoVideo.signIn', () => this.signIn().then(undefined, (e: unknown) => this.reportSignInFailure(e))),
    ];
  }

  /** Every scope list is served by the one session (SESSION_SCOPES). */
  async getSessions(scopes?: readonly string[]): Promise<vscode.AuthenticationSession[]> {
    const sessions = await this.refresh();
    return sessions.map((s) => toSession(s.id === 'nemovideo.user' ? 'user' : 'guest', s.accessToken, scopes ?? SESSION_SCOPES));
  }

  /** The Accounts menu's Sign In, or an extension asking with createIfNone (after VS Code asked the user). */
  async createSession(scopes: readonly string[]): Promise<vscode.AuthenticationSession> {
    const kind = await this.signIn();
    if (!kind) throw new vscode.CancellationError();
    const session = (await this.refresh()).find((s) => s.id === `nemovideo.${kind}`);
    if (!session) throw new Error(vscode.l10n.t('NemoVideo could not sign in.'));
    return toSession(kind, session.accessToken, scopes);
  }

  /** The Accounts menu's Sign Out: the same as the Sign Out command (user and guest tokens go). */
  async removeSession(): Promise<void> {
    await forgetTokens(this.d);
    await this.refresh();
    void vscode.window.showInformationMessage(vscode.l10n.t('Signed out of NemoVideo. The stored tokens were removed.'));
  }

  /**
   * Asks how to sign in and does it; the kind signed in, or undefined when the user
   * dismissed a question. Throws when continuing as a guest is not possible here.
   */
  async signIn(): Promise<AccountKind | undefined> {
    const choice = await askPick(signInChoices(), {
      title: vscode.l10n.t('Sign in to NemoVideo'),
      placeHolder: vscode.l10n.t('Use your NemoVideo account, or try it as a guest'),
      ignoreFocusOut: true,
    });
    if (choice === 'token') {
      const token = await askForToken();
      if (token === undefined) return undefined;
      await saveToken(this.d, token);
    } else if (choice === 'guest') {
      await this.continueAsGuest();
    } else {
      return undefined;
    }
    await this.refresh();
    void this.tellSignedIn(choice === 'token' ? 'user' : 'guest');
    return choice === 'token' ? 'user' : 'guest';
  }

  /** Stops using a pasted token (it is removed) and makes sure the service issued a guest token. */
  private async continueAsGuest(): Promise<void> {
    if (this.d.tokens.envToken()) throw new Error(vscode.l10n.t('NEMO_TOKEN is set in the environment, so NemoVideo uses that token. Remove it to continue as a guest.'));
    if (this.d.clients.backend().simulator) throw new Error(vscode.l10n.t('This window uses the offline simulator, which needs no sign-in.'));
    if (await this.d.tokens.get()) {
      await this.d.tokens.delete();
      await this.d.projects.clear();
    }
    const api = await this.d.clients.get();
    await api.ensureToken();
  }

  private async tellSignedIn(kind: AccountKind): Promise<void> {
    // The balance is a nicety here: without it the message still says who is signed in.
    const available = await this.d.credits.refresh().then(
      (c) => c.available,
      () => undefined,
    );
    void vscode.window.showInformationMessage(signedInMessage(kind, available));
  }

  /**
   * Without a session, NemoVideo would not show in the Accounts menu at all: asking VS Code
   * for a session without creating one adds its "Sign in with NemoVideo" entry there (and a
   * badge on the Accounts icon), which runs createSession when chosen. Asks nothing itself.
   */
  private offerSignIn(): void {
    void this.refresh()
      .then(async (sessions) => {
        if (sessions.length === 0) await vscode.authentication.getSession(AUTH_PROVIDER_ID, SESSION_SCOPES, { createIfNone: false });
      })
      .then(undefined, (e: unknown) => this.d.log.failure('Could not offer the NemoVideo sign-in in the Accounts menu', e));
  }

  private reportSignInFailure(e: unknown): void {
    this.d.log.failure('Sign in failed', e);
    void vscode.window.showErrorMessage(vscode.l10n.t('NemoVideo: {0}', redactOut(e instanceof Error ? e.message : String(e))));
  }

  private refreshInBackground(): void {
    this.refresh().then(undefined, (e: unknown) => this.d.log.failure('Could not read the stored NemoVideo tokens', e));
  }

  /** Reads the sessions from the token store and tells VS Code what changed since the last reading. */
  private refresh(): Promise<readonly AccountSession[]> {
    this.reading = this.reading.then(
      () => this.read(),
      () => this.read(),
    );
    return this.reading;
  }

  private async read(): Promise<readonly AccountSession[]> {
    const now = await this.currentSessions();
    const delta = sessionChanges(this.known, now);
    this.known = now;
    if (hasChanges(delta)) this.changed.fire(delta);
    // Signed out by any path: the menu's sign-in entry comes back.
    if (now.length === 0 && delta.removed.length > 0) setTimeout(() => this.offerSignIn(), 0);
    return now;
  }

  /** The pasted token if there is one (it is the one in use), else this API origin's guest token. */
  private async currentSessions(): Promise<AccountSession[]> {
    const user = await this.d.tokens.get();
    if (user) return [toSession('user', user)];
    const guest = await this.d.tokens.guestToken(new URL(this.d.settings.current().apiBaseUrl).origin);
    return guest ? [toSession('guest', guest)] : [];
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
