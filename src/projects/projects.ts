// The video projects of this workspace, for the shell: the stored list (core
// ProjectListStore over a file in the workspace storage, never the repository: session
// ids belong to the user's account), which project the chat and the Timeline show (the
// active one), and the projects not started yet (a New Project, a queued scene): they
// have a local id and a chat from the start, and a record once their first job made
// the server session.
//
// Only projects of the current API origin are listed: a session made on the simulator
// or another server means nothing to this one (the others stay in the file).
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NemoApi, Session } from '../core/api/types';
import { cleanTitle, historyFileFor, LEGACY_HISTORY_FILE, newProjectId } from '../core/projects/projectIds';
import type { ProjectRecord, ProjectState } from '../core/projects/projectRecord';
import type { ProjectListStore } from '../core/projects/projectStore';
import type { SourceAnchor } from '../core/projects/sourceAnchor';
import { loadProjectCore } from '../lazy/chunks';
import type { NemoLog } from '../log';

/** The local id of a project (a record's `id`, or a project not started yet). */
export type ProjectId = string;

/** What a front end needs to say which project its job is for. */
export type ProjectChoice = Pick<Projects, 'activeId' | 'newGeneration'>;
export type { ProjectRecord };

/** A project not started yet: what it will be made from. */
export interface PendingProject {
  id: ProjectId;
  title?: string;
  source?: SourceAnchor;
  createdAt: number;
}

export const PROJECTS_FILE = 'projects.json';
const ACTIVE_KEY = 'nemoVideo.activeProject';
const LEGACY_KEY = 'nemoVideo.projects';
const ID = /^[A-Za-z0-9_-]{1,64}$/;

export class Projects implements vscode.Disposable {
  /** Made once the project core is loaded (see ready). */
  private store!: ProjectListStore;
  private core!: Awaited<ReturnType<typeof loadProjectCore>>;
  private stopListening: () => void = () => undefined;
  private records: readonly ProjectRecord[] = [];
  private readonly pending = new Map<ProjectId, PendingProject>();
  private activeProjectId: ProjectId;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly activeChanged = new vscode.EventEmitter<ProjectId>();
  private loading: Promise<void> | undefined;

  /** The list or a project in it changed. */
  readonly onDidChange = this.changed.event;
  /** The chat and the Timeline show another project. */
  readonly onDidChangeActive = this.activeChanged.event;

  constructor(
    private readonly storageDir: string,
    private readonly workspaceState: vscode.Memento,
    private readonly origin: () => string,
    private readonly log: NemoLog,
  ) {
    const stored = workspaceState.get<unknown>(ACTIVE_KEY);
    this.activeProjectId = typeof stored === 'string' && ID.test(stored) ? stored : newProjectId();
  }

  /**
   * Resolves once the stored list was read (and an earlier version's project moved in).
   * Reading starts on first use (the list, a project, a job), not at activation.
   */
  get ready(): Promise<void> {
    return (this.loading ??= this.load());
  }

  /** The project the chat and the Timeline show; it may not be started yet. */
  get activeId(): ProjectId {
    return this.activeProjectId;
  }

  /** The active project's record, once it has a server session. */
  current(): ProjectRecord | undefined {
    return this.get(this.activeProjectId);
  }

  /** The record of a project of this origin. */
  get(id: ProjectId): ProjectRecord | undefined {
    void this.ready;
    return this.records.find((p) => p.id === id && this.isHere(p));
  }

  /** The projects already read, without starting to read them (a keystroke in some file is no reason to). */
  known(): ProjectRecord[] {
    return this.records.filter((p) => this.isHere(p));
  }

  /** A project not started yet. */
  pendingProject(id: ProjectId): PendingProject | undefined {
    return this.pending.get(id);
  }

  /** The projects of this origin, newest first. */
  all(): ProjectRecord[] {
    void this.ready;
    return this.records.filter((p) => this.isHere(p));
  }

