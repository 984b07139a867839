// Writes to VS Code's chat response stream. The agent's replies keep their
// Markdown, rebuilt inert (agentMarkdown.ts); other text from the backend is
// escaped so it shows as plain text (util/inertMarkdown.ts). Every path out is
// redacted, and no MarkdownString written here is trusted or allows HTML.
import * as vscode from 'vscode';
import type { Remedy } from '../jobs/errorText';
import { redactOut } from '../redaction';
import { escapeMarkdown, plainMarkdown } from '../util/inertMarkdown';
import { agentMarkdown } from './agentMarkdown';

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

  /** The agent's reply, formatted: redacted first, so a token cannot hide inside link or code syntax. */
  markdown(text: string): void {
    const md = new vscode.MarkdownString(agentMarkdown(redactOut(text)), false);
    md.isTrusted = false;
    md.supportHtml = false;
    this.stream.markdown(md);
    this.stream.markdown('\n\n');
  }

  /** A paragraph that ends with a link to a file (the saved video), which opens it in VS Code. */
  fileLine(text: string, uri: vscode.Uri, title: string): void {
    this.stream.markdown(plainMarkdown(`${text} `));
    this.stream.anchor(uri, redactOut(title));
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

  /** An error, with the remedies that work from here: Set token and https links. */
  error(text: string, remedies: Remedy[]): void {
    this.text(text);
    for (const remedy of remedies) {
      const button = remedyButton(remedy);
      if (button) this.button(button);
    }
  }
}

function remedyButton(remedy: Remedy): vscode.Command | undefined {
  if (remedy.kind === 'setToken') return { command: 'nemoVideo.setToken', title: remedy.label };
  if (remedy.kind === 'openLink' && remedy.url) {
    try {
      const url = new URL(remedy.url);
      // The same rule as the chat panel: https only, never credentials in the link. VS Code asks before opening it.
      if (url.protocol !== 'https:' || url.username || url.password) return undefined;
      return { command: 'vscode.open', title: remedy.label, arguments: [vscode.Uri.parse(url.toString(), true)] };
    } catch {
      return undefined;
    }
  }
  return undefined;
}
