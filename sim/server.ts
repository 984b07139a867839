// The local NemoVideo-compatible simulator: a plain Node http server on
// 127.0.0.1 that follows docs/protocol.md, awkward parts included. Routing and
// lifecycle live here; each endpoint group has its own module.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { admin, type AdminTarget } from './admin';
import { type RequestContext, type SimContext, StatsCollector, resolveOptions } from './context';
import { anonymousToken, claimToken, createSession, credits, state } from './gateway';
import { sendJson } from './http';
import { loadFixture } from './mp4';
import { Prng } from './prng';
import { cancelRender, cdn, fallbackDownload, pollRender, startRender } from './render';
import { RenderRegistry } from './renderJobs';
import { runSse } from './runSse';
import { ScenarioRegistry, scenariosFromHeader, validateSpec } from './scenarios';
import { DEFAULT_USER_CREDITS, Store } from './state';
import { upload } from './upload';
import type { ScenarioSpec, SimOptions, SimStats, Simulator } from './types';

export * from './types';
export { FAST_DELAYS, REALISTIC_DELAYS } from './delays';
export { HOSTILE } from './hostile';

type Handler = (ctx: SimContext, rc: RequestContext, param: string) => void | Promise<void>;

interface Route {
  method: string | string[];
  pattern: RegExp;
  handler: Handler;
}

const SEG = '([^/]+)';
const ROUTES: Route[] = [
  { method: 'POST', pattern: /^\/api\/auth\/anonymous-token$/, handler: (c, r) => anonymousToken(c, r) },
  { method: 'POST', pattern: /^\/api\/tasks\/me\/with-session\/nemo_agent$/, handler: (c, r) => createSession(c, r) },
  { method: 'POST', pattern: /^\/api\/auth\/claim-token$/, handler: (c, r) => claimToken(c, r) },
  { method: 'POST', pattern: /^\/run_sse$/, handler: (c, r) => runSse(c, r) },
  { method: 'POST', pattern: new RegExp(`^/api/upload-video/nemo_agent/me/${SEG}$`), handler: upload },
  { method: 'GET', pattern: /^\/api\/credits\/balance\/simple$/, handler: (c, r) => credits(c, r) },
  { method: 'GET', pattern: new RegExp(`^/api/state/nemo_agent/me/${SEG}/latest$`), handler: state },
  { method: 'POST', pattern: /^\/api\/render\/proxy\/lambda$/, handler: (c, r) => startRender(c, r) },
  { method: 'POST', pattern: new RegExp(`^/api/render/proxy/lambda/${SEG}/cancel$`), handler: cancelRender },
  { method: 'GET', pattern: new RegExp(`^/api/render/proxy/lambda/${SEG}$`), handler: pollRender },
  { method: ['GET', 'HEAD'], pattern: new RegExp(`^/api/render/proxy/${SEG}/download$`), handler: fallbackDownload },
  { method: ['GET', 'HEAD'], pattern: /^\/cdn\//, handler: (c, r) => cdn(c, r) },
];

function defaultFixturePath(): string {
  // dist/sim.js and sim/server.ts both sit one level below the project root.
  const candidates = [resolve(__dirname, '..', 'media', 'sample-render.mp4'), resolve(process.cwd(), 'media', 'sample-render.mp4')];
  return candidates.find((p) => existsSync(p)) ?? candidates[0];
}

/** A loopback port that nothing listens on: bind one, note it, close it. */
function closedPort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => done(port));
    });
  });
}

