// Shared simulator state handed to every route handler, and the per-request context.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolveDelays } from './delays';
import type { Prng } from './prng';
import type { RenderRegistry } from './renderJobs';
import type { FiredScenario, ScenarioRegistry } from './scenarios';
import type { Store } from './state';
import type { AdkCallIds, AdkWire, Casing, RequestRecord, SimDelays, SimOptions, SimStats } from './types';
import { isAdkCallIds, isAdkWire } from './wire';

export const MB = 1024 * 1024;

export interface ResolvedOptions {
  realistic: boolean;
  adkWire: AdkWire;
  adkCallIds: AdkCallIds;
  /** Derived from adkWire (v0 = snake), kept for readers of GET /__sim/options. */
  casing: Casing;
  silentRate: number;
  seed: number;
  maxUploadBytes: number;
  anonymousPerIpLimit: number;
  renderPaddingBytes: number;
  quiet: boolean;
  envelopeErrorsAsHttp: boolean;
  delayOverrides: Partial<SimDelays>;
  delays: SimDelays;
}

/** Environment defaults, so a whole test suite can run against one wire: NEMO_SIM_ADK_WIRE, NEMO_SIM_ADK_CALL_IDS. */
function fromEnv<T>(name: string, valid: (v: unknown) => v is T): T | undefined {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  if (!valid(v)) throw new Error(`${name}=${v} is not a valid value`);
  return v;
}

function resolveWire(o: SimOptions, prev: ResolvedOptions | undefined): AdkWire {
  if (o.adkWire !== undefined) {
    if (!isAdkWire(o.adkWire)) throw new Error(`adkWire must be one of progressive, legacy, v0 (got ${String(o.adkWire)})`);
    return o.adkWire;
  }
  // Deprecated casing option: snake_case events are the ADK 0.x wire.
  if (o.casing === 'snake') return 'v0';
  const previous = prev?.adkWire ?? fromEnv('NEMO_SIM_ADK_WIRE', isAdkWire) ?? 'progressive';
  if (o.casing === 'camel' && previous === 'v0') return 'progressive';
  return previous;
}

function resolveCallIds(o: SimOptions, prev: ResolvedOptions | undefined): AdkCallIds {
  if (o.adkCallIds !== undefined) {
    if (!isAdkCallIds(o.adkCallIds)) throw new Error(`adkCallIds must be shared or distinct (got ${String(o.adkCallIds)})`);
    return o.adkCallIds;
  }
  return prev?.adkCallIds ?? fromEnv('NEMO_SIM_ADK_CALL_IDS', isAdkCallIds) ?? 'shared';
}

export function resolveOptions(o: SimOptions, prev?: ResolvedOptions): ResolvedOptions {
  const delayOverrides = { ...prev?.delayOverrides, ...o.delays };
  const realistic = o.realistic ?? prev?.realistic ?? false;
  const adkWire = resolveWire(o, prev);
  return {
    realistic,
    adkWire,
    adkCallIds: resolveCallIds(o, prev),
    casing: adkWire === 'v0' ? 'snake' : 'camel',
    silentRate: clamp01(o.silentRate ?? prev?.silentRate ?? 0.3),
    seed: o.seed ?? prev?.seed ?? 42,
    maxUploadBytes: o.maxUploadBytes ?? prev?.maxUploadBytes ?? 200 * MB,
    anonymousPerIpLimit: o.anonymousPerIpLimit ?? prev?.anonymousPerIpLimit ?? 10,
    renderPaddingBytes: Math.max(0, Math.floor(o.renderPaddingBytes ?? prev?.renderPaddingBytes ?? 0)),
    quiet: o.quiet ?? prev?.quiet ?? false,
    envelopeErrorsAsHttp: o.envelopeErrorsAsHttp ?? prev?.envelopeErrorsAsHttp ?? false,
    delayOverrides,
    delays: resolveDelays(realistic, delayOverrides),
  };
}

function clamp01(v: number): number {
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0.3;
}

/** Counters and the request log that Simulator.stats() and GET /__sim/stats report. */
export class StatsCollector {
  private requests: Array<{ rec: RequestRecord; res: ServerResponse }> = [];
  runSsePosts: Record<string, number> = {};
  runSseAccepted: Record<string, number> = {};
  uploads: SimStats['uploads'] = [];

  reset(): void {
    this.requests = [];
    this.runSsePosts = {};
    this.runSseAccepted = {};
    this.uploads = [];
  }

  record(req: IncomingMessage, res: ServerResponse, path: string, at: number): void {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const rec: RequestRecord = { method: req.method ?? 'GET', path, status: 0, at, headers };
    if (headers.authorization !== undefined) rec.authorization = headers.authorization;
    this.requests.push({ rec, res });
  }

  countPost(sessionId: string): void {
    this.runSsePosts[sessionId] = (this.runSsePosts[sessionId] ?? 0) + 1;
  }

  countAccepted(sessionId: string): void {
    this.runSseAccepted[sessionId] = (this.runSseAccepted[sessionId] ?? 0) + 1;
  }

  snapshot(renders: SimStats['renders']): SimStats {
    return {
      // A stream still running reports its status (200) as soon as its headers went out.
      requests: this.requests.map(({ rec, res }) => ({ ...rec, headers: { ...rec.headers }, status: res.headersSent ? res.statusCode : rec.status })),
      runSsePosts: { ...this.runSsePosts },
      runSseAccepted: { ...this.runSseAccepted },
      renders,
      uploads: this.uploads.map((u) => ({ ...u })),
    };
  }
}

export interface SimContext {
  opts: ResolvedOptions;
  store: Store;
  scenarios: ScenarioRegistry;
  prng: Prng;
  stats: StatsCollector;
  renders: RenderRegistry;
  /** http://127.0.0.1:<port> of this simulator. */
  baseUrl: string;
  /** A loopback URL on a port nothing listens on (outputUrlUnreachable). */
  unreachableBase: string;
  /** The render output fixture, read once. */
  fixture: Buffer;
  /** Aborted by close()/reset(): stops background runs and timers. */
  lifetime: AbortController;
}

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  ip: string;
  now: number;
  fromHeader: FiredScenario[];
}
