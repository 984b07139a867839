// One test's world: a real simulator on loopback, a real core client talking to
// it through a NetTap, a StepClock for every long timer, and temp folders for
// the export target and for upload sources. `newHost()` models a window reload
// or a second window: a new client, clock and network, but the same persisted
// store and render-jobs folder, through the REAL RenderJobFileStore (one per
// host, as one per window). Its leases run on the world's shared `wall` clock,
// which moves only when a test moves it.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createNemoClient, type ClientNotice, type NemoClient } from '../../../src/core/api/client';
import type { Session, SessionState } from '../../../src/core/api/types';
import type { NemoConfig } from '../../../src/core/config';
import { runMessage, type RunOutcome } from '../../../src/core/conversation/run';
import type { RunEvent } from '../../../src/core/conversation/runEvents';
import { runRenderJob, type RenderJobOptions, type RenderJobResult } from '../../../src/core/jobs/renderJob';
import { RenderJobFileStore } from '../../../src/export/renderJobFileStore';
import { startSimulator, type ScenarioSpec, type SimDelays, type SimOptions, type Simulator } from '../../../sim/server';
import { flushMicrotasks } from '../../support/fakeClock';
import { tick, until as untilWithin } from '../../support/until';

export { tick };
import { closedOrigin } from './closedPort';
import { ExpectedVideo } from './disk';
import { MemoryStore, RecordingLogger } from '../../support/memory';
import { NetTap } from './netTap';
import { StepClock } from './stepClock';
import { ProcessClock } from './windows';

/** Short real delays on the simulator side: a whole generation takes a few dozen ms. */
export const FAST_SIM_DELAYS: SimDelays = {
  heartbeatMs: 5,
  textMs: 5,
  generateMs: 25,
  postProductionMs: 5,
  editMs: 10,
  chunkMs: 1,
  renderPendingMs: 0,
  // A render is complete at its first poll; the poll cadence itself runs on the StepClock.
  renderMs: 0,
  // slowRender: never completes within a test.
  slowRenderMs: 10 * 60_000,
};

/** A message the simulator's agent treats as a generation (100 credits). */
export const GENERATE = 'Make a 10-second city timelapse video with lo-fi music and a title';

export interface WorldOptions {
  sim?: SimOptions;
  config?: Partial<NemoConfig>;
  /** Use a registered user's token instead of an anonymous one. */
  userToken?: boolean;
}

export class World {
  readonly hosts: Host[] = [];
  /** Persisted across reloads (globalState / SecretStorage in the shell). */
  readonly store = new MemoryStore();
  readonly exportDir: string;
  /** Upload sources and the job-store file live here, never in the export folder. */
  readonly workDir: string;
  readonly jobFile: string;
  /** Time as every window on the machine sees it: the job store's heartbeats and leases run on it. */
  readonly wall = new StepClock();
  userToken?: string;

  private constructor(
    readonly sim: Simulator,
    readonly closed: string,
    private readonly options: WorldOptions,
    readonly root: string,
  ) {
    this.exportDir = path.join(root, 'export');
    this.workDir = path.join(root, 'work');
    this.jobFile = path.join(this.workDir, 'render-jobs.json');
  }

  static async start(options: WorldOptions = {}): Promise<World> {
    const sim = await startSimulator({ quiet: true, ...options.sim, delays: { ...FAST_SIM_DELAYS, ...options.sim?.delays } });
    const root = mkdtempSync(path.join(tmpdir(), 'nemo-faults-'));
    const world = new World(sim, await closedOrigin(), options, root);
    mkdirSync(world.exportDir);
    mkdirSync(world.workDir);
    if (options.userToken) world.userToken = sim.createUserToken();
    world.newHost();
    return world;
  }

