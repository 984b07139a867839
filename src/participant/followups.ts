// The follow-ups VS Code offers under an @nemo answer, from what that answer left
// behind (its result metadata): Export only when there is a video to export and it
// was not just saved; edits only when there is a project to edit; nothing after a
// failure, a stop, a refusal or an answer that changed nothing (credits, help).
import * as vscode from 'vscode';

/** What an answer records in its ChatResult.metadata for the follow-ups. */
export interface AnswerState {
  command?: string;
  /** The project has a timeline (there is something to edit). */
  project?: boolean;
  /** The timeline can be rendered. */
  exportable?: boolean;
  /** The file this answer saved. */
  exported?: string;
  cancelled?: boolean;
  failed?: boolean;
  errors?: number;
}

export function followupsFor(metadata: unknown): vscode.ChatFollowup[] {
  const s = (metadata && typeof metadata === 'object' ? metadata : {}) as AnswerState;
  if (s.cancelled || s.failed || (s.errors ?? 0) > 0 || !s.project) return [];
  const out: vscode.ChatFollowup[] = [];
  if (s.exportable && !s.exported) {
    out.push({ command: 'export', prompt: vscode.l10n.t('Export the video'), label: vscode.l10n.t('Export') });
  }
  // Sent as /edit: a follow-up otherwise goes to the answer's own command, and a second /generate would spend credits.
  out.push({ command: 'edit', prompt: vscode.l10n.t('Make the video shorter'), label: vscode.l10n.t('Make it shorter') });
  out.push({ command: 'edit', prompt: vscode.l10n.t('Add background music that fits the video'), label: vscode.l10n.t('Add music') });
  return out;
}
