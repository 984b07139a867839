// Render jobs in flight, with where each file must land, kept under
// globalStorageUri so that a window reload or a crash does not lose them: the
// core saves a record BEFORE it submits, and another window (or the next one)
// finishes what is left (docs/protocol.md §14 item 18; README, Security).
//
// Every window (extension host) has its own id and owns its jobs alone. In
// <globalStorage>/render-jobs/:
//   jobs-<window>.json    its jobs. Only that window ever writes it (from memory,
//                         whole, through a temporary file and a rename).
//   lease-<window>.json   its heartbeat: rewritten every HEARTBEAT_MS on the
//                         injected clock while it owns jobs, deleted when it
//                         closes (hands its jobs over).
// A window takes over the jobs of another only when that window has no live
// lease (it closed, or it crashed and stopped heartbeating LEASE_MS ago): it
// renames jobs-<other>.json to jobs-<self>.<random>.json, merges it into its
// own file and deletes it.
//
// Why per-window files with a rename as the claim, rather than one shared file
// with a lease field per job: a shared file is read-modify-written by several
// processes, and a rename only makes each write whole, not the sequence
// read → change → write atomic, so two windows still overwrite each other's
// changes (that is how a finished job came back) unless a cross-process lock
// is added, and a lock left by a crashed window needs the same expiry logic
// again. Here every file has exactly ONE writer, so there is nothing to merge
// and no lost update: a finished job is deleted from its owner's file and no
// other copy exists. The only step two windows can race for is the claim, and
// rename() lets exactly one of them win (the other gets ENOENT). The lease
// (heartbeat on the injected clock) only answers "is the owner alive?".
// A window that stalls past its lease and finds its file taken gives its jobs
// up (they are aborted with DETACH) instead of writing them back.
//
// Everything read from disk is validated (size, schema, entry count, the
// download path inside the exports folder); a file that fails is skipped with a
// log line and left alone (it may be a newer version's), never a crash.
import { JOBS_FILE, renderJobsDir } from './renderJobFiles';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as z from 'zod/mini';
import { sleep, systemClock, type Clock, type TimerHandle } from '../core/clock';
import { isInside } from '../core/export/folder';
import type { ClaimResult, ExportJobEntry, ExportJobStore, ExportTargetRecord } from '../core/jobs/exportJobs';
import { DETACH, detachedError } from '../core/jobs/detach';
import type { RenderJobRecord } from '../core/jobs/renderJob';
import { lengthBetween as len } from '../core/zodRule';

export type { ExportTargetRecord } from '../core/jobs/exportJobs';

export interface RenderJobFileStoreOptions {
  clock?: Clock;
  /** This window's id (default: a random UUID; a new one per extension host). */
  windowId?: string;
  /** Downloads must be in this folder (default: `exports` beside the job file, where ExportService puts them). */
  downloadsDir?: string;
  heartbeatMs?: number;
  leaseMs?: number;
}

/** How often an owner rewrites its lease. */
export const HEARTBEAT_MS = 15_000;
/** A window that has not heartbeaten for this long is gone: its jobs may be taken over. */
export const LEASE_MS = 60_000;
/** Jobs older than this are dropped: the backend forgets renders long before. */
const MAX_AGE_MS = 7 * 24 * 3600_000;
/** Per file read back: bigger is not ours. */
const MAX_FILE_BYTES = 256 * 1024;
/** Entries per jobs file (and what one window takes on). */
export const MAX_ENTRIES = 100;
/** Files looked at per claim. */
const MAX_FILES = 64;
/** How long a closing window waits for a file being placed before it hands its jobs over. */
const HANDOVER_WAIT_MS = 10_000;

const WINDOW_ID = /^[A-Za-z0-9_-]{1,64}$/;
const LEASE_FILE = /^lease-([A-Za-z0-9_-]{1,64})\.json$/;

const JobRecord = z.object({
  renderId: z.string().check(len(1, 200)),
  sessionId: z.string().check(len(1, 200)),
  attempt: z.union([z.literal(1), z.literal(2)]),
  startedAt: z.number(),
  destPath: z.string().check(len(1, 4_096)),
  title: z.optional(z.string().check(len(0, 1_000))),
});

