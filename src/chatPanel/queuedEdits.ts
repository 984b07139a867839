// Edit-and-resend: the user's last message may be changed while it still waits in the
// queue, because nothing of it has reached the agent yet. Its Edit button is offered
// when the job is queued and taken away when it starts or leaves the queue; an edit
// the host did not offer (the message started meanwhile, or never waited) is refused,
// so a message the agent already has is never cancelled or sent twice.
import * as vscode from 'vscode';
import type { Job } from '../jobs/job';
import type { NemoLog } from '../log';
import type { RequestReply } from '../protocol';
import type { Transcript } from './transcript';

export interface QueuedEditDeps {
  transcript: Transcript;
  log: Pick<NemoLog, 'warn'>;
  /** Sends the edited text as a new message. */
  send(text: string): void;
}

export class QueuedEdits {
  /** The user message whose job waits in the queue, with its Edit button. */
  private offered: { messageId: string; job: Job } | undefined;
  /** Messages replaced by an edit: their job leaves the queue as edited, not stopped. */
  private readonly edited = new Set<string>();

  constructor(private readonly d: QueuedEditDeps) {}

  /** The job of `messageId` waits: its message gets Edit (and an earlier one loses it). */
  offer(messageId: string, job: Job): void {
    if (this.offered) this.withdraw(this.offered.messageId);
    this.offered = { messageId, job };
    this.d.transcript.update(messageId, { actions: [{ id: 'edit', label: vscode.l10n.t('Edit'), arg: messageId }] });
  }

  /** The job started or left the queue: no more editing. */
  withdraw(messageId: string): void {
    if (this.offered?.messageId !== messageId) return;
    this.offered = undefined;
    if (this.d.transcript.get(messageId)?.actions?.some((a) => a.id === 'edit')) this.d.transcript.update(messageId, { actions: [] });
  }

  /** True once for a message an edit replaced (its job was dropped for it). */
  takeEdited(messageId: string): boolean {
    return this.edited.delete(messageId);
  }

  edit(messageId: string, text: string): RequestReply {
    const offered = this.offered;
    const trimmed = text.trim();
    if (!offered || offered.messageId !== messageId) {
      this.d.log.warn(`Refused an edit of message ${messageId}, which is not waiting in the queue.`);
      return { ok: false, error: vscode.l10n.t('That message was already sent, so it can no longer be edited.') };
    }
    if (!trimmed) return { ok: false, error: vscode.l10n.t('Type a message first.') };
    this.edited.add(messageId);
    // Still queued (an event withdraws the offer the moment it starts): cancelling only drops it.
    offered.job.cancel();
    this.withdraw(messageId);
    this.d.send(trimmed);
    return { ok: true };
  }
}
