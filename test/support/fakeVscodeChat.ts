// The `vscode` API @nemo's modules use, for loading them in plain Node (see
// fakeVscodeFor.ts): Markdown strings, URIs, locations, a workspace whose files the
// test puts in place (and whose reads it counts), the active editor, and the chat
// namespace that records the participant it creates.
export { EventEmitter, l10n, env } from './fakeVscode';

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}
  static file(p: string): Uri {
    return new Uri('file', p);
  }
  static parse(value: string): Uri {
    const m = /^([a-z][\w+.-]*):(?:\/\/[^/]*)?(.*)$/i.exec(value);
    return m ? new Uri(m[1]!.toLowerCase(), m[2] || '/') : new Uri('file', value);
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(base.scheme, [base.path, ...parts].join('/'));
  }
  toString(): string {
    return `${this.scheme}://${this.path}`;
  }
}

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

export class Range {
  constructor(
    readonly start: Position,
    readonly end: Position,
  ) {}
}

export class Location {
  constructor(
    readonly uri: Uri,
    readonly range: Range,
  ) {}
}

export class MarkdownString {
  isTrusted: boolean | { enabledCommands: string[] } | undefined;
  supportHtml: boolean | undefined;
  constructor(
    public value = '',
    readonly supportThemeIcons = false,
  ) {}
}

export enum FileType {
  Unknown = 0,
  File = 1,
  Directory = 2,
}

/** A text document over a string: getText() of a range counts lines and characters. */
class FakeDocument {
  constructor(
    readonly uri: Uri,
    private readonly text: string,
  ) {}
  getText(range?: Range): string {
    if (!range) return this.text;
    const offset = (p: Position) => {
      const lines = this.text.split('\n');
      let at = 0;
      for (let i = 0; i < p.line && i < lines.length; i++) at += lines[i]!.length + 1;
      return at + p.character;
    };
    return this.text.slice(offset(range.start), offset(range.end));
  }
}

/** The files of the fake workspace (by URI string), what was opened, and the editors that are open. */
export const files = new Map<string, { text: string; size?: number; type?: FileType; binary?: boolean }>();
export const opened: string[] = [];
export const openDocuments: FakeDocument[] = [];

export const workspace = {
  isTrusted: true,
  get textDocuments() {
    return openDocuments;
  },
  fs: {
    async stat(uri: Uri) {
      const f = files.get(uri.toString());
      if (!f) throw new Error(`ENOENT ${uri.toString()}`);
      return { type: f.type ?? FileType.File, size: f.size ?? Buffer.byteLength(f.text), ctime: 0, mtime: 0 };
    },
  },
  async openTextDocument(uri: Uri) {
    opened.push(uri.toString());
    const f = files.get(uri.toString());
    if (!f) throw new Error(`ENOENT ${uri.toString()}`);
    if (f.binary) throw new Error('File seems to be binary and cannot be opened as text');
    return new FakeDocument(uri, f.text);
  },
};

export function openEditorDocument(uri: Uri, text: string): void {
  openDocuments.push(new FakeDocument(uri, text));
}

/** The modal warnings shown (message and detail); `answerWarning` is what the user picks (undefined: Cancel). */
export const warnings: Array<{ message: string; detail?: string }> = [];
export const window = {
  activeTextEditor: undefined as unknown,
  answerWarning: undefined as string | undefined,
  async showWarningMessage(message: string, options: { detail?: string }) {
    warnings.push({ message, detail: options?.detail });
    return window.answerWarning;
  },
};

/** The participants created through chat.createChatParticipant. */
export const participants: Array<{ id: string; iconPath?: unknown; followupProvider?: unknown; dispose(): void }> = [];
export const chat = {
  createChatParticipant(id: string) {
    const p = { id, dispose: () => undefined };
    participants.push(p);
    return p;
  },
};

export function resetWorkspace(): void {
  files.clear();
  opened.length = 0;
  openDocuments.length = 0;
  workspace.isTrusted = true;
  window.activeTextEditor = undefined;
  window.answerWarning = undefined;
  warnings.length = 0;
  participants.length = 0;
}
