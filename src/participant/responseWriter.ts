// Writes to VS Code's chat response stream. Text from the backend (assistant
// replies, segment names, titles) is untrusted: it is escaped so it shows as
// plain text - no links, images, HTML or command URIs can come from it.
import * as vscode from 'vscode';
import type { MessageAction } from '../protocol';
import { redactOut } from '../redaction';
import type { FeedPiece } from './transcriptFeed';

/** Control characters (except tab and line breaks) and bidi overrides, which can disguise text ("gpj.exe"). */
const INVISIBLE_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Markdown that shows `text` literally: every ASCII punctuation character is
 * backslash-escaped (CommonMark allows that for all of them), so no emphasis,
 * link, image, HTML or autolinked URL can come out of it; line breaks stay,
 * invisible control characters go.
 * (MarkdownString.appendText turns every space into &nbsp;, which stops long
 * replies from wrapping in the Chat view, and leaves bare URLs clickable.)
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(INVISIBLE_CONTROLS, '')
    .replace(/[!-/:-@[-`{-~]/g, '\\$&')
    .replace(/\r\n?|\n/g, '  \n');
}

/** `text` as inert Markdown: escaped, untrusted (no command links), no HTML, no theme icons. */
export function plainMarkdown(text: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(escapeMarkdown(redactOut(text)), false);
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}

export class ResponseWriter {
  constructor(private readonly stream: vscode.ChatResponseStream) {}

  /** A progress line: its text (tool names, steps) may come from the backend, so it is escaped too. */
  progress(text: string): void {
    this.stream.progress(escapeMarkdown(redactOut(text)));
  }

  /** Untrusted or translated text, as its own paragraph. */
  text(text: string): void {
    this.stream.markdown(plainMarkdown(text));
    this.stream.markdown('\n\n');
  }

  /** Markdown written by this extension (help texts): never backend text. */
  ownMarkdown(markdown: string): void {
    this.stream.markdown(markdown);
    this.stream.markdown('\n\n');
  }

  button(command: vscode.Command): void {
    this.stream.button(command);
  }

  /** One piece of what the chat panel shows; error cards keep their Set token / https link buttons. */
  piece(p: FeedPiece): void {
    if (p.kind === 'progress') {
      this.progress(p.text);
      return;
    }
    this.text(p.text);
    if (p.role !== 'error') return;
    for (const action of p.actions) {
      const button = errorButton(action);
      if (button) this.button(button);
    }
  }
}

function errorButton(action: MessageAction): vscode.Command | undefined {
  if (action.id === 'setToken') return { command: 'nemoVideo.setToken', title: action.label };
  if (action.id === 'openLink' && action.url) {
    try {
      const url = new URL(action.url);
      // The same rule as the panel: https only, never credentials in the link. VS Code asks before opening it.
      if (url.protocol !== 'https:' || url.username || url.password) return undefined;
      return { command: 'vscode.open', title: action.label, arguments: [vscode.Uri.parse(url.toString(), true)] };
    } catch {
      return undefined;
    }
  }
  return undefined;
}