  /** Projects queued with a title (scenes of a storyboard, a selection) that have no session yet, newest first. */
  queued(): PendingProject[] {
    return [...this.pending.values()].filter((p) => p.title !== undefined && !this.get(p.id)).reverse();
  }

  /** The project a server session belongs to. */
  bySession(sessionId: string): ProjectRecord | undefined {
    return this.all().find((p) => p.sessionId === sessionId);
  }

  /** A project not started yet (its first job makes the session), with what it is made from. */
  newPending(what: { title?: string; source?: SourceAnchor } = {}): ProjectId {
    const id = newProjectId();
    this.pending.set(id, { id, createdAt: Date.now(), ...what });
    if (what.title !== undefined) this.changed.fire();
    return id;
  }

  /** A new project for a generation, shown in the chat and the Timeline from now on. */
  newGeneration(title: string, source?: SourceAnchor): ProjectId {
    const id = this.newPending({ title: cleanTitle(title) || 'Video project', ...(source ? { source } : {}) });
    this.setActive(id);
    return id;
  }

  /** Shows `id` in the chat and the Timeline. */
  setActive(id: ProjectId): void {
    if (!ID.test(id) || id === this.activeProjectId) return;
    this.activeProjectId = id;
    void Promise.resolve(this.workspaceState.update(ACTIVE_KEY, id)).catch((e: unknown) => this.log.failure('Could not save the active project', e));
    this.activeChanged.fire(id);
  }

  /** New Project: an empty chat whose first message starts a project; nothing earlier is lost. */
  startNew(): ProjectId {
    const id = this.newPending();
    this.setActive(id);
    return id;
  }

  /** The project's record, making its server session first when it has none. `created` when it was made now. */
  async ensureSession(id: ProjectId, api: NemoApi, title: string, signal?: AbortSignal, language?: string): Promise<{ project: ProjectRecord; created: boolean }> {
    await this.ready;
    const existing = this.get(id);
    if (existing) return { project: existing, created: false };
    const pending = this.pending.get(id);
    const name = pending?.title ?? title;
    const session = await api.createSession(taskName(name), signal, language);
    const project = await this.store.upsert(
      this.core.newProjectRecord(
        { id, sessionId: String(session.sessionId), taskId: String(session.taskId), title: name || 'Video project', origin: this.origin(), ...(pending?.source ? { source: pending.source } : {}) },
        Date.now(),
      ),
    );
    return { project, created: true };
  }

  /** The server lost the project's session (1002): the project gets a new one, keeping its chat and source. */
  async replaceSession(id: ProjectId, api: NemoApi, signal?: AbortSignal): Promise<void> {
    await this.ready;
    const old = this.get(id);
    if (!old) return;
    const session = await api.createSession(taskName(old.title), signal);
    await this.store.upsert({ ...old, sessionId: String(session.sessionId), taskId: String(session.taskId), state: 'ready' });
  }

  markState(id: ProjectId, state: ProjectState): Promise<unknown> {
    return this.quietly('Could not save the project', this.ready.then(() => this.store.markState(id, state)));
  }

  markExported(id: ProjectId, exported: { uri: string; bytes: number }): Promise<unknown> {
    return this.quietly('Could not save the project', this.ready.then(() => this.store.markExported(id, exported)));
  }

  setSource(id: ProjectId, source: SourceAnchor | undefined): Promise<unknown> {
    return this.quietly('Could not save the project', this.ready.then(() => this.store.setSource(id, source)));
  }

  async rename(id: ProjectId, title: string): Promise<void> {
    await this.ready;
    await this.store.rename(id, title);
  }

  /** Removes the project from this list (it stays on the server); the chat shows a new project if it was the active one. */
  async remove(id: ProjectId): Promise<boolean> {
    await this.ready;
    const removed = await this.store.remove(id);
    this.pending.delete(id);
    if (id === this.activeProjectId) this.startNew();
    return removed;
  }

