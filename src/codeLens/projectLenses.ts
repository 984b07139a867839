// The lenses in the user's files: above the text a video was made from, the video
// ("▶ Lumen Desk launch · Open · Export", or "Text changed since this video ·
// Update Video" once it changed); in a Markdown storyboard, Generate Video above
// each `##` scene that has no video yet and Generate All Scenes at the top. Nothing
// is written into the file: the anchors live in the project records
// (core/projects/sourceAnchor.ts). A source that moved away or was deleted gets no
// lens here; the Projects view says so.
import * as vscode from 'vscode';
import type { SourceAnchor } from '../core/projects/sourceAnchor';
import { loadProjectCore } from '../lazy/chunks';
import type { ProjectRecord, Projects } from '../projects/projects';
import type { SourceStatus } from '../projects/sourceStatus';

/** Larger documents get no lenses (a storyboard is a few thousand lines at most). */
const MAX_LENS_DOCUMENT_CHARS = 4 * 1024 * 1024;

export interface LensSettings {
  /** nemoVideo.storyboard.codeLens */
  storyboardLenses(): boolean;
}

export class ProjectLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly projects: Pick<Projects, 'all' | 'onDidChange'>,
    private readonly sources: Pick<SourceStatus, 'inDocument' | 'onDidChange' | 'ready'>,
    private readonly settings: LensSettings & { onDidChange: vscode.Event<unknown> },
  ) {
    const refresh = () => this.changed.fire();
    this.subscriptions = [projects.onDidChange(refresh), sources.onDidChange(refresh), settings.onDidChange(refresh)];
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const [core] = await Promise.all([loadProjectCore(), this.sources.ready]);
    return this.lensesFor(document, core);
  }

  /** The lenses, once the anchors' code is loaded (synchronous: the bench times this). */
  lensesFor(
    document: vscode.TextDocument,
    { indexText, parseStoryboard, scenesWithoutVideo }: Pick<Awaited<ReturnType<typeof loadProjectCore>>, 'indexText' | 'parseStoryboard' | 'scenesWithoutVideo'>,
  ): vscode.CodeLens[] {
    if (document.getText().length > MAX_LENS_DOCUMENT_CHARS) return [];
    const file = document.uri.toString();
    const linked = this.projects.all().filter((p): p is ProjectRecord & { source: SourceAnchor } => p.source?.file === file);
    const storyboard = document.languageId === 'markdown' && this.settings.storyboardLenses();
    if (linked.length === 0 && !storyboard) return [];
    const index = indexText(document.getText());
    const lenses: vscode.CodeLens[] = [];
    /** Lines where a project's text starts: a scene there already has its video. */
    const videoLines = new Set<number>();
    for (const p of linked) {
      const where = this.sources.inDocument(p, document, index);
      if (!where.range) continue;
      const line = where.range.start.line;
      videoLines.add(line);
      const at = new vscode.Range(line, 0, line, 0);
      const ref = { projectId: p.id };
      if (where.status === 'unchanged') {
        lenses.push(
          new vscode.CodeLens(at, { title: `▶ ${p.title}`, command: 'nemoVideo.projects.open', arguments: [ref], tooltip: vscode.l10n.t('Show this video project in the chat') }),
          new vscode.CodeLens(at, {
            title: vscode.l10n.t('Open'),
            command: p.lastExport ? 'nemoVideo.projects.openVideo' : 'nemoVideo.projects.openChat',
            arguments: [ref],
          }),
          new vscode.CodeLens(at, { title: vscode.l10n.t('Export'), command: 'nemoVideo.projects.exportAgain', arguments: [ref] }),
        );
      } else {
        lenses.push(
          new vscode.CodeLens(at, { title: `$(warning) ${vscode.l10n.t('Text changed since this video')}`, command: 'nemoVideo.projects.open', arguments: [ref] }),
          new vscode.CodeLens(at, {
            title: vscode.l10n.t('Update Video'),
            command: 'nemoVideo.updateVideo',
            arguments: [ref],
            tooltip: vscode.l10n.t('Send the revised text to "{0}" as an edit', p.title),
          }),
        );
      }
    }
    if (!storyboard) return lenses;
    const open = scenesWithoutVideo(parseStoryboard(index), videoLines);
    for (const scene of open) {
      lenses.push(
        new vscode.CodeLens(new vscode.Range(scene.headingLine, 0, scene.headingLine, 0), {
          title: `$(device-camera-video) ${vscode.l10n.t('Generate Video')}`,
          command: 'nemoVideo.generateScene',
          arguments: [{ uri: file, scene: scene.key }],
        }),
      );
    }
    if (open.length > 0) {
      lenses.unshift(
        new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
          title: `$(run-all) ${open.length === 1 ? vscode.l10n.t('Generate All Scenes (1 scene)') : vscode.l10n.t('Generate All Scenes ({0} scenes)', open.length)}`,
          command: 'nemoVideo.generateAllScenes',
          arguments: [{ uri: file }],
        }),
      );
    }
    return lenses;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
