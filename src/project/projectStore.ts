// The current video project (task + session) of this workspace, kept in
// workspaceState per API origin: a session made on the simulator or on a
// custom server means nothing to another backend. Created lazily on first use.
import * as vscode from 'vscode';
import type { NemoApi, Session } from '../core/api/types';

/**
 * Which project a job is for, stable while the project's session changes (a new
 * video, a project the server lost). A window has one project today, the chat's
 * current one (made on first use, replaced by each generation): CURRENT_PROJECT.
 */
export type ProjectId = string;
export const CURRENT_PROJECT: ProjectId = 'current';

export interface ProjectInfo {
  /** Decimal string above 2^53: never a number (§2.6). */
  sessionId: string;
  taskId: string;
  title?: string;
  createdAt: number;
}

const STATE_KEY = 'nemoVideo.projects';

export class ProjectStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ProjectInfo | undefined>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly workspaceState: vscode.Memento,
    private readonly origin: () => string,
    private readonly onError: (what: string, e: unknown) => void,
  ) {}

  current(): ProjectInfo | undefined {
    const all = this.workspaceState.get<Record<string, ProjectInfo>>(STATE_KEY) ?? {};
    const p = all[this.origin()];
    return p && typeof p.sessionId === 'string' && typeof p.taskId === 'string' ? p : undefined;
  }

  /** The current project, or a new one when there is none (in the language of `language`, when given). */
  async ensure(api: NemoApi, title: string | undefined, signal?: AbortSignal, language?: string): Promise<ProjectInfo> {
    return this.current() ?? this.create(api, title, signal, language);
  }

  /** Always a new project (New Video Project, each generation, or after 1002). */
  async create(api: NemoApi, title: string | undefined, signal?: AbortSignal, language?: string): Promise<ProjectInfo> {
    const session = await api.createSession(taskName(title), signal, language);
    const project: ProjectInfo = { sessionId: String(session.sessionId), taskId: String(session.taskId), title: title?.trim() || undefined, createdAt: Date.now() };
    await this.set(project);
    return project;
  }

  /** Forget the current project (sign-out; the next message makes a new one). */
  async clear(): Promise<void> {
    await this.set(undefined);
  }

  private async set(project: ProjectInfo | undefined): Promise<void> {
    const all = { ...(this.workspaceState.get<Record<string, ProjectInfo>>(STATE_KEY) ?? {}) };
    if (project) all[this.origin()] = project;
    else delete all[this.origin()];
    // Memento.get sees the new value at once; persisting can take seconds (code-server), so the run does not wait for it.
    void Promise.resolve(this.workspaceState.update(STATE_KEY, all)).catch((e: unknown) => this.onError('Could not save the current project', e));
    this.changed.fire(project);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function sessionOf(p: ProjectInfo): Session {
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