const Target = z.object({
  dir: z.optional(z.string().check(len(0, 8_192))),
  file: z.optional(z.string().check(len(0, 8_192))),
  root: z.optional(z.string().check(len(0, 8_192))),
  title: z.optional(z.string().check(len(0, 1_000))),
  createdAt: z.number(),
});

const Entry = z.object({
  destPath: z.string().check(len(1, 4_096)),
  job: z.optional(JobRecord),
  target: z.optional(Target),
});

const JobsFile = z.object({
  version: z.literal(2),
  window: z.string().check(len(1, 64)),
  entries: z.array(Entry).check(len(0, MAX_ENTRIES)),
});
type JobsFile = z.infer<typeof JobsFile>;

const LeaseFile = z.object({
  version: z.literal(2),
  window: z.string().check(len(1, 64)),
  heartbeatAt: z.number(),
});

/** The single render-jobs.json of earlier versions, taken over once (as from a closed window). */
const LegacyFile = z.object({
  version: z.literal(1),
  jobs: z.array(JobRecord).check(len(0, MAX_ENTRIES)),
  targets: z.catchall(z.object({}), Target),
});

export class RenderJobFileStore implements ExportJobStore {
  readonly windowId: string;
  readonly dir: string;
  private readonly clock: Clock;
  private readonly downloadsDir: string;
  private readonly heartbeatMs: number;
  private readonly leaseMs: number;

  /** This window's jobs: the whole content of its jobs file, which nobody else writes. */
  private readonly entries = new Map<string, ExportJobEntry>();
  /** Jobs running in this window, aborted with DETACH when it stops owning them. */
  private readonly running = new Map<string, AbortController>();
  private readonly placing = new Set<Promise<unknown>>();
  /** Our jobs file exists on disk (as far as we know). */
  private written = false;
  private heartbeat: TimerHandle | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private closing = false;
  private closed = false;
  /** Jobs this window gave up (taken over by another): never written back. */
  private readonly givenUp = new Set<string>();
  /** Unreadable files already reported, so that each is logged once. */
  private readonly reported = new Set<string>();

  constructor(
    /** The job file of earlier versions; the jobs now live in a folder of the same name without `.json`. */
    readonly file: string,
    private readonly onError: (what: string, e: unknown) => void,
    opts: RenderJobFileStoreOptions = {},
  ) {
    this.clock = opts.clock ?? systemClock;
    this.windowId = opts.windowId ?? randomUUID();
    if (!WINDOW_ID.test(this.windowId)) throw new Error(`Invalid window id: ${this.windowId}`);
    this.dir = renderJobsDir(file);
    this.downloadsDir = path.resolve(opts.downloadsDir ?? path.join(path.dirname(file), 'exports'));
    this.heartbeatMs = opts.heartbeatMs ?? HEARTBEAT_MS;
    this.leaseMs = opts.leaseMs ?? LEASE_MS;
  }

  // --- RenderJobStore (the core's render job) ---

  save(r: RenderJobRecord): Promise<void> {
    return this.mutate(() => {
      if (this.givenUp.has(r.destPath)) return;
      const e = this.entries.get(r.destPath) ?? { destPath: r.destPath };
      e.job = { renderId: r.renderId, sessionId: r.sessionId, attempt: r.attempt, startedAt: r.startedAt, destPath: r.destPath, ...(r.title ? { title: r.title } : {}) };
      this.entries.set(r.destPath, e);
    });
  }

  remove(renderId: string): Promise<void> {
    return this.mutate(() => {
      for (const [key, e] of this.entries) {
        if (e.job?.renderId !== renderId) continue;
        delete e.job;
        // Without a target there is nothing left to do for this entry (the caller places the file now).
        if (!e.target) this.entries.delete(key);
      }
    });
  }

  /** The render records this window owns. */
  async list(): Promise<RenderJobRecord[]> {
    await this.flush();
    return [...this.entries.values()].flatMap((e) => (e.job ? [{ ...e.job }] : []));
  }

  // --- ExportJobStore ---

  begin(destPath: string, target: ExportTargetRecord): Promise<void> {
    if (this.closing) return Promise.reject(detachedError());
    this.running.set(destPath, new AbortController());
    return this.mutate(() => {
      this.entries.set(destPath, { destPath, target: { ...target } });
    });
  }

