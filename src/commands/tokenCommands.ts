// Set API Token… and Sign Out. The token goes only to SecretStorage (or comes
// from NEMO_TOKEN); the password box never echoes it, and nothing logs it.
import * as vscode from 'vscode';
import { tokenShapeProblem } from '../auth/tokenStore';
import type { CommandDeps } from './deps';

export async function setToken(d: CommandDeps): Promise<void> {
  const value = await vscode.window.showInputBox({
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
  if (value === undefined || tokenShapeProblem(value)?.severity === 'error') return;
  await d.tokens.set(value);
  await d.projects.clear();
  if (d.tokens.envToken()) {
    void vscode.window.showWarningMessage(vscode.l10n.t('The token was saved, but NEMO_TOKEN is set in the environment and is used instead.'));
  } else {
    void vscode.window.showInformationMessage(vscode.l10n.t('NemoVideo token saved.'));
  }
  void d.credits.refresh().catch((e: unknown) => d.log.failure('Could not check the credits with the new token', e));
}

export async function signOut(d: CommandDeps): Promise<void> {
  await d.tokens.signOut();
  await d.projects.clear();
  d.credits.forget();
  d.clients.invalidate('signed out');
  if (d.tokens.envToken()) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Signed out. NEMO_TOKEN is still set in the environment, so it is still used.'));
  } else {
    void vscode.window.showInformationMessage(vscode.l10n.t('Signed out of NemoVideo. The stored tokens were removed.'));
  }
}