  /**
   * A new world for a fault row (measured, then disposed, with the row), its first host and a
   * new session there; `scenario`, when given, is what the simulator plays for that session.
   */
  static async forRow(row: { track(w: World): World }, options: WorldOptions & { scenario?: Omit<ScenarioSpec, 'sessionId'> } = {}): Promise<{ w: World; h: Host; sessionId: string }> {
    const w = row.track(await World.start(options));
    const { sessionId } = await w.host.newSession();
    if (options.scenario) w.sim.addScenario({ ...options.scenario, sessionId });
    return { w, h: w.host, sessionId };
  }

  /** Runs `body` in a new world, disposed afterwards whatever happens. */
  static async run<T>(body: (w: World) => Promise<T>, options: WorldOptions = {}): Promise<T> {
    const w = await World.start(options);
    try {
      return await body(w);
    } finally {
      await w.dispose();
    }
  }

  /** The first host (the extension host before any reload). */
  get host(): Host {
    return this.hosts[0];
  }

  /** A fresh extension host after a window reload: same persisted store, new everything else. */
  newHost(config: Partial<NemoConfig> = {}): Host {
    const h = new Host(this, { ...this.options.config, ...config });
    this.hosts.push(h);
    return h;
  }

  private expected: ExpectedVideo | undefined;

  /** What a complete export must be. */
  expectedVideo(): ExpectedVideo {
    return (this.expected ??= new ExpectedVideo(this.options.sim?.renderPaddingBytes ?? 0));
  }

  private readonly attached: Array<{ close(): Promise<unknown> }> = [];

  /** Closes `server` with the world (a tiny hostile server, say). */
  attach<T extends { close(): Promise<unknown> }>(server: T): T {
    this.attached.push(server);
    return server;
  }

  async dispose(): Promise<void> {
    for (const s of this.attached.splice(0)) await s.close();
    await this.sim.close();
    rmSync(this.root, { recursive: true, force: true });
  }
}

export interface RunHandle {
  events: RunEvent[];
  stop: AbortController;
  outcome: Promise<RunOutcome>;
  /** Resolves with the first event that matches (real I/O keeps flowing meanwhile). */
  waitFor(pred: (e: RunEvent) => boolean): Promise<RunEvent>;
}

export class Host {
  readonly clock = new StepClock();
  readonly net: NetTap;
  readonly logger = new RecordingLogger();
  readonly client: NemoClient;
  readonly notices: ClientNotice[] = [];
  /** The real job store of this window, on the world's shared folder. */
  readonly jobs: RenderJobFileStore;
  /** This window's view of the wall clock: its timers stop firing when it crashes. */
  readonly process: ProcessClock;
  readonly config: NemoConfig;
  private renderIds = 0;

  constructor(
    readonly world: World,
    overrides: Partial<NemoConfig>,
  ) {
    this.net = new NetTap(world.closed);
    this.process = new ProcessClock(world.wall);
    this.jobs = new RenderJobFileStore(world.jobFile, (what, e) => this.logger.warn(`${what}: ${e instanceof Error ? e.message : String(e)}`), {
      clock: this.process,
      windowId: `window${world.hosts.length + 1}`,
      // Downloads go to the export folder (render rows) or the work folder (window rows).
      downloadsDir: world.root,
    });
    this.config = {
      apiBaseUrl: world.sim.url,
      webBaseUrl: 'https://nemovideo.com',
      attribution: { source: 'nemo-video-vscode', version: '0.1.0', platform: 'vscode' },
      language: 'en',
      store: world.store,
      clientIdFile: { read: async () => undefined, write: async () => undefined },
      clock: this.clock,
      logger: this.logger,
      fetch: this.net.fetch,
      ...(world.userToken !== undefined ? { userToken: world.userToken } : {}),
      ...overrides,
    };
    this.client = createNemoClient(this.config);
    this.client.onNotice((n) => this.notices.push(n));
  }

  newSession(): Promise<Session> {
    return this.drive(this.client.createSession('project'));
  }

  state(sessionId: string): Promise<SessionState> {
    return this.drive(this.client.state(sessionId));
  }

