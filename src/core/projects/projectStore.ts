// The video projects of one workspace, over a single text file the shell provides
// (in the workspace storage: session ids belong to the user's account and must
// never land in the repository). Pure logic: reading, validating, ordering,
// bounding and writing; no vscode, no fs.
//
// File: {"format":"nemovideo-projects","version":1,"projects":[record, ...]}, newest
// first. The container never changes; records carry their own version (`v`):
//  - a record that fails validation (corrupt, foreign, edited by hand) is skipped
//    with one log line naming the field, never its value, and is gone after the
//    next write;
//  - a record with a higher `v` (a newer NemoVideo wrote it) is skipped with a log
//    line but written back untouched, so going back one version does not lose it;
//  - a file that is not JSON or not this format is logged, offered to
//    `ProjectFile.backup` and replaced on the next write.
// Every change re-reads the file first, so a change made by another window in the
// meantime is kept, and changes in this window run one after the other.
import { systemClock, type Clock } from '../clock';
import { silentLogger, type Logger } from '../config';
import {
  cleanTitle,
  newProjectId,
  newProjectRecord,
  parseProjectRecord,
  validRecord,
  type NewProjectInput,
  type ProjectRecord,
  type ProjectState,
} from './projectRecord';
import type { SourceAnchor } from './sourceAnchor';

export interface ProjectFile {
  /** The file's text, or undefined when there is none yet. */
  read(): Promise<string | undefined>;
  /** Replaces the file (the shell writes a temporary file and renames it). */
  write(text: string): Promise<void>;
  /** Called once with an unreadable file's text before it is replaced; optional. */
  backup?(text: string, reason: string): Promise<void>;
}

export interface ProjectStoreOptions {
  file: ProjectFile;
  logger?: Logger;
  clock?: Clock;
  /** Projects kept (newest first); default MAX_PROJECTS. */
  maxProjects?: number;
  newId?: () => string;
  /** Largest file read or written; default MAX_PROJECTS_FILE_CHARS. */
  maxFileChars?: number;
}

export const MAX_PROJECTS = 500;
export const PROJECTS_FILE_FORMAT = 'nemovideo-projects';
export const PROJECTS_FILE_VERSION = 1;
/** A bigger file is not ours. */
export const MAX_PROJECTS_FILE_CHARS = 64 * 1024 * 1024;
/** A bigger record (serialised) is not ours; a record at the limits of every field stays well below. */
const MAX_RECORD_CHARS = 256 * 1024;
/** Records of a newer version written back, at most. */
const MAX_NEWER_RECORDS = 100;
/** Distinct problems logged per store (a bad file is not reported on every change). */
const MAX_REPORTED = 200;

export type ProjectsListener = (projects: readonly ProjectRecord[]) => void;

interface Snapshot {
  projects: readonly ProjectRecord[];
  /** Records of a newer version, as read: written back unchanged. */
  newer: readonly unknown[];
}

export class ProjectListStore {
  private readonly file: ProjectFile;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly max: number;
  private readonly newId: () => string;
  private readonly maxFileChars: number;
  private snapshot: Snapshot | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly reported = new Set<string>();
  private readonly listeners = new Set<ProjectsListener>();
  /** The unreadable text already handed to `backup` (once per text). */
  private backedUp: string | undefined;
  /** The file's text as last read or written, and what it holds: the same text is not parsed again. */
  private lastText: string | undefined;
  private lastRead: { snapshot: Snapshot; unreadable?: { text: string; reason: string } } | undefined;

  constructor(options: ProjectStoreOptions) {
    this.file = options.file;
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
    this.max = Math.max(1, Math.floor(options.maxProjects ?? MAX_PROJECTS));
    this.newId = options.newId ?? newProjectId;
    this.maxFileChars = options.maxFileChars ?? MAX_PROJECTS_FILE_CHARS;
  }

  /** All projects, newest first (read once, then kept; see reload). */
  async list(): Promise<readonly ProjectRecord[]> {
    return (await this.current()).projects;
  }

  /** Reads the file again (another window changed it) and tells the listeners. */
  reload(): Promise<readonly ProjectRecord[]> {
    return this.serial(async () => {
      const { snapshot } = await this.readSnapshot();
      this.setSnapshot(snapshot);
      return snapshot.projects;
    });
  }

  async get(id: string): Promise<ProjectRecord | undefined> {
    return (await this.list()).find((p) => p.id === id);
  }

  /** The project of a server session (of `origin`, when given). */
  async findBySession(sessionId: string, origin?: string): Promise<ProjectRecord | undefined> {
    return (await this.list()).find((p) => p.sessionId === sessionId && (origin === undefined || p.origin === origin));
  }

