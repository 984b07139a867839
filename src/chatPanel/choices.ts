// The buttons of a question: the webview only names the message and the choice it
// pressed; the host sends that choice as the user's answer only when it offered it on
// that message, and only once (the buttons go when one is pressed, or when the next
// message goes to the agent: a typed answer answers the question too). An answer is a
// normal next message in the same session (docs/protocol.md §4.9).
import * as vscode from 'vscode';
import type { NemoLog } from '../log';
import type { RequestReply } from '../protocol';
import type { Transcript } from './transcript';

export interface ChoiceDeps {
  transcript: Transcript;
  log: Pick<NemoLog, 'warn'>;
  /** Sends the answer to the agent, as a message of its own. */
  answer(text: string): void;
}

export class ChoiceAnswers {
  constructor(private readonly d: ChoiceDeps) {}

  press(messageId: string, choice: string): RequestReply {
    const message = this.d.transcript.get(messageId);
    if (!message?.choices?.includes(choice)) {
      this.d.log.warn(`Refused an answer the host did not offer on message ${messageId}.`);
      return { ok: false, error: vscode.l10n.t('That answer is no longer available. Type your answer instead.') };
    }
    this.d.transcript.update(messageId, { choices: [] });
    this.d.answer(choice);
    return { ok: true };
  }

  /**
   * The next message went to the agent (typed, sent again, from the Projects view): any
   * question still showing buttons has been answered or passed, so its buttons go. A
   * button pressed afterwards would be a second, stale answer.
   */
  retireOpen(): void {
    for (const m of this.d.transcript.messages()) if (m.choices?.length) this.d.transcript.update(m.id, { choices: [] });
  }
}
