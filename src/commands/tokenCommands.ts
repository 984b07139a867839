// Set API Token… and Sign Out. The token goes only to SecretStorage (or comes
// from NEMO_TOKEN); the password box never echoes it, and nothing logs it.
// The Accounts menu (auth/authProvider.ts) signs in and out through the same
// functions, so every path changes the same state.
import * as vscode from 'vscode';
import { tokenShapeProblem } from '../auth/tokenStore';
import { askInput } from '../dialogs/prompts';
import type { CommandDeps } from './deps';

/** What storing or removing the token touches. */
export type TokenDeps = Pick<CommandDeps, 'tokens' | 'projects' | 'credits' | 'clients' | 'log'>;

export async function setToken(d: TokenDeps): Promise<void> {
  const value = await askForToken();
  if (value === undefined) return;
  await saveToken(d, value);
  if (d.tokens.envToken()) {
    void vscode.window.showWarningMessage(vscode.l10n.t('The token was saved, but NEMO_TOKEN is set in the environment and is used instead.'));
  } else {
    void vscode.window.showInformationMessage(vscode.l10n.t('NemoVideo token saved.'));
  }
}

/** The password box; undefined when dismissed or when what was pasted cannot be a token. */
export async function askForToken(): Promise<string | undefined> {
  const value = await askInput({
    title: vscode.l10n.t('NemoVideo API Token'),
    prompt: vscode.l10n.t("Paste an API token from nemovideo.com (Settings → API Tokens). It is kept in VS Code's secret storage."),
    placeHolder: 'nmv_usr_…',
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => {
      const p = tokenShapeProblem(v);
      if (!p) return undefined;
      return { message: p.message, severity: p.severity === 'error' ? vscode.InputBoxValidationSeverity.Error : vscode.InputBoxValidationSeverity.Warning };
    },
  });
  if (value === undefined || tokenShapeProblem(value)?.severity === 'error') return undefined;
  return value.trim();
}

/** Stores the token; the projects belonged to the previous identity. The balance is fetched in the background. */
export async function saveToken(d: TokenDeps, value: string): Promise<void> {
  await d.tokens.set(value);
  await d.projects.clear();
  void d.credits.refresh().catch((e: unknown) => d.log.failure('Could not check the credits with the new token', e));
}

export async function signOut(d: TokenDeps): Promise<void> {
  await forgetTokens(d);
  if (d.tokens.envToken()) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Signed out. NEMO_TOKEN is still set in the environment, so it is still used.'));
  } else {
    void vscode.window.showInformationMessage(vscode.l10n.t('Signed out of NemoVideo. The stored tokens were removed.'));
  }
}

/** Sign Out without the message: the user token, the guest tokens, the projects and the balance go. */
export async function forgetTokens(d: TokenDeps): Promise<void> {
  await d.tokens.signOut();
  await d.projects.clear();
  d.credits.forget();
  d.clients.invalidate('signed out');
}
