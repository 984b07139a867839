// A second listener on the chat transcript. The chat panel is the transcript's
// sink; extension.ts puts this feed beside it, so the @nemo participant and the
// language-model tool see exactly the messages the panel gets (progress lines,
// "Still working…", assistant texts, summaries, error cards) without a second
// copy of the run logic.
import * as vscode from 'vscode';
import type { MessageSink } from '../conversation/transcript';
import type { ChatMessage, HostToWebview, MessageAction } from '../protocol';

export class TranscriptFeed implements MessageSink, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<HostToWebview>();
  readonly onDidPost = this.emitter.event;

  post(msg: HostToWebview): void {
    this.emitter.fire(msg);
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

/** Posts every message to each sink in turn; one failing sink does not starve the others. */
export function fanOut(...sinks: MessageSink[]): MessageSink {
  return {
    post(msg) {
      let failure: unknown;
      for (const sink of sinks) {
        try {
          sink.post(msg);
        } catch (e) {
          failure ??= e;
        }
      }
      if (failure !== undefined) throw failure;
    },
  };
}

/** What a chat-like front end shows for one transcript change. */
export type FeedPiece =
  | { kind: 'progress'; text: string }
  | { kind: 'text'; role: 'assistant' | 'system' | 'error'; text: string; actions: MessageAction[] };

/**
 * Turns the panel's messages into pieces for a stream that can only append:
 * a streamed assistant message is shown once, when its final text arrives;
 * the user's own messages and later edits of other messages are skipped.
 */
export class FeedReader {
  private readonly streaming = new Set<string>();

  read(msg: HostToWebview): FeedPiece[] {
    if (msg.type === 'messageAdded') return this.added(msg.message);
    if (msg.type === 'messageUpdated') return this.updated(msg.message);
    return [];
  }

  private added(m: ChatMessage): FeedPiece[] {
    if (m.role === 'user') return [];
    if (m.role === 'progress') return m.text.trim() ? [{ kind: 'progress', text: m.text }] : [];
    if (m.status === 'streaming') {
      this.streaming.add(m.id);
      return [];
    }
    return textPiece(m);
  }

  private updated(m: ChatMessage): FeedPiece[] {
    if (!this.streaming.has(m.id) || m.status === 'streaming') return [];
    this.streaming.delete(m.id);
    // A stopped or failed stream is followed by its own "Stopped"/error message.
    return m.status === 'done' || m.status === undefined ? textPiece(m) : [];
  }
}

function textPiece(m: ChatMessage): FeedPiece[] {
  if (!m.text.trim() || m.role === 'user' || m.role === 'progress') return [];
  return [{ kind: 'text', role: m.role, text: m.text, actions: m.actions ?? [] }];
}
