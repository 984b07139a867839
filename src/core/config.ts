// Everything the core needs from the outside world, passed in by the shell
// (src/) or by tests. The core never reads settings or the environment itself.
import type { Clock } from './clock';

export const DEFAULT_API_BASE_URL = 'https://mega-api-prod.nemovideo.ai';
export const DEFAULT_WEB_BASE_URL = 'https://nemovideo.com';
export const APP_NAME = 'nemo_agent';

export interface Attribution {
  /** X-Skill-Source, default `nemo-video-vscode` (§2.2, §16 U11). */
  source: string;
  /** X-Skill-Version: the extension's version. */
  version: string;
  /** X-Skill-Platform, default `vscode`. */
  platform: string;
}

/** Persists small values (client id, anonymous token). The shell backs it with globalState/SecretStorage. */
export interface KeyValueStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface RequestLogEntry {
  method: string;
  /** Path only, no query string and never a token. */
  path: string;
  status: number | 'network-error' | 'aborted';
  ms: number;
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  request?(entry: RequestLogEntry): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** Render poll cadence (§16 U5): `fastMs` for the first `fastPhaseMs`, then `slowMs`, give up after `budgetMs`. */
export interface RenderCadence {
  fastMs: number;
  fastPhaseMs: number;
  slowMs: number;
  budgetMs: number;
}

export const DEFAULT_RENDER_CADENCE: RenderCadence = { fastMs: 5_000, fastPhaseMs: 30_000, slowMs: 15_000, budgetMs: 5 * 60_000 };

/** Timers of a /run_sse run and its recovery (§4.9, §4.10, §12). */
export interface RunTimers {
  hardLimitMs: number; // 900 s
  heartbeatOnlyLimitMs: number; // 600 s
  stillWorkingEveryMs: number; // 120 s
  recoveryFirstWaitMs: number; // 30 s
  recoveryPollEveryMs: number; // 60 s
  recoveryMaxUnchanged: number; // 5
}

export const DEFAULT_RUN_TIMERS: RunTimers = {
  hardLimitMs: 900_000,
  heartbeatOnlyLimitMs: 600_000,
  stillWorkingEveryMs: 120_000,
  recoveryFirstWaitMs: 30_000,
  recoveryPollEveryMs: 60_000,
  recoveryMaxUnchanged: 5,
};

export interface NemoConfig {
  apiBaseUrl: string;
  webBaseUrl: string;
  attribution: Attribution;
  /** Language code for new sessions (§3.2), e.g. `en`, `zh-CN`. */
  language: string;
  /** A token given by the user or NEMO_TOKEN; when absent the client uses an anonymous token. */
  userToken?: string;
  /** NEMO_CLIENT_ID, when set. */
  clientIdOverride?: string;
  /** Where the client id and the anonymous token are kept. */
  store: KeyValueStore;
  /** Reads/writes ~/.config/nemovideo/client_id (injected so tests never touch $HOME). */
  clientIdFile?: { read(): Promise<string | undefined>; write(id: string): Promise<void> };
  clock: Clock;
  logger: Logger;
  /** Injected fetch (defaults to global fetch); tests may wrap it to count requests. */
  fetch?: typeof fetch;
  /** Soft upload size warning, bytes (§14 item 1). */
  uploadWarnBytes?: number;
  /** Back-off before a single retry of a 5xx/network failure on a REST call. */
  retryDelayMs?: number;
  /** Default wait for 429 without Retry-After (30 s). */
  rateLimitWaitMs?: number;
  /**
   * Upper bound for one JSON REST call (headers and body), default 60 s. A server that
   * accepts the connection and then says nothing would otherwise stall the UI forever.
   * Not applied to /run_sse (it has its own limits, §4.9) or to uploads and downloads.
   */
  requestTimeoutMs?: number;
  /**
   * Largest video a download may write, in bytes (default 4 GiB). A larger announced
   * Content-Length is refused before any byte is read; without one, the download stops
   * as soon as it passes the limit. Compressed replies count their decoded bytes.
   */
  maxDownloadBytes?: number;
  /** A download that receives no byte for this long stops (default 60 s; 0 disables). */
  downloadIdleTimeoutMs?: number;
  /** How long one whole download may take (default 10 min + 1 s per MB, at most 2 h). */
  downloadDeadline?: DownloadDeadline;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

/**
 * The total time one download may take: `baseMs` plus `perMbMs` for every MB of the
 * announced size (or, without a Content-Length, of the bytes received so far), at most
 * `maxMs`. `maxMs` 0 disables it.
 */
export interface DownloadDeadline {
  baseMs: number;
  perMbMs: number;
  maxMs: number;
}

export const DEFAULT_MAX_DOWNLOAD_BYTES = 4 * 1024 ** 3;
export const DEFAULT_DOWNLOAD_IDLE_TIMEOUT_MS = 60_000;
export const DEFAULT_DOWNLOAD_DEADLINE: DownloadDeadline = { baseMs: 10 * 60_000, perMbMs: 1_000, maxMs: 2 * 3_600_000 };