function decodeParam(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

class SimulatorImpl implements Simulator, AdminTarget {
  url = '';
  port = 0;
  private readonly server: Server;
  private readonly ctx: SimContext;

  constructor(opts: SimOptions, fixture: Buffer, unreachablePort: number) {
    const resolved = resolveOptions(opts);
    this.ctx = {
      opts: resolved,
      store: new Store(),
      scenarios: new ScenarioRegistry(),
      prng: new Prng(resolved.seed),
      stats: new StatsCollector(),
      renders: new RenderRegistry(),
      baseUrl: '',
      unreachableBase: `http://127.0.0.1:${unreachablePort}`,
      fixture,
      lifetime: new AbortController(),
    };
    this.server = createServer((req, res) => void this.handle(req, res));
    // Uploads of 500 MB and 15-minute streams must not hit Node's default request timeouts.
    this.server.requestTimeout = 0;
    this.server.timeout = 0;
  }

  async listen(port: number): Promise<void> {
    await new Promise<void>((done, fail) => {
      this.server.once('error', fail);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', fail);
        done();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${this.port}`;
    this.ctx.baseUrl = this.url;
  }

  private log(method: string, path: string, status: number | string, ms: number): void {
    // Path only: never the query string or headers, so no token ever reaches the log.
    if (!this.ctx.opts.quiet) process.stderr.write(`${method} ${path} ${status} ${ms}ms\n`);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const method = req.method ?? 'GET';
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      url = new URL('http://127.0.0.1/');
    }
    const path = url.pathname;
    res.on('close', () => this.log(method, path, res.headersSent ? res.statusCode : 'aborted', Date.now() - started));
    const isAdmin = path.startsWith('/__sim/');
    if (!isAdmin) this.ctx.stats.record(req, res, path, started);
    const fromHeader = scenariosFromHeader(req);
    if (typeof fromHeader === 'string') {
      sendJson(res, 400, { code: 400, data: null, message: fromHeader });
      req.resume();
      return;
    }
    const rc: RequestContext = { req, res, method, path, query: url.searchParams, ip: req.socket.remoteAddress ?? 'unknown', now: started, fromHeader };
    try {
      if (isAdmin) await admin(this, rc);
      else await this.route(rc);
    } catch (e) {
      process.stderr.write(`simulator error on ${method} ${path}: ${e instanceof Error ? e.message : String(e)}\n`);
      if (!res.headersSent) sendJson(res, 500, { code: 500, data: null, message: 'Internal simulator error' });
      else res.destroy();
    } finally {
      // A request answered before its body was read (an early refusal): discard the rest.
      if (!req.readableEnded) req.resume();
    }
  }

  private async route(rc: RequestContext): Promise<void> {
    let pathMatched = false;
    for (const r of ROUTES) {
      const m = r.pattern.exec(rc.path);
      if (!m) continue;
      pathMatched = true;
      const methods = Array.isArray(r.method) ? r.method : [r.method];
      if (!methods.includes(rc.method)) continue;
      await r.handler(this.ctx, rc, decodeParam(m[1] ?? ''));
      return;
    }
    if (pathMatched) sendJson(rc.res, 405, { detail: 'Method Not Allowed' });
    else sendJson(rc.res, 404, { detail: 'Not Found' });
  }

  async close(): Promise<void> {
    // Stop background runs first: each open stream then ends cleanly.
    this.ctx.lifetime.abort();
    await new Promise((r) => setImmediate(r));
    await new Promise<void>((done) => {
      this.server.close(() => done());
      this.server.closeAllConnections();
    });
  }

  addScenario(s: ScenarioSpec): void {
    const checked = validateSpec(s);
    if (typeof checked === 'string') throw new Error(`addScenario: ${checked}`);
    this.ctx.scenarios.add(s);
  }

  clearScenarios(): void {
    this.ctx.scenarios.clear();
  }

  listScenarios(): ScenarioSpec[] {
    return this.ctx.scenarios.list();
  }

  createUserToken(credits = DEFAULT_USER_CREDITS): string {
    return this.ctx.store.createUserToken(credits, Date.now());
  }

  stats(): SimStats {
    return this.ctx.stats.snapshot(this.ctx.renders.stats(Date.now()));
  }

  reset(): void {
    this.ctx.lifetime.abort();
    this.ctx.lifetime = new AbortController();
    this.ctx.store.reset();
    this.ctx.scenarios.clear();
    this.ctx.stats.reset();
    this.ctx.renders.reset();
    this.ctx.prng = new Prng(this.ctx.opts.seed);
  }

  setOptions(o: Partial<SimOptions>): void {
    this.ctx.opts = resolveOptions(o, this.ctx.opts);
    if (o.seed !== undefined) this.ctx.prng = new Prng(this.ctx.opts.seed);
  }

  options(): Record<string, unknown> {
    const { delayOverrides: _overrides, ...rest } = this.ctx.opts;
    return { ...rest, port: this.port, url: this.url };
  }
}

export async function startSimulator(opts: SimOptions = {}): Promise<Simulator> {
  const fixture = loadFixture(opts.fixturePath ?? defaultFixturePath());
  const sim = new SimulatorImpl(opts, fixture, await closedPort());
  await sim.listen(opts.port ?? 0);
  return sim;
}
