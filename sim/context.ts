// Shared simulator state handed to every route handler, and the per-request context.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolveDelays } from './delays';
import type { Prng } from './prng';
import type { RenderRegistry } from './renderJobs';
import type { FiredScenario, ScenarioRegistry } from './scenarios';
import type { Store } from './state';
import type { Casing, RequestRecord, SimDelays, SimOptions, SimStats } from './types';

export const MB = 1024 * 1024;

export interface ResolvedOptions {
  realistic: boolean;
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

export function resolveOptions(o: SimOptions, prev?: ResolvedOptions): ResolvedOptions {
  const delayOverrides = { ...prev?.delayOverrides, ...o.delays };
  const realistic = o.realistic ?? prev?.realistic ?? false;
  return {
    realistic,
    casing: o.casing ?? prev?.casing ?? 'camel',
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
