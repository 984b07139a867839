// Generate Video from Selection: every non-empty selection becomes its own
// generation job (own project, own run, own file), after the options and the cost
// confirmation (dialogs/generationOptions.ts).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { prepareGeneration } from '../dialogs/generationOptions';
import { MAX_SELECTION_CHARS } from '../jobs/generation';
import type { SourceAnchor } from '../core/projects/sourceAnchor';
import { loadProjectCore } from '../lazy/chunks';
import { titleFromText } from '../projects/projects';
import type { CommandDeps } from './deps';

export async function generateFromSelection(d: CommandDeps): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const picked = editor ? editor.selections.map((s) => ({ range: s, text: editor.document.getText(s).trim() })).filter((t) => t.text !== '') : [];
  const texts = picked.map((p) => p.text);
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
  // Each selection is a project of its own, tied to its text; the chat shows the first.
  const { createAnchor } = await loadProjectCore();
  const ids = picked.map((p) => d.projects.newPending({ title: titleFromText(p.text) || source, ...anchorOf(createAnchor, editor.document, p.range) }));
  if (ids[0]) d.projects.setActive(ids[0]);
  ids.forEach((projectId, i) => d.runner.submit({ kind: 'generation', projectId, request: { text: picked[i]!.text, options, source } }));
}

/** The selection's anchor in its file (none for text an anchor cannot hold: the project is still made). */
function anchorOf(
  createAnchor: Awaited<ReturnType<typeof loadProjectCore>>['createAnchor'],
  document: vscode.TextDocument,
  range: vscode.Range,
): { source?: SourceAnchor } {
  try {
    return { source: createAnchor({ file: document.uri.toString(), document: document.getText(), range, markdown: document.languageId === 'markdown' }) };
  } catch {
    return {};
  }
}