  /** A new project (state 'generating' unless given), created now. Throws a TypeError for an invalid field. */
  async create(input: Omit<NewProjectInput, 'id' | 'historyFile'>): Promise<ProjectRecord> {
    const record = newProjectRecord({ ...input, id: this.newId() }, this.clock.now());
    return this.mutate((all) => {
      all.unshift(record);
      return [record, true];
    });
  }

  /** Adds or replaces (by id) a whole record. Unknown keys are dropped; throws a TypeError for an invalid field. */
  async upsert(record: ProjectRecord): Promise<ProjectRecord> {
    const valid = validRecord(record);
    return this.mutate((all) => {
      const i = all.findIndex((p) => p.id === valid.id);
      if (i >= 0) all[i] = valid;
      else all.unshift(valid);
      return [valid, true];
    });
  }

  /** Undefined when there is no such project; throws a RangeError for a title that is empty once cleaned. */
  async rename(id: string, title: string): Promise<ProjectRecord | undefined> {
    const clean = cleanTitle(title);
    if (!clean) throw new RangeError('A project title cannot be empty.');
    return this.change(id, (p) => ({ ...p, title: clean }));
  }

  markState(id: string, state: ProjectState): Promise<ProjectRecord | undefined> {
    return this.change(id, (p) => ({ ...p, state }));
  }

  /** Records an export (now, unless `at` is given) and sets the state to 'exported'. */
  markExported(id: string, exported: { uri: string; bytes: number; at?: number }): Promise<ProjectRecord | undefined> {
    const lastExport = { uri: exported.uri, bytes: exported.bytes, at: exported.at ?? this.clock.now() };
    return this.change(id, (p) => ({ ...p, state: 'exported', lastExport }));
  }

  /** Sets (after Update Video, or a rename of the file) or clears the source anchor. */
  setSource(id: string, source: SourceAnchor | undefined): Promise<ProjectRecord | undefined> {
    return this.change(id, (p) => {
      const next: ProjectRecord = { ...p };
      if (source) next.source = source;
      else delete next.source;
      return next;
    });
  }

  /** Removes the project from this list only (the project stays on the server). False when it was not there. */
  remove(id: string): Promise<boolean> {
    return this.mutate((all) => {
      const i = all.findIndex((p) => p.id === id);
      if (i < 0) return [false, false];
      all.splice(i, 1);
      return [true, true];
    });
  }