  finish(destPath: string): Promise<void> {
    this.running.delete(destPath);
    return this.mutate(() => {
      this.entries.delete(destPath);
    });
  }

  /** Claimed jobs this window could not start (e.g. not signed in): a later claim() here returns them again. */
  giveBack(destPaths: readonly string[]): void {
    for (const d of destPaths) this.running.delete(d);
  }

  ownership(destPath: string): AbortSignal {
    const c = this.running.get(destPath);
    if (c) return c.signal;
    const gone = new AbortController();
    gone.abort(DETACH);
    return gone.signal;
  }

  whilePlacing<T>(destPath: string, place: () => Promise<T>): Promise<T> {
    if (this.closing || this.ownership(destPath).aborted) return Promise.reject(detachedError());
    const p = (async () => {
      const placed = await place();
      await this.finish(destPath);
      return placed;
    })();
    this.placing.add(p);
    const done = () => this.placing.delete(p);
    p.then(done, done);
    return p;
  }

  claim(): Promise<ClaimResult> {
    return this.serial(async () => {
      if (this.closing) return { entries: [] };
      await this.checkStillOwned();
      const recheck = await this.takeOver();
      const entries: ExportJobEntry[] = [];
      for (const e of this.entries.values()) {
        if (this.running.has(e.destPath)) continue;
        this.running.set(e.destPath, new AbortController());
        entries.push(copy(e));
      }
      return recheck === undefined ? { entries } : { entries, recheckInMs: recheck };
    });
  }

  async handOver(): Promise<void> {
    if (this.closing) return this.flush();
    this.closing = true;
    for (const c of this.running.values()) c.abort(DETACH);
    this.running.clear();
    // A file being copied into the workspace finishes (and its job with it), so the next window does not place it again.
    const limit = new AbortController();
    await Promise.race([Promise.allSettled([...this.placing]), sleep(this.clock, HANDOVER_WAIT_MS, limit.signal).catch(() => undefined)]);
    limit.abort();
    await this.serial(async () => {
      this.closed = true;
      this.stopHeartbeat();
      // Without a lease, the jobs file is free for the next window at once.
      await unlinkQuietly(this.leaseFile());
    });
  }

  /** Waits for the writes queued so far. */
  async flush(): Promise<void> {
    await this.serial(async () => undefined);
  }

  // --- files ---

  private jobsFile(): string {
    return path.join(this.dir, `jobs-${this.windowId}.json`);
  }

  private leaseFile(id = this.windowId): string {
    return path.join(this.dir, `lease-${id}.json`);
  }

  /** Runs `work` after everything queued before it; a failure is returned to the caller and does not block the queue. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.then(work);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Changes this window's jobs in memory, then writes its file (or deletes it when no job is left). */
  private mutate(change: () => void): Promise<void> {
    return this.serial(async () => {
      if (this.closed) {
        this.onError('A render job changed after the window handed its jobs over; the change is not saved', new Error(this.windowId));
        return;
      }
      await this.checkStillOwned();
      change();
      await this.writeOwn();
    });
  }

  private async writeOwn(): Promise<void> {
    if (this.entries.size === 0) {
      this.stopHeartbeat();
      await unlinkQuietly(this.jobsFile());
      await unlinkQuietly(this.leaseFile());
      this.written = false;
      return;
    }
    // The lease first: a jobs file without a live lease is free to take.
    await this.writeLease();
    const data: JobsFile = { version: 2, window: this.windowId, entries: [...this.entries.values()].slice(0, MAX_ENTRIES).map(copy) };
    if (this.entries.size > MAX_ENTRIES) this.onError('Too many render jobs; the oldest are kept', new Error(String(this.entries.size)));
    await writeAtomic(this.jobsFile(), JSON.stringify(data));
    this.written = true;
    this.armHeartbeat();
  }

  private async writeLease(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    await writeAtomic(this.leaseFile(), JSON.stringify({ version: 2, window: this.windowId, heartbeatAt: this.clock.now() }));
  }

