// The buttons of a question: the webview only names the message and the choice it
// pressed; the host sends that choice as the user's answer only when it offered it on
// that message, and only once (the buttons go when one is pressed). An answer is a
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
}