  /** Called with the new list after every change and reload; returns the unsubscribe function. */
  onDidChange(listener: ProjectsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private change(id: string, fn: (p: ProjectRecord) => ProjectRecord): Promise<ProjectRecord | undefined> {
    return this.mutate((all) => {
      const i = all.findIndex((p) => p.id === id);
      if (i < 0) return [undefined, false];
      all[i] = validRecord(fn(all[i]));
      return [all[i], true];
    });
  }

  private async current(): Promise<Snapshot> {
    await this.chain.catch(() => undefined);
    if (this.snapshot) return this.snapshot;
    return this.serial(async () => {
      if (!this.snapshot) this.setSnapshot((await this.readSnapshot()).snapshot, false);
      return this.snapshot!;
    });
  }

  /**
   * Re-reads the file, applies `fn` to a copy and, when `fn` says it changed something,
   * writes the result; the in-memory list changes only once the write succeeded.
   */
  private mutate<R>(fn: (all: ProjectRecord[]) => [R, boolean]): Promise<R> {
    return this.serial(async () => {
      const { snapshot, unreadable } = await this.readSnapshot();
      const all = [...snapshot.projects];
      const [result, changed] = fn(all);
      if (!changed) {
        this.setSnapshot(snapshot);
        return result;
      }
      const ordered: Snapshot = { projects: this.ordered(all), newer: snapshot.newer };
      let text = serialize(ordered);
      let next = ordered;
      if (text.length > this.maxFileChars) {
        next = this.fitted(ordered);
        text = serialize(next);
      }
      if (unreadable && this.file.backup && this.backedUp !== unreadable.text) {
        await this.file.backup(unreadable.text, unreadable.reason).then(
          () => (this.backedUp = unreadable.text),
          (e: unknown) => this.report(`Projects: could not back up the unreadable projects file (${errorText(e)})`),
        );
      }
      await this.file.write(text);
      this.lastText = text;
      this.lastRead = { snapshot: next };
      this.setSnapshot(next);
      return result;
    });
  }

  private serial<R>(task: () => Promise<R>): Promise<R> {
    const run = this.chain.catch(() => undefined).then(task);
    this.chain = run;
    return run;
  }

  private setSnapshot(snapshot: Snapshot, notify = true): void {
    this.snapshot = snapshot;
    if (!notify) return;
    for (const l of [...this.listeners]) {
      try {
        l(snapshot.projects);
      } catch (e) {
        this.logger.error(`Projects: a listener failed (${errorText(e)})`);
      }
    }
  }

  /** Newest first (ties by id), no duplicate ids, at most `max`; every record frozen. */
  private ordered(all: ProjectRecord[]): ProjectRecord[] {
    const seen = new Set<string>();
    const unique = all.filter((p) => !seen.has(p.id) && seen.add(p.id));
    unique.sort(newestFirst);
    if (unique.length > this.max) {
      this.logger.info(`Projects: kept the newest ${this.max} projects; ${unique.length - this.max} older ones left the list.`);
      unique.length = this.max;
    }
    return Object.freeze(unique.map(deepFreeze)) as ProjectRecord[];
  }

  /** Within the file size limit (only reachable near the limits of every field): the oldest projects go first, then newer-version records. */
  private fitted(snapshot: Snapshot): Snapshot {
    let budget = this.maxFileChars - 100;
    const fit = <T>(list: readonly T[]): T[] => {
      const out: T[] = [];
      for (const item of list) {
        budget -= jsonSize(item) + 1;
        if (budget < 0) break;
        out.push(item);
      }
      return out;
    };
    const projects = fit(snapshot.projects);
    const newer = fit(snapshot.newer);
    if (projects.length < snapshot.projects.length) {
      this.logger.info(`Projects: the projects file is at its size limit; ${snapshot.projects.length - projects.length} older projects left the list.`);
    }
    return { projects, newer };
  }

  private async readSnapshot(): Promise<{ snapshot: Snapshot; unreadable?: { text: string; reason: string } }> {
    const text = await this.file.read();
    if (text !== undefined && text === this.lastText && this.lastRead) return this.lastRead;
    const read = this.parse(text);
    this.lastText = text;
    this.lastRead = read;
    return read;
  }

  private parse(text: string | undefined): { snapshot: Snapshot; unreadable?: { text: string; reason: string } } {
    const empty: Snapshot = { projects: [], newer: [] };
    if (text === undefined || text.trim() === '') return { snapshot: empty };
    const bad = (reason: string) => {
      this.report(`Projects: the projects file is unreadable (${reason}); starting an empty list, the file is replaced on the next change.`);
      return { snapshot: empty, unreadable: { text, reason } };
    };
    if (text.length > this.maxFileChars) return bad(`larger than ${this.maxFileChars} characters`);
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return bad('not JSON');
    }
    const file = (typeof data === 'object' && data !== null ? data : {}) as { format?: unknown; version?: unknown; projects?: unknown };
    if (file.format !== PROJECTS_FILE_FORMAT || file.version !== PROJECTS_FILE_VERSION || !Array.isArray(file.projects)) {
      return bad('not a NemoVideo projects file');
    }
    const projects: ProjectRecord[] = [];
    const newer: unknown[] = [];
    const ids = new Set<string>();
    const limit = this.max * 2;
    if (file.projects.length > limit) this.report(`Projects: the file lists ${file.projects.length} records; only the first ${limit} are read.`);
    file.projects.slice(0, limit).forEach((entry: unknown, i: number) => {
      const size = jsonSize(entry);
      if (size > MAX_RECORD_CHARS) return this.report(`Projects: skipped stored record ${i}: larger than ${MAX_RECORD_CHARS} characters.`);
      const parsed = parseProjectRecord(entry);
      if (!parsed.ok) {
        if (parsed.newerVersion && newer.length < MAX_NEWER_RECORDS) newer.push(entry);
        return this.report(`Projects: skipped stored record ${i}: ${parsed.reason}.`);
      }
      if (ids.has(parsed.record.id)) return this.report(`Projects: skipped stored record ${i}: the same id as an earlier record.`);
      ids.add(parsed.record.id);
      projects.push(parsed.record);
    });
    return { snapshot: { projects: this.ordered(projects), newer } };
  }

  private report(line: string): void {
    if (this.reported.has(line)) return;
    if (this.reported.size < MAX_REPORTED) this.reported.add(line);
    this.logger.warn(line);
  }
}

function serialize(snapshot: Snapshot): string {
  return JSON.stringify({ format: PROJECTS_FILE_FORMAT, version: PROJECTS_FILE_VERSION, projects: [...snapshot.projects, ...snapshot.newer] });
}

function newestFirst(a: ProjectRecord, b: ProjectRecord): number {
  return b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function jsonSize(value: unknown): number {
  try {
    return JSON.stringify(value)?.length ?? 0;
  } catch {
    return Infinity;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
