// What the Accounts menu shows for NemoVideo, as plain values: the session made
// from a stored token, the differences VS Code is told about, and the texts.
//
// The account label names the KIND of sign-in and nothing else. VS Code keys the
// extensions a user allowed to use an account by its label, so a label that
// changed with the balance would silently revoke those grants; and no part of a
// token, not even its end, ever goes into a label or an id. The balance is said
// in the sign-in choices and the message after signing in (and the status bar).
import * as vscode from 'vscode';
import { formatCredits } from '../client/credits';

export const AUTH_PROVIDER_ID = 'nemovideo';

/** `user`: an API token the user pasted. `guest`: the anonymous token the service issued (docs/protocol.md §3.1). */
export type AccountKind = 'user' | 'guest';

export interface AccountSession {
  readonly id: string;
  readonly accessToken: string;
  readonly account: { readonly id: string; readonly label: string };
  readonly scopes: readonly string[];
}

/** Free credits and lifetime of a guest token (docs/protocol.md §9). */
export const GUEST_CREDITS = 100;
export const GUEST_TOKEN_DAYS = 7;

export function accountLabel(kind: AccountKind): string {
  return kind === 'user' ? vscode.l10n.t('Your API token') : vscode.l10n.t('Guest');
}

/**
 * The scopes a session is reported with when nobody asked for particular ones. A token's
 * real scopes live on the server (docs/protocol.md §3.1); the one session serves any
 * request. Not empty: VS Code matches an empty scope list to no sign-in request, so its
 * "Sign in with NemoVideo" entry would outlive the sign-in.
 */
export const SESSION_SCOPES: readonly string[] = ['api'];

/** One session per kind: its id and account id are the kind, so they stay the same when the token is replaced. */
export function toSession(kind: AccountKind, accessToken: string, scopes: readonly string[] = SESSION_SCOPES): AccountSession {
  return {
    id: `nemovideo.${kind}`,
    accessToken,
    account: { id: `nemovideo.${kind}`, label: accountLabel(kind) },
    scopes: [...(scopes.length > 0 ? scopes : SESSION_SCOPES)],
  };
}

export interface SessionChanges {
  added: AccountSession[];
  removed: AccountSession[];
  changed: AccountSession[];
}

/** What changed between two readings: by id, and `changed` when the same kind now has another token. */
export function sessionChanges(before: readonly AccountSession[], after: readonly AccountSession[]): SessionChanges {
  const old = new Map(before.map((s) => [s.id, s]));
  const now = new Map(after.map((s) => [s.id, s]));
  return {
    added: after.filter((s) => !old.has(s.id)),
    removed: before.filter((s) => !now.has(s.id)),
    changed: after.filter((s) => old.has(s.id) && old.get(s.id)!.accessToken !== s.accessToken),
  };
}

export function hasChanges(c: SessionChanges): boolean {
  return c.added.length + c.removed.length + c.changed.length > 0;
}

export type SignInChoice = 'token' | 'guest';

/** The two ways in, with what each gets (docs/protocol.md §9, §10, §11). */
export function signInChoices(): Array<vscode.QuickPickItem & { id: SignInChoice }> {
  return [
    {
      id: 'token',
      label: vscode.l10n.t('Paste an API token'),
      detail: vscode.l10n.t('From nemovideo.com → Settings → API Tokens. Your account keeps its projects, and you can top up credits there.'),
    },
    {
      id: 'guest',
      label: vscode.l10n.t('Continue as a guest'),
      detail: vscode.l10n.t('{0} free credits, about one generated video. A guest token lasts {1} days.', GUEST_CREDITS, GUEST_TOKEN_DAYS),
    },
  ];
}

/** Said after signing in; the balance when it could be fetched. */
export function signedInMessage(kind: AccountKind, available: number | undefined): string {
  const who = kind === 'user' ? vscode.l10n.t('Signed in to NemoVideo with your API token.') : vscode.l10n.t('Continuing as a NemoVideo guest.');
  return available === undefined ? who : `${who} ${vscode.l10n.t('{0} credits available.', formatCredits(available))}`;
}
