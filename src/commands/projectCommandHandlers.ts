// What the commands of the Projects view and the lenses do (loaded on the first such
// command; projectCommands.ts registers them). Every installed extension can run
// a command with any arguments, so an argument only points at a project of this list
// or a scene of a file: anything that spends (Update Video, Generate Video, Generate
// All Scenes) always asks first, with its estimated cost and the balance.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { createAnchor, indexText, locate, type LocateResult, type SourceAnchor } from '../core/projects/sourceAnchor';
import { findScene, parseStoryboard, sceneAnchor, sceneKeyOfAnchor, scenesWithoutVideo, type Scene } from '../core/projects/storyboard';
import { confirmCost, prepareGeneration } from '../dialogs/generationOptions';
import { askInput, confirmModal } from '../dialogs/prompts';
import { openExported } from '../export/openExported';
import { EDIT_COST_CREDITS, MAX_SELECTION_CHARS } from '../jobs/generation';
import { openProjectInWeb } from '../projects/openInWeb';
import { titleFromText, type ProjectRecord } from '../projects/projects';
import type { CommandDeps } from './deps';
import type { ProjectCommandId } from './projectCommands';

type ProjectCommandDeps = CommandDeps;

/** What each command does, by id (registered lazily by projectCommands.ts). */
export function projectCommandHandlers(d: ProjectCommandDeps): Record<ProjectCommandId, (...args: never[]) => unknown> {
  const withProject = (fn: (p: ProjectRecord) => unknown) => (arg?: unknown) => {
    const p = projectOf(d, arg);
    return p ? fn(p) : undefined;
  };
  return {
    'nemoVideo.projects.open': (arg?: unknown) => {
      const id = projectIdOf(d, arg);
      if (!id) return;
      d.projects.setActive(id);
      d.openChat({ preserveFocus: true });
    },
    'nemoVideo.projects.openChat': withProject((p) => {
      d.projects.setActive(p.id);
      d.openChat();
    }),
    'nemoVideo.projects.exportAgain': withProject((p) => d.runner.submit({ kind: 'export', projectId: p.id }).result),
    'nemoVideo.projects.openVideo': withProject(openVideo),
    'nemoVideo.projects.revealSource': withProject((p) => revealSource(d, p)),
    'nemoVideo.projects.rename': withProject(async (p) => {
      const title = await askInput({ prompt: vscode.l10n.t('New name for "{0}"', p.title), value: p.title, validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Type a name.')) });
      if (title?.trim()) await d.projects.rename(p.id, title);
    }),
    'nemoVideo.projects.openInWeb': withProject((p) => openProjectInWeb(d.clients, p)),
    'nemoVideo.projects.remove': withProject(async (p) => {
      const ok = await confirmModal(
        vscode.l10n.t('Remove "{0}" from the Projects list?', p.title),
        vscode.l10n.t('Remove from List'),
        vscode.l10n.t('The project stays on the NemoVideo server (Open in NemoVideo Web still finds it); only this workspace forgets it, with its chat here. Exported files are kept.'),
      );
      if (ok) await d.projects.remove(p.id);
    }),
    'nemoVideo.updateVideo': withProject((p) => updateVideo(d, p)),
    'nemoVideo.generateScene': (arg?: unknown) => generateScenes(d, arg, 'one'),
    'nemoVideo.generateAllScenes': (arg?: unknown) => generateScenes(d, arg, 'all'),
  };
}

/** A project id from a tree node, a lens's `{ projectId }`, or nothing (the active project). */
function projectIdOf(d: CommandDeps, arg: unknown): string | undefined {
  if (arg === undefined) return d.projects.activeId;
  const a = arg as { projectId?: unknown; project?: { id?: unknown } } | null;
  const id = typeof a?.projectId === 'string' ? a.projectId : typeof a?.project?.id === 'string' ? a.project.id : undefined;
  if (id === undefined || (!d.projects.get(id) && !d.projects.pendingProject(id))) return undefined;
  return id;
}

function projectOf(d: CommandDeps, arg: unknown): ProjectRecord | undefined {
  const id = projectIdOf(d, arg);
  const p = id ? d.projects.get(id) : undefined;
  if (!p) void vscode.window.showInformationMessage(vscode.l10n.t('That video project is not in the Projects list (anymore).'));
  return p;
}

async function openVideo(p: ProjectRecord): Promise<void> {
  const uri = p.lastExport ? vscode.Uri.parse(p.lastExport.uri, true) : undefined;
  const exists = uri ? await vscode.workspace.fs.stat(uri).then(() => true, () => false) : false;
  if (!uri || !exists) {
    const again = vscode.l10n.t('Export Again');
    const choice = await vscode.window.showInformationMessage(
      uri ? vscode.l10n.t('The exported video of "{0}" is no longer where it was saved.', p.title) : vscode.l10n.t('"{0}" has not been exported yet.', p.title),
      again,
    );
    if (choice === again) await vscode.commands.executeCommand('nemoVideo.projects.exportAgain', { projectId: p.id });
    return;
  }
  await openExported(uri);
}

async function revealSource(d: ProjectCommandDeps, p: ProjectRecord): Promise<void> {
  if (!p.source) return;
  let document: vscode.TextDocument;
  try {
    document = await vscode.workspace.openTextDocument(vscode.Uri.parse(p.source.file, true));
  } catch {
    void vscode.window.showWarningMessage(vscode.l10n.t('The source of "{0}" was moved or deleted.', p.title));
    return;
  }
  const where = d.sources.inDocument({ ...p, source: p.source }, document, indexText(document.getText()));
  if (!where.range) {
    void vscode.window.showWarningMessage(vscode.l10n.t('The source of "{0}" was moved or deleted.', p.title));
    return;
  }
  const r = where.range;
  await vscode.window.showTextDocument(document, { selection: new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character) });
}

/** Update Video: the revised text as an edit of the existing project, after its cost was confirmed. */
async function updateVideo(d: ProjectCommandDeps, p: ProjectRecord): Promise<void> {
  const revised = p.source && (await revisedSource(p.source));
  if (!revised || revised === 'gone') {
    void vscode.window.showWarningMessage(vscode.l10n.t('The source of "{0}" was moved or deleted, so there is no text to update it from.', p.title));
    return;
  }
  if (revised === 'unchanged') {
    void vscode.window.showInformationMessage(vscode.l10n.t('The text of "{0}" has not changed since this video.', p.title));
    return;
  }
  const ok = await confirmCost(d, {
    cost: EDIT_COST_CREDITS,
    untrusted: !d.settings.current().trusted,
    action: vscode.l10n.t('Update Video'),
    question: vscode.l10n.t('Update "{0}" from the revised text?', p.title),
    note: vscode.l10n.t('NemoVideo edits the existing video (its music, title and style are kept) and exports it under a new file name. No new video is generated.'),
  });
  if (!ok) return;
  d.projects.setActive(p.id);
  d.openChat({ preserveFocus: true });
  d.runner.submit({ kind: 'update', projectId: p.id, source: revised });
}

/** The anchor of the text as it is now, when it changed. */
async function revisedSource(anchor: SourceAnchor): Promise<SourceAnchor | 'unchanged' | 'gone'> {
  let document: vscode.TextDocument;
  try {
    document = await vscode.workspace.openTextDocument(vscode.Uri.parse(anchor.file, true));
  } catch {
    return 'gone';
  }
  const index = indexText(document.getText());
  const where: LocateResult = locate(anchor, index);
  if (where.status === 'unchanged') return 'unchanged';
  if (!where.range) return 'gone';
  try {
    // A scene stays a scene: its anchor is the whole section again, so the next edit inside it is found too.
    const key = sceneKeyOfAnchor(anchor);
    const scene = key ? findScene(parseStoryboard(index), key) : undefined;
    return scene ? sceneAnchor(anchor.file, index, scene) : createAnchor({ file: anchor.file, document: index, range: where.range, markdown: anchor.markdown });
  } catch {
    return 'gone';
  }
}

/** Generate Video above a scene, or Generate All Scenes: one project per scene, after one confirmation. */
async function generateScenes(d: ProjectCommandDeps, arg: unknown, which: 'one' | 'all'): Promise<void> {
  const a = arg as { uri?: unknown; scene?: unknown } | null;
  const uri = typeof a?.uri === 'string' ? safeUri(a.uri) : vscode.window.activeTextEditor?.document.uri;
  if (!uri) return;
  // A scene's text goes to the backend: only from a file of this workspace or one open in the editor.
  const open = vscode.workspace.textDocuments.some((doc) => doc.uri.toString() === uri.toString());
  if (!open && !vscode.workspace.getWorkspaceFolder(uri)) {
    void vscode.window.showWarningMessage(vscode.l10n.t('NemoVideo makes videos only from files of this workspace or open in the editor.'));
    return;
  }
  const document = await vscode.workspace.openTextDocument(uri);
  const index = indexText(document.getText());
  const storyboard = parseStoryboard(index);
  const file = document.uri.toString();
  let scenes: Scene[];
  if (which === 'one') {
    const scene = typeof a?.scene === 'string' ? findScene(storyboard, a.scene) : undefined;
    if (!scene) {
      void vscode.window.showInformationMessage(vscode.l10n.t('That scene is no longer in the file.'));
      return;
    }
    scenes = /\S/.test(scene.text) ? [scene] : [];
  } else {
    const videoStarts = d.projects
      .all()
      .filter((p): p is ProjectRecord & { source: SourceAnchor } => p.source?.file === file)
      .map((p) => d.sources.inDocument(p, document, index).range?.start.line)
      .filter((l): l is number => l !== undefined);
    scenes = scenesWithoutVideo(storyboard, videoStarts);
  }
  if (scenes.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Every scene of this storyboard has a video already.'));
    return;
  }
  const tooLong = scenes.find((s) => s.text.length > MAX_SELECTION_CHARS);
  if (tooLong) {
    void vscode.window.showWarningMessage(vscode.l10n.t('The scene "{0}" is too long ({1} characters); a scene can have at most {2}.', tooLong.title, tooLong.text.length, MAX_SELECTION_CHARS));
    return;
  }
  const name = path.basename(document.uri.path);
  const openChat = () => d.openChat({ preserveFocus: true });
  const options = await prepareGeneration({ settings: d.settings, credits: d.credits, globalState: d.context.globalState, openChat, tellChat: d.tellChat }, scenes.length, {
    question:
      scenes.length === 1
        ? vscode.l10n.t('Generate a video from the scene "{0}"?', scenes[0]!.title)
        : vscode.l10n.t('Generate {0} videos, one per scene of {1}?', scenes.length, name),
    // Any extension can run these commands: they always ask, whatever nemoVideo.confirmBeforeSpending says.
    always: true,
  });
  if (!options) return;
  const ids = scenes.map((s) => d.projects.newPending({ title: s.title || titleFromText(s.text), source: sceneAnchor(file, index, s) }));
  d.projects.setActive(ids[0]!);
  openChat();
  ids.forEach((projectId, i) => d.runner.submit({ kind: 'generation', projectId, request: { text: scenes[i]!.text, options, source: name } }));
}

function safeUri(s: string): vscode.Uri | undefined {
  try {
    return vscode.Uri.parse(s, true);
  } catch {
    return undefined;
  }
}
