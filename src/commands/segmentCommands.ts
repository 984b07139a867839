// Edit with Prompt… and Remove on a timeline segment: a scoped request sent
// through the chat, e.g. `On the title "Urban Dreams" (0–3s): make it red`.
// The node argument is only a pointer into the tree: the segment is looked up in
// the timeline the view shows, so another extension cannot make up the text we
// send, and both commands always ask first (dialogs/prompts.ts).
import * as vscode from 'vscode';
import { askInput, confirmModal } from '../dialogs/prompts';
import { describeSegment } from '../timelineTree/timelineProvider';
import type { CommandDeps } from './deps';

export async function editSegment(d: CommandDeps, node: unknown): Promise<void> {
  const shown = d.timeline.segmentFor(node);
  if (!shown) return;
  const target = describeSegment(shown.track, shown.segment);
  const instruction = await askInput({
    title: vscode.l10n.t('Edit with Prompt'),
    prompt: vscode.l10n.t('What should change on {0}?', target),
    placeHolder: vscode.l10n.t('for example: make it red'),
    ignoreFocusOut: true,
    validateInput: (v) => (v.length > 2_000 ? vscode.l10n.t('Keep it under 2,000 characters.') : undefined),
  });
  if (!instruction?.trim()) return;
  d.openChat({ preserveFocus: true });
  d.runner.submit({ kind: 'message', projectId: d.projects.activeId, text: `On ${target}: ${instruction.trim().slice(0, 2_000)}` });
}

export async function removeSegment(d: CommandDeps, node: unknown): Promise<void> {
  const shown = d.timeline.segmentFor(node);
  if (!shown) return;
  const target = describeSegment(shown.track, shown.segment);
  if (!(await confirmModal(vscode.l10n.t('Remove {0} from the video?', target), vscode.l10n.t('Remove')))) return;
  d.openChat({ preserveFocus: true });
  d.runner.submit({ kind: 'message', projectId: d.projects.activeId, text: `Remove ${target}` });
}