  private armHeartbeat(): void {
    if (this.heartbeat !== undefined || this.closed) return;
    this.heartbeat = this.clock.setTimeout(() => {
      this.heartbeat = undefined;
      void this.serial(async () => {
        if (this.closed || this.entries.size === 0) return;
        await this.checkStillOwned();
        if (this.entries.size === 0) return;
        await this.writeLease();
        this.armHeartbeat();
      }).catch((e: unknown) => {
        this.onError('Could not renew the render job lease', e);
        this.armHeartbeat();
      });
    }, this.heartbeatMs);
  }

  private stopHeartbeat(): void {
    if (this.heartbeat !== undefined) this.clock.clearTimeout(this.heartbeat);
    this.heartbeat = undefined;
  }

  /**
   * Our jobs file is gone although we wrote it: another window judged us dead (we missed the
   * lease, e.g. a suspended machine) and took the jobs over. Give them up instead of writing
   * them back, so that each job still has one owner.
   */
  private async checkStillOwned(): Promise<void> {
    if (!this.written || (await exists(this.jobsFile()))) return;
    this.onError('Another window took over this window’s render jobs (its lease had run out); they continue there', new Error(this.windowId));
    for (const key of this.entries.keys()) this.givenUp.add(key);
    for (const key of this.running.keys()) this.givenUp.add(key);
    this.entries.clear();
    this.written = false;
    for (const c of this.running.values()) c.abort(DETACH);
    this.running.clear();
    this.stopHeartbeat();
    await unlinkQuietly(this.leaseFile());
  }

  /** Takes over the jobs files of windows without a live lease. Returns when to look again for live ones. */
  private async takeOver(): Promise<number | undefined> {
    let names: string[];
    try {
      names = (await fs.readdir(this.dir)).sort();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.onError('Could not read the render jobs folder', e);
      names = [];
    }
    const now = this.clock.now();
    const leases = new Map<string, number>();
    for (const name of names.filter((n) => LEASE_FILE.test(n)).slice(0, MAX_FILES)) {
      const owner = LEASE_FILE.exec(name)![1];
      if (owner === this.windowId) continue;
      const lease = await this.readValid(path.join(this.dir, name), LeaseFile);
      if (lease && lease.window === owner) leases.set(owner, lease.heartbeatAt);
    }
    let recheck: number | undefined;
    const jobOwners = new Set<string>();
    for (const name of names.filter((n) => JOBS_FILE.test(n)).slice(0, MAX_FILES)) {
      const owner = JOBS_FILE.exec(name)![1];
      jobOwners.add(owner);
      if (owner === this.windowId && name === path.basename(this.jobsFile())) continue;
      const beat = leases.get(owner);
      // A heartbeat from the future beyond one lease is not believed.
      if (owner !== this.windowId && beat !== undefined && now - beat < this.leaseMs && beat - now < this.leaseMs) {
        const left = beat + this.leaseMs - now;
        recheck = recheck === undefined ? left : Math.min(recheck, left);
        continue;
      }
      if (this.entries.size >= MAX_ENTRIES) break;
      if (await this.takeFile(path.join(this.dir, name), JobsFile, (d) => d.entries)) jobOwners.delete(owner);
    }
    // The single file of earlier versions, as left by a closed window.
    if (this.entries.size < MAX_ENTRIES) await this.takeFile(this.file, LegacyFile, legacyEntries);
    // Leases of gone windows that no longer own a file.
    for (const [owner, beat] of leases) if (!jobOwners.has(owner) && now - beat >= this.leaseMs) await unlinkQuietly(this.leaseFile(owner));
    if (this.entries.size === 0) await unlinkQuietly(this.leaseFile());
    return recheck;
  }

