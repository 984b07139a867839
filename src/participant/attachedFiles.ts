// The files (or ranges of files) the user attached to an @nemo request with #file
// or by drag and drop, read as the script of a generation. Only what the user
// attached is read, through VS Code's documents and file system (so an unsaved
// editor, a remote or a virtual workspace work too), and bounded: a few files,
// each looked at before it is read and refused when too large or not text.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { MAX_SELECTION_CHARS } from '../jobs/generation';

/** More attachments than this are not read. */
export const MAX_ATTACHED_FILES = 5;
/** A file larger than this is refused before it is read (the script itself is at most MAX_SELECTION_CHARS). */
export const MAX_ATTACHED_FILE_BYTES = 4 * MAX_SELECTION_CHARS;

export interface AttachedScript {
  text: string;
  /** The files' names, for the answer ("script.md", "a.md, b.md"). */
  source: string;
}

export type AttachedRead = { kind: 'none' } | { kind: 'script'; script: AttachedScript } | { kind: 'problem'; text: string };

type FilePart = { uri: vscode.Uri; range?: vscode.Range };

/** The file and location references of a request, in the order attached. */
export function attachedParts(references: readonly vscode.ChatPromptReference[]): FilePart[] {
  const parts: FilePart[] = [];
  for (const r of references) {
    if (r.value instanceof vscode.Uri) parts.push({ uri: r.value });
    else if (r.value instanceof vscode.Location) parts.push({ uri: r.value.uri, range: r.value.range });
  }
  return parts;
}

/** The prompt without the `#file:…` words that stand for the attachments. */
export function promptWithoutReferences(prompt: string, references: readonly vscode.ChatPromptReference[]): string {
  const ranges = references
    .map((r) => r.range)
    .filter((r): r is [number, number] => !!r && r[0] >= 0 && r[1] <= prompt.length && r[0] < r[1])
    .sort((a, b) => b[0] - a[0]);
  let out = prompt;
  for (const [start, end] of ranges) out = out.slice(0, start) + out.slice(end);
  return out.replace(/[ \t]{2,}/g, ' ').trim();
}

/** Reads the attached files as one script; a problem names the file and what to do. */
export async function readAttachedScript(references: readonly vscode.ChatPromptReference[]): Promise<AttachedRead> {
  const parts = attachedParts(references);
  if (parts.length === 0) return { kind: 'none' };
  if (parts.length > MAX_ATTACHED_FILES) {
    return { kind: 'problem', text: vscode.l10n.t('Attach at most {0} files as the script.', MAX_ATTACHED_FILES) };
  }
  const texts: string[] = [];
  for (const part of parts) {
    const name = path.posix.basename(part.uri.path) || part.uri.path;
    const read = await readPart(part);
    if ('problem' in read) return { kind: 'problem', text: problemText(read.problem, name) };
    if (read.text.trim()) texts.push(read.text.trim());
  }
  const text = texts.join('\n\n');
  if (!text) return { kind: 'problem', text: vscode.l10n.t('The attached files are empty.') };
  const names = [...new Set(parts.map((p) => path.posix.basename(p.uri.path)))];
  return { kind: 'script', script: { text, source: names.join(', ') } };
}

type ReadProblem = 'tooLarge' | 'notText' | 'unreadable';

async function readPart(part: FilePart): Promise<{ text: string } | { problem: ReadProblem }> {
  // An open editor is read as shown, unsaved changes included.
  let doc: vscode.TextDocument | undefined = vscode.workspace.textDocuments.find((d) => d.uri.toString() === part.uri.toString());
  if (!doc) {
    try {
      const stat = await vscode.workspace.fs.stat(part.uri);
      if ((stat.type & vscode.FileType.File) === 0) return { problem: 'unreadable' };
      if (stat.size > MAX_ATTACHED_FILE_BYTES) return { problem: 'tooLarge' };
      doc = await vscode.workspace.openTextDocument(part.uri);
    } catch {
      // VS Code refuses binary files; a file can also vanish or be unreadable.
      return { problem: 'unreadable' };
    }
  }
  const text = part.range ? doc.getText(part.range) : doc.getText();
  if (text.length > MAX_ATTACHED_FILE_BYTES) return { problem: 'tooLarge' };
  if (text.includes('\u0000')) return { problem: 'notText' };
  return { text };
}

function problemText(problem: ReadProblem, name: string): string {
  switch (problem) {
    case 'tooLarge':
      return vscode.l10n.t('{0} is too large to use as a script. Attach a part of it (select the lines, then #selection), at most {1} characters.', name, MAX_SELECTION_CHARS);
    case 'notText':
    case 'unreadable':
      return vscode.l10n.t('{0} could not be read as text. Attach a text file (a script, Markdown or plain text).', name);
  }
}
