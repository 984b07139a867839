// The input of the `nemo_generate_video` tool: validated (a language model wrote
// it), and turned into the text to generate from. A `file` must be a text file
// inside an open workspace folder - relative to a folder, or an absolute path or
// URI that lies inside one (after resolving symbolic links); anything else is
// refused, so an agent cannot make the extension read arbitrary files.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import * as z from 'zod/mini';
import { MAX_SELECTION_CHARS } from '../jobs/generation';
import { isInside } from '../core/export/folder';

export const GenerateVideoInput = z.object({
  text: z.optional(z.string()),
  file: z.optional(z.string()),
  durationSeconds: z.optional(z.union([z.literal(15), z.literal(30), z.literal(60)])),
  aspectRatio: z.optional(z.literal(['16:9', '9:16', '1:1'])),
  voiceOver: z.optional(z.boolean()),
});
export type GenerateVideoInput = z.infer<typeof GenerateVideoInput>;

/** Text files an agent may hand over (scripts, notes, docs). */
export const TEXT_FILE_EXTENSIONS = new Set(['.md', '.markdown', '.mdx', '.txt', '.text', '.rst', '.adoc', '.asciidoc', '.org', '.tex']);
/** Larger files are not scripts; the text itself is capped like a selection. */
export const MAX_TOOL_FILE_BYTES = 256 * 1024;

/** A problem with the input, worded for the model (and the user reading along). */
export class ToolInputProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolInputProblem';
  }
}

/** Validates the raw input. */
export function parseToolInput(raw: unknown): GenerateVideoInput {
  const parsed = GenerateVideoInput.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
    throw new ToolInputProblem(vscode.l10n.t('The input is not valid ({0}). Give `text` or `file`, and optionally durationSeconds 15/30/60, aspectRatio 16:9/9:16/1:1, voiceOver.', problems));
  }
  if (!parsed.data.text?.trim() && !parsed.data.file?.trim()) {
    throw new ToolInputProblem(vscode.l10n.t('Give the script as `text`, or the path of a text file in the workspace as `file`.'));
  }
  return parsed.data;
}

/** What the confirmation names as the source, before anything is read. */
export function describeSource(input: GenerateVideoInput): string {
  const text = input.text?.trim();
  if (text) return vscode.l10n.t('the text you gave ({0} characters)', text.length);
  return vscode.l10n.t('the file {0}', input.file?.trim() ?? '');
}

/** The text to generate from (`text` when given, else the file's content) and where it came from. */
export async function readToolSource(input: GenerateVideoInput): Promise<{ text: string; source?: string; uri?: vscode.Uri }> {
  const given = input.text?.trim();
  if (given) return { text: checkedText(given) };
  const uri = await resolveWorkspaceFile(input.file ?? '');
  const label = vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
  const text = await readTextFile(uri, label);
  return { text: checkedText(text, label), source: path.posix.basename(uri.path), uri };
}

function checkedText(text: string, label?: string): string {
  const trimmed = text.trim();
  if (!trimmed) throw new ToolInputProblem(label ? vscode.l10n.t('{0} is empty.', label) : vscode.l10n.t('The text is empty.'));
  if (trimmed.length > MAX_SELECTION_CHARS) {
    throw new ToolInputProblem(
      vscode.l10n.t('The text is too long ({0} characters). Use at most {1} characters, for example one section of the script.', trimmed.length, MAX_SELECTION_CHARS),
    );
  }
  return trimmed;
}

/** The file named by `given` inside an open workspace folder, or a ToolInputProblem saying why not. */
export async function resolveWorkspaceFile(given: string): Promise<vscode.Uri> {
  const name = given.trim();
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) throw new ToolInputProblem(vscode.l10n.t('No folder is open, so there is no workspace file to read. Give the script as `text` instead.'));
  let uri: vscode.Uri | undefined;
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(name)) {
    uri = vscode.Uri.parse(name, true);
  } else if (path.posix.isAbsolute(name) || path.win32.isAbsolute(name)) {
    uri = vscode.Uri.file(name);
  } else {
    const segments = name.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
    if (segments.length === 0 || segments.includes('..')) throw outside(name);
    uri = await firstExisting(folders, segments);
    if (!uri) throw new ToolInputProblem(vscode.l10n.t('{0} was not found in the workspace.', name));
  }
  if (uri.path.split('/').includes('..')) throw outside(name);
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder) throw outside(name);
  if (!TEXT_FILE_EXTENSIONS.has(path.posix.extname(uri.path).toLowerCase())) {
    throw new ToolInputProblem(vscode.l10n.t('{0} is not a text file NemoVideo reads (use {1}).', name, [...TEXT_FILE_EXTENSIONS].join(', ')));
  }
  if (uri.scheme === 'file' && folder.uri.scheme === 'file') {
    // A link inside the workspace may point elsewhere: the real locations decide.
    const [realFile, realRoot] = await Promise.all([fs.realpath(uri.fsPath).catch(() => undefined), fs.realpath(folder.uri.fsPath).catch(() => folder.uri.fsPath)]);
    if (!realFile) throw new ToolInputProblem(vscode.l10n.t('{0} was not found in the workspace.', name));
    if (!isInside(realRoot, realFile)) throw outside(name);
  }
  return uri;
}

async function firstExisting(folders: readonly vscode.WorkspaceFolder[], segments: string[]): Promise<vscode.Uri | undefined> {
  const candidates = folders.map((f) => vscode.Uri.joinPath(f.uri, ...segments));
  // Multi-root: "folderName/file.md" names a file in that folder.
  const named = segments.length > 1 ? folders.find((f) => f.name === segments[0]) : undefined;
  if (named) candidates.unshift(vscode.Uri.joinPath(named.uri, ...segments.slice(1)));
  for (const candidate of candidates) {
    try {
      await vscode.workspace.fs.stat(candidate);
      return candidate;
    } catch {
      // Not in this folder.
    }
  }
  return undefined;
}

async function readTextFile(uri: vscode.Uri, label: string): Promise<string> {
  // An open editor has the newest text, saved or not.
  const open = vscode.workspace.textDocuments.find((doc) => doc.uri.toString() === uri.toString());
  if (open) return open.getText();
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch {
    throw new ToolInputProblem(vscode.l10n.t('{0} was not found in the workspace.', label));
  }
  if (stat.type & vscode.FileType.Directory) throw new ToolInputProblem(vscode.l10n.t('{0} is a folder, not a text file.', label));
  if (stat.size > MAX_TOOL_FILE_BYTES) {
    throw new ToolInputProblem(vscode.l10n.t('{0} is too large ({1} KB; at most {2} KB). Give one section of it as `text`.', label, Math.ceil(stat.size / 1024), MAX_TOOL_FILE_BYTES / 1024));
  }
  const bytes = await vscode.workspace.fs.readFile(uri);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = '\0';
  }
  if (text.includes('\0')) throw new ToolInputProblem(vscode.l10n.t('{0} is not a UTF-8 text file.', label));
  return text;
}

function outside(name: string): ToolInputProblem {
  return new ToolInputProblem(vscode.l10n.t('{0} is not inside an open workspace folder; NemoVideo reads only workspace files.', name));
}
