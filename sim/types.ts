// Public types of the simulator (re-exported by sim/server.ts; see sim/README.md).

/** Every delay the simulator waits, in milliseconds. Zero means "as fast as possible". */
export interface SimDelays {
  /** Interval between heartbeats while the agent "works" (§16 U1: 15 s in reality). */
  heartbeatMs: number;
  /** Thinking time before a text-only answer (§12: 5–15 s). */
  textMs: number;
  /** Raw video generation, stage 1 of a generation (§12: 100–300 s). */
  generateMs: number;
  /** Each post-production tool of stage 2 (BGM, title). */
  postProductionMs: number;
  /** Each edit tool call (§12: editing 10–30 s in total). */
  editMs: number;
  /** Gap between partial text chunks when streaming. */
  chunkMs: number;
  /** How long a render stays `pending` before `processing`. */
  renderPendingMs: number;
  /** Total render time from submit to `completed` (§12: about 30 s). */
  renderMs: number;
  /** Total render time under the slowRender scenario (unless params.ms). */
  slowRenderMs: number;
}

/** Deprecated alias of the ADK wire: 'snake' = `adkWire: 'v0'`, 'camel' = a 1.x wire. */
export type Casing = 'camel' | 'snake';

/**
 * What ADK version's /run_sse the simulator speaks (docs/adk-wire.md, sim/README.md):
 * `progressive` ADK 1.29.0 (1.24-1.28 with `adkCallIds: 'distinct'`), `legacy` ADK 1.17.0,
 * `v0` ADK 0.5.0.
 */
export const ADK_WIRES = ['progressive', 'legacy', 'v0'] as const;
export type AdkWire = (typeof ADK_WIRES)[number];

/**
 * Progressive streaming only: whether a partial function call and the final one share their
 * `adk-` id (`shared`, ADK 1.29+) or each get their own (`distinct`, ADK 1.22-1.28).
 */
export const ADK_CALL_ID_MODES = ['shared', 'distinct'] as const;
export type AdkCallIds = (typeof ADK_CALL_ID_MODES)[number];

export interface SimOptions {
  port?: number; // 0/undefined = free port
  realistic?: boolean; // §12 durations; default false = every delay short
  /** /run_sse wire shape, default `progressive` (or NEMO_SIM_ADK_WIRE when set). */
  adkWire?: AdkWire;
  /** Progressive mode: partial/final call ids shared (1.29+, default) or distinct (1.22-1.28). NEMO_SIM_ADK_CALL_IDS. */
  adkCallIds?: AdkCallIds;
  /** Deprecated: `'snake'` selects `adkWire: 'v0'`, `'camel'` leaves v0 for `progressive`. */
  casing?: Casing;
  silentRate?: number; // share of edit runs that end with tool calls only (default 0.3, seeded PRNG)
  seed?: number;
  maxUploadBytes?: number; // default 200 MB -> 4002 above it (per file)
  anonymousPerIpLimit?: number; // default 10 per 7 days
  renderPaddingBytes?: number; // pad the rendered MP4 with a valid 'free' box
  delays?: Partial<SimDelays>;
  quiet?: boolean;
  /** §16 U6 switch: send 1001 with HTTP 401 and 1002 with HTTP 404 on every request (default false: HTTP 200). */
  envelopeErrorsAsHttp?: boolean;
  /** Path of the MP4 served as render output (default media/sample-render.mp4). */
  fixturePath?: string;
}

export const SCENARIO_NAMES = [
  'tokenExpired',
  'sessionLost',
  'noCredits',
  'exportBlocked',
  'rateLimited',
  'serverError',
  'streamError',
  'streamErrorInvalidJson',
  'agentError',
  'temporaryIssue',
  'dropStream',
  'heartbeatStall',
  'silentReply',
  'verboseReply',
  'askQuestion',
  'renderFail',
  'slowRender',
  'brokenDownload',
  'outputUrlUnreachable',
  'outputUrl',
  'hostileText',
  'echoToken',
  'snakeCase',
  'streaming',
  'adkProgressive',
  'adkLegacy',
  'adkV0',
  'unauthorized401',
  'notFound404',
] as const;

export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export interface ScenarioSpec {
  name: ScenarioName;
  sessionId?: string;
  times?: number; // default 1
  params?: Record<string, unknown>;
}

export interface RequestRecord {
  method: string;
  path: string;
  status: number;
  at: number;
  authorization?: string;
  headers: Record<string, string>;
}

export interface RenderRecordStats {
  status: string;
  /** Start submissions seen with this id (a duplicate submit makes it 2). */
  attempts: number;
  polls: number;
  downloads: number;
  sessionId: string;
}

export interface SimStats {
  requests: RequestRecord[];
  runSsePosts: Record<string, number>; // every POST /run_sse, accepted or not
  runSseAccepted: Record<string, number>; // POSTs that started a stream (i.e. could charge)
  renders: Record<string, RenderRecordStats>;
  /** Uploaded files as counted while streaming (bytes never buffered). */
  uploads: Array<{ sessionId: string; filename: string; bytes: number; accepted: boolean }>;
}

export interface Simulator {
  url: string;
  port: number;
  close(): Promise<void>;
  /** Arm a scenario (see sim/README.md). */
  addScenario(s: ScenarioSpec): void;
  clearScenarios(): void;
  /** Creates a registered (non-anonymous) user token with the given credits (default 100000). */
  createUserToken(credits?: number): string;
  stats(): SimStats;
  /** Forget sessions, tokens, counters, scenarios. */
  reset(): void;
  /** Change options at runtime (same as POST /__sim/options). */
  setOptions(o: Partial<SimOptions>): void;
}
