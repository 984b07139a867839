// Render jobs in flight, kept in a JSON file under globalStorageUri so a window
// reload or a crash does not lose them: the core saves a record BEFORE it starts
// polling, and activation resumes every record left (nemo-api.md §14 item 18).
// Next to each job we keep where its file must land in the workspace, keyed by
// the temporary download path (it stays the same when the core retries with a
// new render id).
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as z from 'zod/mini';
import { lengthBetween as len } from '../core/zodRule';
import type { RenderJobRecord, RenderJobStore } from '../core/jobs/renderJob';

const JobRecord = z.object({
  renderId: z.string().check(len(1, 200)),
  sessionId: z.string().check(len(1, 200)),
  attempt: z.union([z.literal(1), z.literal(2)]),
  startedAt: z.number(),
  destPath: z.string().check(len(1, 4_096)),
  title: z.optional(z.string().check(len(0, 1_000))),
});

/** Where a finished render goes: a folder in the workspace (URI string) or a file the user chose in a Save dialog. */
const Target = z.object({
  dir: z.optional(z.string().check(len(0, 8_192))),
  file: z.optional(z.string().check(len(0, 8_192))),
  /** The workspace folder the dir must stay inside. */
  root: z.optional(z.string().check(len(0, 8_192))),
  title: z.optional(z.string().check(len(0, 1_000))),
  createdAt: z.number(),
});
export type ExportTargetRecord = z.infer<typeof Target>;

const FileShape = z.object({
  version: z.literal(1),
  jobs: z.array(JobRecord),
  // Keyed by destPath. z.catchall on an empty object rather than z.record: the same check for a
  // JSON object (every value must be a Target) without z.record's 2.8 KB of zod core (see protocol.ts).
  targets: z.catchall(z.object({}), Target),
});
type FileShape = z.infer<typeof FileShape>;

/** Records older than this are dropped on load: the backend forgets renders long before. */
const MAX_AGE_MS = 7 * 24 * 3600_000;

export class RenderJobFileStore implements RenderJobStore {
  private loading: Promise<FileShape> | undefined;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    readonly file: string,
    private readonly onError: (what: string, e: unknown) => void,
  ) {}

  save(r: RenderJobRecord): Promise<void> {
    return this.mutate((d) => {
      d.jobs = d.jobs.filter((j) => j.renderId !== r.renderId);
      d.jobs.push({ renderId: r.renderId, sessionId: r.sessionId, attempt: r.attempt, startedAt: r.startedAt, destPath: r.destPath, ...(r.title ? { title: r.title } : {}) });
    });
  }

  remove(renderId: string): Promise<void> {
    return this.mutate((d) => {
      d.jobs = d.jobs.filter((j) => j.renderId !== renderId);
    });
  }

  async list(): Promise<RenderJobRecord[]> {
    const d = await this.read();
    return d.jobs.map((j) => ({ ...j }));
  }

  setTarget(destPath: string, target: ExportTargetRecord): Promise<void> {
    return this.mutate((d) => {
      d.targets[destPath] = target;
    });
  }

  async target(destPath: string): Promise<ExportTargetRecord | undefined> {
    return (await this.read()).targets[destPath];
  }

  removeTarget(destPath: string): Promise<void> {
    return this.mutate((d) => {
      delete d.targets[destPath];
    });
  }

  /** Targets whose job is gone: the render finished but the window closed before the file was placed. */
  async orphanTargets(): Promise<Array<[string, ExportTargetRecord]>> {
    const d = await this.read();
    const busy = new Set(d.jobs.map((j) => j.destPath));
    return Object.entries(d.targets).filter(([dest]) => !busy.has(dest));
  }

  /** Waits for pending writes, then returns the data. */
  private async read(): Promise<FileShape> {
    await this.chain;
    return this.load();
  }

  private load(): Promise<FileShape> {
    this.loading ??= this.loadFile();
    return this.loading;
  }

  private async loadFile(): Promise<FileShape> {
    let parsed: FileShape = { version: 1, jobs: [], targets: {} };
    try {
      const r = FileShape.safeParse(JSON.parse(await fs.readFile(this.file, 'utf8')));
      if (r.success) parsed = r.data;
      else this.onError('The render job file was not valid and is ignored', new Error(this.file));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.onError('Could not read the render job file', e);
    }
    const now = Date.now();
    parsed.jobs = parsed.jobs.filter((j) => now - j.startedAt < MAX_AGE_MS);
    for (const [k, t] of Object.entries(parsed.targets)) if (now - t.createdAt > MAX_AGE_MS) delete parsed.targets[k];
    return parsed;
  }

  /** Serialised read-modify-write, written to a temporary file and renamed so a crash never leaves half a file. */
  private mutate(change: (d: FileShape) => void): Promise<void> {
    const next = this.chain.then(async () => {
      const d = await this.load();
      change(d);
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      await fs.writeFile(tmp, JSON.stringify(d), 'utf8');
      await fs.rename(tmp, this.file);
    });
    this.chain = next.catch(() => undefined);
    return next;
  }
}
