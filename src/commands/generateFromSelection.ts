// Generate Video from Selection: every non-empty selection becomes its own
// generation job (own project, own run, own file), after the options and the cost
// confirmation (dialogs/generationOptions.ts).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { prepareGeneration } from '../dialogs/generationOptions';
import { MAX_SELECTION_CHARS } from '../jobs/generation';
import { CURRENT_PROJECT } from '../project/projectStore';
import type { CommandDeps } from './deps';

export async function generateFromSelection(d: CommandDeps): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const texts = editor ? editor.selections.map((s) => editor.document.getText(s).trim()).filter((t) => t !== '') : [];
  if (!editor || texts.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Select the text you want to turn into a video first.'));
    return;
  }
  const tooLong = texts.find((t) => t.length > MAX_SELECTION_CHARS);
  if (tooLong) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('The selection is too long ({0} characters). Select at most {1} characters, for example one section of the script.', tooLong.length, MAX_SELECTION_CHARS),
    );
    return;
  }
  const openChat = () => d.openChat({ preserveFocus: true });
  const options = await prepareGeneration({ settings: d.settings, credits: d.credits, globalState: d.context.globalState, openChat, tellChat: d.tellChat }, texts.length);
  if (!options) return;
  openChat();
  const source = path.basename(editor.document.uri.path);
  // Queued one after another; the command returns once all are queued.
  for (const text of texts) d.runner.submit({ kind: 'generation', projectId: CURRENT_PROJECT, request: { text, options, source } });
}
