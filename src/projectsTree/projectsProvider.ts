// The Projects view: every video project of this workspace (and of this API origin),
// newest first, then the ones queued without a session yet. Each row says its title,
// its state (working now, text changed, exported, ready, failed) and when it was
// made; the tooltip adds its source and its last export. A click shows the project in
// the chat and the Timeline. Titles and headings came from the user's text or the
// server: labels are plain text and the tooltip escapes them.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { JobKind } from '../jobs/job';
import type { JobRunner } from '../jobs/runner';
import type { PendingProject, ProjectRecord, Projects } from '../projects/projects';
import type { SourceStatus } from '../projects/sourceStatus';

export type ProjectNode = { kind: 'project'; project: ProjectRecord } | { kind: 'queued'; project: PendingProject };

/** What a row says about the project, in the order the view checks it. */
export type ProjectRowState = 'working' | 'queued' | 'text-changed' | 'source-gone' | ProjectRecord['state'];

export class ProjectsProvider implements vscode.TreeDataProvider<ProjectNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  /** Made on first use: building a DateTimeFormat loads locale data (about 10 ms), not something activate() should wait for. */
  private dateFormat: Intl.DateTimeFormat | undefined;

  constructor(
    private readonly projects: Projects,
    private readonly runner: Pick<JobRunner, 'running' | 'pending' | 'onDidChange'>,
    private readonly sources: Pick<SourceStatus, 'of' | 'onDidChange'>,
  ) {
    const refresh = () => this.changed.fire();
    this.subscriptions = [projects.onDidChange(refresh), projects.onDidChangeActive(refresh), runner.onDidChange(refresh), sources.onDidChange(refresh)];
  }

  getChildren(node?: ProjectNode): ProjectNode[] {
    if (node) return [];
    return [
      ...this.projects.all().map((project): ProjectNode => ({ kind: 'project', project })),
      ...this.projects.queued().map((project): ProjectNode => ({ kind: 'queued', project })),
    ];
  }

  getTreeItem(node: ProjectNode): vscode.TreeItem {
    const p = node.project;
    const title = (node.kind === 'project' ? p.title : node.project.title) || vscode.l10n.t('Video project');
    const active = p.id === this.projects.activeId;
    // The project the chat shows stands out (highlighted label), whatever its state.
    const item = new vscode.TreeItem(active ? { label: title, highlights: [[0, title.length]] } : title, vscode.TreeItemCollapsibleState.None);
    item.id = p.id;
    const state = this.rowState(node);
    item.description = [stateText(state, this.runner.running(p.id)?.request.kind), this.dates.format(p.createdAt)].join(' · ');
    item.iconPath = stateIcon(state);
    item.command = { command: 'nemoVideo.projects.open', title: vscode.l10n.t('Show Project'), arguments: [{ projectId: p.id }] };
    item.accessibilityInformation = { label: `${title}, ${item.description}${active ? `, ${vscode.l10n.t('shown in the chat')}` : ''}` };
    if (node.kind === 'project') {
      const r = node.project;
      item.contextValue = ['project', r.lastExport ? 'exported' : '', r.source && state !== 'source-gone' ? 'source' : ''].filter(Boolean).join(' ');
    } else {
      item.contextValue = 'queuedProject';
    }
    return item;
  }

  /** The tooltip is made when the row is hovered, not for every row on every refresh. */
  resolveTreeItem(item: vscode.TreeItem, node: ProjectNode): vscode.TreeItem {
    if (node.kind === 'project') item.tooltip = this.tooltip(node.project, this.rowState(node));
    return item;
  }

  /** The state a row shows (exported for tests and the bench). */
  rowState(node: ProjectNode): ProjectRowState {
    const id = node.project.id;
    if (this.runner.running(id)) return 'working';
    if (node.kind === 'queued') return this.runner.pending(id) > 0 ? 'queued' : 'failed';
    const located = this.sources.of(node.project);
    if (located?.status === 'changed') return 'text-changed';
    if (located?.status === 'moved-or-deleted') return 'source-gone';
    return node.project.state;
  }

  private get dates(): Intl.DateTimeFormat {
    return (this.dateFormat ??= new Intl.DateTimeFormat(vscode.env.language, { dateStyle: 'medium', timeStyle: 'short' }));
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }

  private tooltip(p: ProjectRecord, state: ProjectRowState): vscode.MarkdownString {
    const md = new vscode.MarkdownString(undefined, false);
    md.isTrusted = false;
    md.supportHtml = false;
    md.appendMarkdown('**').appendText(p.title).appendMarkdown('**\n\n');
    md.appendText(vscode.l10n.t('Made {0}', this.dates.format(p.createdAt))).appendMarkdown('  \n');
    if (p.source) md.appendText(vscode.l10n.t('Source: {0}', sourceText(p))).appendMarkdown('  \n');
    if (state === 'source-gone') md.appendText(vscode.l10n.t('The source text was moved or deleted.')).appendMarkdown('  \n');
    if (state === 'text-changed') md.appendText(vscode.l10n.t('The text changed since this video: Update Video sends the revised text as an edit.')).appendMarkdown('  \n');
    if (p.lastExport) md.appendText(vscode.l10n.t('Last export: {0}, {1}', fileLabel(p.lastExport.uri), this.dates.format(p.lastExport.at)));
    return md;
  }
}

/** "launch.md · Pricing" or "notes.txt, lines 3–9". */
function sourceText(p: Pick<ProjectRecord, 'source'>): string {
  const s = p.source;
  if (!s) return '';
  const file = fileLabel(s.file);
  if (s.heading?.text) return `${file} · ${s.heading.text}`;
  return vscode.l10n.t('{0}, lines {1}–{2}', file, s.range.start.line + 1, s.range.end.line + 1);
}

function fileLabel(uri: string): string {
  try {
    const u = vscode.Uri.parse(uri, true);
    return vscode.workspace.asRelativePath(u, false) || path.basename(u.path);
  } catch {
    return uri;
  }
}

function stateText(state: ProjectRowState, kind: JobKind | undefined): string {
  switch (state) {
    case 'working':
      return kind === 'export' ? vscode.l10n.t('exporting…') : kind === 'update' ? vscode.l10n.t('updating…') : vscode.l10n.t('generating…');
    case 'queued':
      return vscode.l10n.t('queued');
    case 'text-changed':
      return vscode.l10n.t('text changed');
    case 'source-gone':
      return vscode.l10n.t('source moved or deleted');
    case 'generating':
      return vscode.l10n.t('interrupted');
    case 'ready':
      return vscode.l10n.t('ready');
    case 'exported':
      return vscode.l10n.t('exported');
    case 'failed':
      return vscode.l10n.t('failed');
  }
}

function stateIcon(state: ProjectRowState): vscode.ThemeIcon {
  switch (state) {
    case 'working':
      return new vscode.ThemeIcon('loading~spin');
    case 'queued':
      return new vscode.ThemeIcon('clock');
    case 'text-changed':
      return new vscode.ThemeIcon('diff-modified', new vscode.ThemeColor('list.warningForeground'));
    case 'source-gone':
    case 'failed':
    case 'generating':
      return new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    case 'exported':
      return new vscode.ThemeIcon('file-media');
    case 'ready':
      return new vscode.ThemeIcon('device-camera-video');
  }
}
