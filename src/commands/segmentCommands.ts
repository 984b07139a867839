// Edit with Prompt… and Remove on a timeline segment: a scoped request sent
// through the chat, e.g. `On the title "Urban Dreams" (0–3s): make it red`.
import * as vscode from 'vscode';
import { describeSegment, type TimelineNode } from '../tree/timelineProvider';
import type { CommandDeps } from './registerCommands';

export async function editSegment(d: CommandDeps, node?: TimelineNode, given?: string): Promise<void> {
  if (node?.kind !== 'segment') return;
  const target = describeSegment(node.track, node.segment);
  const instruction = typeof given === 'string' && given.trim() ? given.slice(0, 2_000) : await vscode.window.showInputBox({
    title: vscode.l10n.t('Edit with Prompt'),
    prompt: vscode.l10n.t('What should change on {0}?', target),
    placeHolder: vscode.l10n.t('for example: make it red'),
    ignoreFocusOut: true,
    validateInput: (v) => (v.length > 2_000 ? vscode.l10n.t('Keep it under 2,000 characters.') : undefined),
  });
  if (!instruction?.trim()) return;
  d.openChat({ preserveFocus: true });
  void d.workflows.sendToAgent(`On ${target}: ${instruction.trim()}`);
}

export async function removeSegment(d: CommandDeps, node?: TimelineNode, confirmed = false): Promise<void> {
  if (node?.kind !== 'segment') return;
  const target = describeSegment(node.track, node.segment);
  if (!confirmed) {
    const remove = vscode.l10n.t('Remove');
    const answer = await vscode.window.showWarningMessage(vscode.l10n.t('Remove {0} from the video?', target), { modal: true }, remove);
    if (answer !== remove) return;
  }
  d.openChat({ preserveFocus: true });
  void d.workflows.sendToAgent(`Remove ${target}`);
}
