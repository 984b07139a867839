// A temporary folder for RenderJobFileStore tests, in which every store instance
// acts as one window: made before each test, every window handed over and the
// folder removed after it. Shared by the store's behaviour and mutation tests.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { RenderJobRecord } from '../../src/core/jobs/renderJob';
import { RenderJobFileStore } from '../../src/export/renderJobFileStore';
import type { FakeClock } from './fakeClock';

export interface JobStoreFolder {
  base: string;
  /** The single file of earlier versions (the stores take it over once). */
  jobFile: string;
  /** Where downloads go: the only place a job's download path may point. */
  downloads: string;
  /** Where each window keeps its jobs and lease files. */
  jobsDir: string;
  /** Every log line of every window, as `<window>: <what>: <detail>`. */
  errors: string[];
  stores: RenderJobFileStore[];
}

/** Registers the hooks; `bind` gets the folder of each test. */
export function useJobStoreFolder(bind: (f: JobStoreFolder) => void): void {
  let f: JobStoreFolder | undefined;
  beforeEach(() => {
    const base = mkdtempSync(path.join(tmpdir(), 'nemo-jobstore-'));
    f = { base, jobFile: path.join(base, 'render-jobs.json'), downloads: path.join(base, 'exports'), jobsDir: path.join(base, 'render-jobs'), errors: [], stores: [] };
    mkdirSync(f.downloads);
    bind(f);
  });
  afterEach(async () => {
    if (!f) return;
    for (const s of f.stores) await s.handOver().catch(() => undefined);
    rmSync(f.base, { recursive: true, force: true });
  });
}

/** One window: its own store on the folder, logging into `errors`. `downloadsDir: null` leaves the option out. */
export function openWindow(
  f: JobStoreFolder,
  id: string,
  clock: FakeClock,
  opts: { heartbeatMs: number; leaseMs: number; downloadsDir?: string | null },
): RenderJobFileStore {
  const s = new RenderJobFileStore(f.jobFile, (what, e) => f.errors.push(`${id}: ${what}: ${e instanceof Error ? e.message : String(e)}`), {
    clock,
    windowId: id,
    ...(opts.downloadsDir === null ? {} : { downloadsDir: opts.downloadsDir ?? f.downloads }),
    heartbeatMs: opts.heartbeatMs,
    leaseMs: opts.leaseMs,
  });
  f.stores.push(s);
  return s;
}

/** Where the job `name` downloads to: inside the folder's downloads. */
export function jobDest(f: JobStoreFolder, name: string): string {
  return path.join(f.downloads, `${name}.mp4`);
}

/** The core's record of a render job `name`, started at `startedAt`. */
export function jobRecord(f: JobStoreFolder, name: string, startedAt: number, over: Partial<RenderJobRecord> = {}): RenderJobRecord {
  return { renderId: `render_${name}`, sessionId: 'sess-1', attempt: 1, startedAt, destPath: jobDest(f, name), ...over };
}