  /** Claims `file` by renaming it (only one window can), merges its valid entries into ours, deletes it. True when it was ours to take. */
  private async takeFile<S extends z.ZodMiniType>(file: string, schema: S, entriesOf: (d: z.infer<S>) => ExportJobEntry[]): Promise<boolean> {
    // Validate before claiming: an unreadable file (or a newer version's) is left where it is.
    if ((await this.readValid(file, schema)) === undefined) return false;
    const claimed = path.join(this.dir, `jobs-${this.windowId}.${randomUUID()}.json`);
    try {
      await fs.mkdir(this.dir, { recursive: true });
      await this.writeLease();
      await fs.rename(file, claimed);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.onError('Could not take over a render job file', e);
      return false; // ENOENT: another window claimed it first
    }
    const data = await this.readValid(claimed, schema);
    if (data === undefined) {
      await fs.rename(claimed, file).catch(() => undefined);
      return false;
    }
    const now = this.clock.now();
    const taken = entriesOf(data).filter((e) => !this.entries.has(e.destPath) && this.acceptable(e, now));
    if (this.entries.size + taken.length > MAX_ENTRIES) {
      // All or nothing: a file taken in part would lose the rest. It waits until there is room.
      await fs.rename(claimed, file).catch(() => undefined);
      this.onError('Render jobs of a closed window are left for later: this window holds too many already', new Error(`${this.entries.size} + ${taken.length} > ${MAX_ENTRIES}`));
      return false;
    }
    for (const e of taken) this.entries.set(e.destPath, copy(e));
    const added = taken.length > 0;
    // Ours in memory; written by the caller before anything runs. Until then the claimed file
    // (jobs-<us>.<x>.json) is ours too, so a crash here loses nothing.
    if (added) await this.writeOwn();
    await unlinkQuietly(claimed);
    return true;
  }

  /** An entry read from disk is used only if its download path is in the downloads folder and it is not too old. */
  private acceptable(e: ExportJobEntry, now: number): boolean {
    if (!path.isAbsolute(e.destPath) || !isInside(this.downloadsDir, path.resolve(e.destPath)) || path.resolve(e.destPath) === this.downloadsDir) {
      this.onError('A render job with a download path outside the downloads folder is ignored', new Error(e.destPath));
      return false;
    }
    if (e.job && e.job.destPath !== e.destPath) return false;
    const started = e.job?.startedAt ?? e.target?.createdAt;
    return started === undefined || now - started < MAX_AGE_MS;
  }

  /** Reads and validates a file (size, JSON, schema); undefined (logged once) when it is missing or not valid. */
  private async readValid<S extends z.ZodMiniType>(file: string, schema: S): Promise<z.infer<S> | undefined> {
    let text: string;
    try {
      text = await readCapped(file, MAX_FILE_BYTES);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') this.reportOnce(file, code === 'EFBIG' ? 'A render job file is too big and is ignored' : 'Could not read a render job file', e);
      return undefined;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      this.reportOnce(file, 'A render job file is not valid JSON and is ignored', e);
      return undefined;
    }
    const r = schema.safeParse(json);
    if (!r.success) {
      this.reportOnce(file, 'A render job file is not valid and is ignored', new Error(`${file}: ${r.error.issues[0]?.message ?? 'schema'}`));
      return undefined;
    }
    return r.data as z.infer<S>;
  }

  private reportOnce(file: string, what: string, e: unknown): void {
    if (this.reported.has(file)) return;
    this.reported.add(file);
    this.onError(what, e);
  }
}

function legacyEntries(d: z.infer<typeof LegacyFile>): ExportJobEntry[] {
  const out = new Map<string, ExportJobEntry>();
  for (const j of d.jobs) out.set(j.destPath, { destPath: j.destPath, job: j, ...(d.targets[j.destPath] ? { target: d.targets[j.destPath] } : {}) });
  for (const [destPath, t] of Object.entries(d.targets).slice(0, MAX_ENTRIES)) if (!out.has(destPath)) out.set(destPath, { destPath, target: t });
  return [...out.values()];
}

function copy(e: ExportJobEntry): ExportJobEntry {
  return { destPath: e.destPath, ...(e.job ? { job: { ...e.job } } : {}), ...(e.target ? { target: { ...e.target } } : {}) };
}

async function readCapped(file: string, max: number): Promise<string> {
  const h = await fs.open(file, 'r');
  try {
    const { size } = await h.stat();
    if (size > max) throw Object.assign(new Error(`${file} has ${size} bytes`), { code: 'EFBIG' });
    const buf = Buffer.alloc(size);
    const { bytesRead } = await h.read(buf, 0, size, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await h.close();
  }
}

/** Written to a temporary file and renamed, so that a crash never leaves half a file. */
async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`);
  try {
    await fs.writeFile(tmp, text, 'utf8');
    await fs.rename(tmp, file);
  } catch (e) {
    await unlinkQuietly(tmp);
    throw e;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

async function unlinkQuietly(file: string): Promise<void> {
  await fs.rm(file, { force: true }).catch(() => undefined);
}