  /** Starts runMessage. The StepClock is NOT advanced: the run's 2/10/15-minute timers only move when a test moves them. */
  startRun(sessionId: string, text: string, opts: { stateBefore?: SessionState; onEvent?: (e: RunEvent, h: RunHandle) => void } = {}): RunHandle {
    const events: RunEvent[] = [];
    const stop = new AbortController();
    const handle: RunHandle = {
      events,
      stop,
      outcome: undefined as unknown as Promise<RunOutcome>,
      waitFor: async (pred) => {
        await until(() => events.some(pred), `a run event; got ${events.map((e) => e.type).join(', ')}`);
        return events.find(pred)!;
      },
    };
    handle.outcome = runMessage({
      api: this.client,
      sessionId,
      text,
      clock: this.clock,
      signal: stop.signal,
      ...(opts.stateBefore !== undefined ? { stateBefore: opts.stateBefore } : {}),
      onEvent: (e) => {
        events.push(e);
        opts.onEvent?.(e, handle);
      },
    });
    return handle;
  }

  /** runRenderJob with this host's client, clock and job store, driven to its end. */
  render(opts: Partial<RenderJobOptions> & { sessionId: string }): Promise<RenderJobResult> {
    return this.drive(runRenderJob(this.renderOptions(opts)));
  }

  renderOptions(opts: Partial<RenderJobOptions> & { sessionId: string }): RenderJobOptions {
    return {
      api: this.client,
      clock: this.clock,
      store: this.jobs,
      destPath: path.join(this.world.exportDir, 'video.mp4'),
      logger: this.logger,
      newRenderId: () => `render_fault_${++this.renderIds}`,
      ...opts,
    };
  }

  /**
   * Awaits `p` while moving the StepClock exactly as far as the core is waiting:
   * while a request is in flight, real I/O runs; when nothing is in flight, the
   * clock jumps to the next armed timer (a retry wait, a poll step). Only for
   * REST flows: a /run_sse run keeps its long timers armed the whole time.
   */
  async drive<T>(p: Promise<T>): Promise<T> {
    let settled = false;
    const done = p.then(
      () => (settled = true),
      () => (settled = true),
    );
    while (!settled) {
      await flushMicrotasks(5);
      if (settled) break;
      if (this.net.inFlight > 0) {
        const stalled = await waitWithWatchdog(Promise.race([this.net.nextSettle(), done]), STALL_LIMIT_MS);
        if (stalled && this.clock.nextDueIn() !== undefined) {
          // Nothing came back for a long time while the core also waits on a timer: a reply
          // that nobody reads or cancels is holding the driver (and, in real life, a socket).
          const open = this.net.unreleased().map((r) => `${r.method} ${r.path} (${String(r.outcome)}, ${r.bodyBytes} bytes read)`);
          throw new Error(`drive: no progress for ${STALL_LIMIT_MS} ms; replies never read nor cancelled: ${open.join('; ')}`);
        }
        continue;
      }
      const due = this.clock.nextDueIn();
      if (due === undefined) await tick();
      else await this.clock.advance(due);
    }
    return p;
  }
}

/** How long drive() waits on a silent request while a timer is also armed before it reports a stall. */
const STALL_LIMIT_MS = 10_000;

/** Resolves true when `p` did not settle within `ms` of real time (a watchdog, not a delay: it never slows a passing test). */
async function waitWithWatchdog(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), ms);
  });
  try {
    return await Promise.race([p.then(() => false), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** One turn of the event loop: lets real I/O (sockets, files) make progress. */
/** The longest a fault row waits on real I/O before it fails. */
export const REAL_WAIT_LIMIT_MS = 20_000;

/** Lets real I/O run until `cond` holds (test/support/until.ts), for at most REAL_WAIT_LIMIT_MS. */
export function until(cond: () => boolean, what: string): Promise<void> {
  return untilWithin(cond, what, REAL_WAIT_LIMIT_MS);
}
