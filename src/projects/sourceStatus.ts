// Where each project's source text is now (core/projects/sourceAnchor.ts `locate`),
// for the Projects view and the lenses: from the open document when there is one,
// else from the file, read once (bounded) and read again after it changed. A file
// renamed in VS Code takes its projects' anchors with it.
import * as vscode from 'vscode';
import type { LocateResult, SourceAnchor, TextIndex } from '../core/projects/sourceAnchor';
import { loadProjectCore } from '../lazy/chunks';
import type { ProjectRecord, Projects } from './projects';

/** A larger file is not read for the view (the lenses still work on it when it is open). */
const MAX_SOURCE_BYTES = 8 * 1024 * 1024;
/** Files read and kept for closed documents. */
const MAX_FILES_KEPT = 200;

type Text = { key: string; index: TextIndex } | 'missing' | 'reading';

export class SourceStatus implements vscode.Disposable {
  /** Closed files' text, by URI string. */
  private readonly files = new Map<string, Text>();
  /** The last result per project, by the project, its anchor's hash and the text it was located in. */
  private readonly results = new Map<string, { key: string; result: LocateResult }>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[];
  private pending: ReturnType<typeof setTimeout> | undefined;
  /** The open document last indexed, by URI and version. */
  private openIndex: { key: string; index: TextIndex } | undefined;

  /** The anchors' code, loaded with the project store (until then no status is known). */
  private core: Awaited<ReturnType<typeof loadProjectCore>> | undefined;
  private loading: Promise<void> | undefined;
  private watching = false;

  /** A source's status may have changed (a document was edited, a file read). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly projects: Projects) {
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((e) => this.hasSourceIn(e.document.uri) && this.soon()),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      vscode.workspace.onDidRenameFiles((e) => void this.followRenames(e.files)),
    ];
  }

  /** Only files a project's text came from matter: a build writing many files costs a lookup each. */
  private forget(uri: vscode.Uri): void {
    if (this.files.delete(uri.toString())) this.soon();
  }

  /** Files read from disk are read again after they change: watched from the first one read, not from activation. */
  private watchFiles(): void {
    if (this.watching) return;
    this.watching = true;
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    const forget = (uri: vscode.Uri) => this.forget(uri);
    this.subscriptions.push(watcher, watcher.onDidChange(forget), watcher.onDidDelete(forget), watcher.onDidCreate(forget));
  }

  /** Resolves once the anchors' code is loaded (on first use). */
  get ready(): Promise<void> {
    return (this.loading ??= loadProjectCore().then((core) => {
      this.core = core;
      this.changed.fire();
    }));
  }

  /** Where the project's text is now; undefined without a source or while its file (or the anchors' code) is read. */
  of(p: ProjectRecord): LocateResult | undefined {
    if (!p.source) return undefined;
    if (!this.core) {
      void this.ready;
      return undefined;
    }
    const text = this.textOf(p.source.file);
    if (!text) return undefined;
    if (text === 'missing') return { status: 'moved-or-deleted' };
    return this.locateIn(p.id, p.source, text.key, text.index);
  }

  /** The project's status in a document the caller has indexed already (the lenses, after `ready`). */
  inDocument(p: ProjectRecord & { source: SourceAnchor }, document: vscode.TextDocument, index: TextIndex): LocateResult {
    return this.locateIn(p.id, p.source, `${document.uri.toString()}@${document.version}`, index);
  }

  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }

  private locateIn(id: string, anchor: SourceAnchor, textKey: string, index: TextIndex): LocateResult {
    const key = `${anchor.hash}|${anchor.range.start.line}|${textKey}`;
    const known = this.results.get(id);
    if (known?.key === key) return known.result;
    const result = this.core!.locate(anchor, index);
    this.results.set(id, { key, result });
    return result;
  }

  private textOf(file: string): Exclude<Text, 'reading'> | undefined {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === file);
    if (open) {
      // Indexed once per version, however many projects came from the file.
      const key = `${file}@${open.version}`;
      if (this.openIndex?.key !== key) this.openIndex = { key, index: this.core!.indexText(open.getText()) };
      return this.openIndex;
    }
    const known = this.files.get(file);
    if (known === 'reading') return undefined;
    if (known) return known;
    this.files.set(file, 'reading');
    void this.read(file);
    return undefined;
  }

  private async read(file: string): Promise<void> {
    this.watchFiles();
    let text: Text = 'missing';
    try {
      const uri = vscode.Uri.parse(file, true);
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size <= MAX_SOURCE_BYTES) {
        const bytes = await vscode.workspace.fs.readFile(uri);
        text = { key: `${file}@${stat.mtime}:${stat.size}`, index: this.core!.indexText(new TextDecoder().decode(bytes)) };
      }
    } catch {
      text = 'missing';
    }
    if (this.files.size >= MAX_FILES_KEPT) this.files.delete(this.files.keys().next().value!);
    this.files.set(file, text);
    this.changed.fire();
  }

  private hasSourceIn(uri: vscode.Uri): boolean {
    const file = uri.toString();
    return this.projects.known().some((p) => p.source?.file === file);
  }

  /** Edits come in bursts (typing): the view and the lenses look again once it pauses. */
  private soon(): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.changed.fire();
    }, 150);
  }

  private async followRenames(files: ReadonlyArray<{ oldUri: vscode.Uri; newUri: vscode.Uri }>): Promise<void> {
    await this.ready;
    const { rebaseForRename } = this.core!;
    for (const { oldUri, newUri } of files) {
      for (const p of this.projects.all()) {
        const moved = p.source && rebaseForRename(p.source, oldUri.toString(), newUri.toString());
        if (moved) await this.projects.setSource(p.id, moved);
      }
      this.files.delete(oldUri.toString());
    }
    this.changed.fire();
  }
}