  /** Sign-out: the next message starts a new project (the list is kept). */
  async clear(): Promise<void> {
    this.startNew();
  }

  dispose(): void {
    this.stopListening();
    this.changed.dispose();
    this.activeChanged.dispose();
  }

  private isHere(p: ProjectRecord): boolean {
    return p.origin === undefined || p.origin === this.origin();
  }

  private async load(): Promise<void> {
    try {
      this.core = await loadProjectCore();
      const file = path.join(this.storageDir, PROJECTS_FILE);
      const log = this.log;
      this.store = new this.core.ProjectListStore({
        file: {
          read: () => fs.readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : Promise.reject(e))),
          write: (text) => writeAtomically(file, text),
          backup: (text) => writeAtomically(`${file}.unreadable`, text),
        },
        logger: { info: (m) => log.info(m), warn: (m) => log.warn(m), error: (m) => log.error(m) },
      });
      this.stopListening = this.store.onDidChange((list) => {
        this.records = list;
        for (const p of list) this.pending.delete(p.id);
        this.changed.fire();
      });
      this.records = await this.store.list();
      await this.migrate();
      this.changed.fire();
    } catch (e) {
      this.log.failure('Could not read the projects', e);
    }
  }

  /** The one project per origin of earlier versions moves into the list once; the current one stays active. */
  private async migrate(): Promise<void> {
    const legacy = this.workspaceState.get<unknown>(LEGACY_KEY);
    if (legacy === undefined) return;
    const { records, skipped } = this.core.migrateLegacyProjects(legacy, { currentOrigin: this.origin(), now: Date.now() });
    for (const reason of skipped) this.log.warn(`Projects: an earlier version's project was skipped (${reason}).`);
    for (const r of records) if (!this.records.some((p) => p.sessionId === r.sessionId)) await this.store.upsert(await this.ownHistoryFile(r));
    const current = records.find((r) => r.origin === this.origin());
    if (current && this.workspaceState.get(ACTIVE_KEY) === undefined) this.setActive(this.bySession(current.sessionId)?.id ?? current.id);
    await this.workspaceState.update(LEGACY_KEY, undefined);
  }

  /**
   * The earlier versions' one history file becomes the project's own (`chat-history-<id>.ndjson`),
   * so every project's file follows from its id, also before the list was read.
   */
  private async ownHistoryFile(r: ProjectRecord): Promise<ProjectRecord> {
    if (r.historyFile !== LEGACY_HISTORY_FILE) return r;
    const own = historyFileFor(r.id);
    try {
      await fs.rename(path.join(this.storageDir, LEGACY_HISTORY_FILE), path.join(this.storageDir, own));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.log.failure('Could not move the chat history to its project', e);
        return r;
      }
    }
    return { ...r, historyFile: own };
  }

  private quietly<T>(what: string, p: Promise<T>): Promise<T | undefined> {
    return p.catch((e: unknown) => {
      this.log.failure(what, e);
      return undefined;
    });
  }
}

export function sessionOf(p: ProjectRecord): Session {
  return { sessionId: p.sessionId, taskId: p.taskId };
}

/** A short, readable project title from the start of a text (first line, at most 60 characters). */
export function titleFromText(text: string): string {
  const firstLine = text.trim().split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const clean = firstLine.replace(/^[#>*\-\s]+/, '').replace(/\s+/g, ' ').trim();
  if (clean.length <= 60) return clean;
  const cut = clean.slice(0, 60);
  const space = cut.lastIndexOf(' ');
  return `${(space > 30 ? cut.slice(0, space) : cut).trim()}…`;
}

function taskName(title: string | undefined): string {
  const t = title?.trim();
  return t ? t.slice(0, 100) : 'project';
}

async function writeAtomically(file: string, text: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
  await fs.writeFile(tmp, text, 'utf8');
  await fs.rename(tmp, file);
}
