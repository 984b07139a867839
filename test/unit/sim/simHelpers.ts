// Plain-fetch helpers for the simulator's own tests (real loopback HTTP).
import { type SimOptions, type Simulator, startSimulator } from '../../../sim/server';

export const ATTRIBUTION = { 'X-Skill-Source': 'nemo-video-vscode', 'X-Skill-Version': '0.1.0', 'X-Skill-Platform': 'vscode' };

export function start(opts: SimOptions = {}): Promise<Simulator> {
  return startSimulator({ quiet: true, ...opts });
}

/** A fresh simulator with a session of a registered user (or of an anonymous one). */
export async function startWithSession(opts: SimOptions = {}, user: 'registered' | 'anonymous' = 'registered'): Promise<{ sim: Simulator; token: string; sessionId: string }> {
  const sim = await start(opts);
  const token = user === 'registered' ? sim.createUserToken() : (await anonymousToken(sim)).token;
  return { sim, token, sessionId: (await newSession(sim, token)).sessionId };
}

export interface Envelope {
  code: number;
  data: Record<string, unknown> | null;
  message?: string;
}

export async function json<T = Envelope>(r: Response): Promise<T> {
  return (await r.json()) as T;
}

export function auth(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { Authorization: `Bearer ${token}`, ...ATTRIBUTION, ...extra };
}

export async function anonymousToken(sim: Simulator, clientId = 'client-1'): Promise<{ token: string; userId: string }> {
  const r = await fetch(`${sim.url}/api/auth/anonymous-token`, { method: 'POST', headers: { 'X-Client-Id': clientId, ...ATTRIBUTION } });
  const body = await json(r);
  if (body.code !== 0 || !body.data) throw new Error(`anonymous-token failed: ${JSON.stringify(body)}`);
  return { token: String(body.data.token), userId: String(body.data.user_id) };
}

export async function newSession(sim: Simulator, token: string): Promise<{ sessionId: string; taskId: string }> {
  const r = await fetch(`${sim.url}/api/tasks/me/with-session/nemo_agent`, {
    method: 'POST',
    headers: auth(token, { 'Content-Type': 'application/json' }),
    body: JSON.stringify({ task_name: 'project', language: 'en' }),
  });
  const body = await json(r);
  if (body.code !== 0 || !body.data) throw new Error(`with-session failed: ${JSON.stringify(body)}`);
  return { sessionId: String(body.data.session_id), taskId: String(body.data.task_id) };
}

export function runBody(sessionId: string, text: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ app_name: 'nemo_agent', user_id: 'me', session_id: sessionId, new_message: { parts: [{ text }] }, ...extra });
}

export function postRun(sim: Simulator, token: string, body: string, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
  return fetch(`${sim.url}/run_sse`, {
    method: 'POST',
    headers: auth(token, { 'Content-Type': 'application/json', Accept: 'text/event-stream', ...headers }),
    body,
    signal,
  });
}

/** One SSE frame as written on the wire. */
export interface Frame {
  raw: string;
  comment: boolean;
  event?: string;
  data?: string;
}

export function frames(text: string): Frame[] {
  return text
    .split('\n\n')
    .filter((f) => f.length > 0)
    .map((raw) => {
      const f: Frame = { raw, comment: raw.startsWith(':') };
      for (const line of raw.split('\n')) {
        if (line.startsWith('event:')) f.event = line.slice(6).trim();
        if (line.startsWith('data:')) f.data = line.slice(5).replace(/^ /, '');
      }
      return f;
    });
}

export function isHeartbeat(f: Frame): boolean {
  return f.comment || f.event === 'heartbeat' || f.data === '' || f.data === 'heartbeat' || f.data === '{"type":"heartbeat"}';
}

export type Json = Record<string, unknown>;

/** Data frames that are ADK events (JSON with an invocation id), parsed. */
export function events(fs: Frame[]): Json[] {
  const out: Json[] = [];
  for (const f of fs) {
    if (isHeartbeat(f) || f.data === undefined) continue;
    try {
      out.push(JSON.parse(f.data) as Json);
    } catch {
      // streamErrorInvalidJson: deliberately not JSON; tests look at the raw frame
    }
  }
  return out;
}

export function parts(e: Json): Json[] {
  const content = e.content as { parts?: Json[] } | undefined;
  return content?.parts ?? [];
}

export function texts(evs: Json[]): string[] {
  return evs.filter((e) => !e.partial).flatMap((e) => parts(e).filter((p) => typeof p.text === 'string' && p.thought !== true).map((p) => String(p.text)));
}

export function calls(evs: Json[], key = 'functionCall'): Json[] {
  return evs.flatMap((e) => parts(e).filter((p) => p[key] !== undefined).map((p) => p[key] as Json));
}

export async function run(sim: Simulator, token: string, sessionId: string, text: string, opts: { extra?: Record<string, unknown>; headers?: Record<string, string> } = {}) {
  const r = await postRun(sim, token, runBody(sessionId, text, opts.extra), opts.headers);
  const body = await r.text();
  const fs = frames(body);
  return { status: r.status, contentType: r.headers.get('content-type') ?? '', body, frames: fs, events: r.headers.get('content-type')?.startsWith('text/event-stream') ? events(fs) : [] };
}

export async function getState(sim: Simulator, token: string, sessionId: string): Promise<Envelope> {
  return json(await fetch(`${sim.url}/api/state/nemo_agent/me/${sessionId}/latest`, { headers: auth(token) }));
}

export async function credits(sim: Simulator, token: string): Promise<{ available: number; frozen: number; total: number }> {
  const body = await json(await fetch(`${sim.url}/api/credits/balance/simple`, { headers: auth(token) }));
  return body.data as { available: number; frozen: number; total: number };
}

/** Waits for a condition that the simulator's background work makes true; bounded, no fixed sleeps. */
export async function eventually<T>(probe: () => Promise<T | undefined>, tries = 1000): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('condition never became true');
}

export async function generate(sim: Simulator, token: string, sessionId: string, text = 'Make a 10 second video about a city timelapse') {
  const r = await run(sim, token, sessionId, text);
  if (r.status !== 200) throw new Error(`generation failed: ${r.body}`);
  return r;
}
