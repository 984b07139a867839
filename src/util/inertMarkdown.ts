// Markdown for VS Code's Chat view and the tool's confirmation that shows text
// literally. Text from the backend (assistant replies, segment names, titles) and
// from a language model (file names) is untrusted: no link, image, HTML or command
// URI can come out of it.
import * as vscode from 'vscode';
import { redactOut } from '../redaction';

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

/** `text` as inert Markdown: redacted, escaped, untrusted (no command links), no HTML, no theme icons. */
export function plainMarkdown(text: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(escapeMarkdown(redactOut(text)), false);
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}
