// Gateway endpoints with the {code,data,message} envelope: anonymous token (§3.1),
// session (§3.2), claim token (§3.3), credits (§3.6), state (§3.7).
import type { RequestContext, SimContext } from './context';
import { authGate, faultGate, sessionGate } from './gates';
import { HOSTILE } from './hostile';
import { BodyTooLargeError, header, isRecord, parseJson, readBody, sendEnvelopeError, sendJson, sendOk } from './http';
import type { SessionRecord } from './state';

/** Reads an optional small JSON object body; answers 400 and returns undefined when it is not one. */
async function jsonObject(rc: RequestContext): Promise<Record<string, unknown> | undefined> {
  let buf: Buffer;
  try {
    buf = await readBody(rc.req, 1024 * 1024);
  } catch (e) {
    if (e instanceof BodyTooLargeError) sendJson(rc.res, 413, { code: 413, data: null, message: 'Request body too large' });
    return undefined;
  }
  if (buf.length === 0) return {};
  const parsed = parseJson(buf);
  if (!parsed.ok || !isRecord(parsed.value)) {
    sendJson(rc.res, 400, { code: 400, data: null, message: 'Body must be a JSON object' });
    return undefined;
  }
  return parsed.value;
}

/** The hostileText scenario turns a session hostile for good: its texts, names and titles carry payloads. */
export function markHostile(ctx: SimContext, rc: RequestContext, s: SessionRecord): void {
  if (ctx.scenarios.take(['hostileText'], { sessionId: s.sessionId, fromHeader: rc.fromHeader })) s.hostile = true;
}

export async function anonymousToken(ctx: SimContext, rc: RequestContext): Promise<void> {
  if (faultGate(ctx, rc)) return;
  const clientId = header(rc.req, 'x-client-id')?.trim();
  if (!clientId) {
    sendJson(rc.res, 400, { code: 400, data: null, message: 'X-Client-Id header is required' });
    return;
  }
  if (clientId.length > 64) {
    sendJson(rc.res, 400, { code: 400, data: null, message: 'X-Client-Id must be at most 64 characters' });
    return;
  }
  const got = ctx.store.anonymousToken(clientId, rc.ip, rc.now, ctx.opts.anonymousPerIpLimit);
  if (got === 'rateLimited') {
    sendJson(rc.res, 429, { code: 429, data: null, message: 'Too many anonymous tokens from this IP, try again later' });
    return;
  }
  sendOk(rc.res, {
    token: got.rec.token,
    user_id: got.user.id,
    expires_at: new Date(got.rec.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    credits: got.user.available,
    scopes: ['read', 'write', 'upload'],
  });
}

export async function createSession(ctx: SimContext, rc: RequestContext): Promise<void> {
  if (faultGate(ctx, rc)) return;
  const token = authGate(ctx, rc);
  if (!token) return;
  const body = await jsonObject(rc);
  if (!body) return;
  const taskName = typeof body.task_name === 'string' && body.task_name.trim() ? body.task_name : 'project';
  const language = typeof body.language === 'string' && body.language ? body.language : 'en';
  const s = ctx.store.createSession(token.userId, taskName, language, rc.now);
  markHostile(ctx, rc, s);
  if (s.hostile) s.taskName = `${HOSTILE.scriptBreakout}${HOSTILE.pathTraversal}`;
  sendOk(rc.res, { task_id: s.taskId, session_id: s.sessionId, user_id: token.userId });
}

export async function claimToken(ctx: SimContext, rc: RequestContext): Promise<void> {
  const body = await jsonObject(rc);
  if (!body) return;
  const sessionId = typeof body.session_id === 'string' ? body.session_id : undefined;
  if (faultGate(ctx, rc, sessionId)) return;
  const token = authGate(ctx, rc, sessionId);
  if (!token) return;
  const s = sessionGate(ctx, rc, token.userId, sessionId);
  if (!s) return;
  if (body.task_id !== undefined && body.task_id !== s.taskId) {
    sendEnvelopeError(rc.res, 1002, 'Task not found for this session');
    return;
  }
  const claim = ctx.store.claimToken(s, rc.now);
  sendOk(rc.res, { claim_token: claim.token, expires_in: 604800, task_id: s.taskId, session_id: s.sessionId });
}

export function credits(ctx: SimContext, rc: RequestContext): void {
  if (faultGate(ctx, rc)) return;
  const token = authGate(ctx, rc);
  if (!token) return;
  const u = ctx.store.user(token.userId);
  sendOk(rc.res, { available: u.available, frozen: u.frozen, total: u.available + u.frozen });
}

export function state(ctx: SimContext, rc: RequestContext, sessionId: string): void {
  if (faultGate(ctx, rc, sessionId)) return;
  const token = authGate(ctx, rc, sessionId);
  if (!token) return;
  const s = sessionGate(ctx, rc, token.userId, sessionId);
  if (!s) return;
  sendOk(rc.res, { session_id: s.sessionId, task_id: s.taskId, task_name: s.taskName, state: structuredClone(s.state) });
}
