// Checks every gateway request goes through, in the order a gateway would do them:
// injected faults (5xx, 429), then the token (1001), then the session (1002).
import type { RequestContext, SimContext } from './context';
import { ENVELOPE_CODES, bearerToken, sendEnvelopeError, sendJson, sendText } from './http';
import type { SessionRecord, TokenRecord } from './state';

/** params.path is a prefix; without it a fault hits the gateway (/api…, /run_sse), not the CDN. */
function pathMatches(params: Record<string, unknown>, path: string): boolean {
  if (typeof params.path === 'string') return path.startsWith(params.path);
  return path.startsWith('/api/') || path === '/run_sse';
}

/** §16 U6: envelope errors come with HTTP 200 unless the 401/404 switch is on. */
export function envelopeStatus(ctx: SimContext, code: number): number {
  if (!ctx.opts.envelopeErrorsAsHttp) return 200;
  if (code === ENVELOPE_CODES.tokenInvalid) return 401;
  if (code === ENVELOPE_CODES.sessionNotFound) return 404;
  return 200;
}

/** serverError / rateLimited. Returns true when it answered. */
export function faultGate(ctx: SimContext, rc: RequestContext, sessionId?: string): boolean {
  const sc = { sessionId, fromHeader: rc.fromHeader };
  const server = ctx.scenarios.take(['serverError'], sc, (p) => pathMatches(p, rc.path));
  if (server) {
    const status = typeof server.params.status === 'number' ? server.params.status : 500;
    // The body of a real 5xx is often an HTML/text page from a proxy, not JSON (§2.5).
    if (server.params.json === true) sendJson(rc.res, status, { code: status, data: null, message: 'Internal server error' });
    else sendText(rc.res, status, status === 502 ? 'Bad Gateway' : status === 503 ? 'Service Unavailable' : 'Internal Server Error');
    return true;
  }
  const limited = ctx.scenarios.take(['rateLimited'], sc, (p) => pathMatches(p, rc.path));
  if (limited) {
    const ra = limited.params.retryAfter;
    const headers: Record<string, string> = typeof ra === 'number' || typeof ra === 'string' ? { 'Retry-After': String(ra) } : {};
    sendJson(rc.res, 429, { code: 429, data: null, message: 'Too many requests, please retry later' }, headers);
    return true;
  }
  return false;
}

/** Bearer token check (§2.1). Answers 1001 and returns undefined when it fails. */
export function authGate(ctx: SimContext, rc: RequestContext, sessionId?: string): TokenRecord | undefined {
  const token = bearerToken(rc.req);
  const fired = ctx.scenarios.take(['tokenExpired', 'unauthorized401'], { sessionId, fromHeader: rc.fromHeader });
  if (fired) {
    if (token) ctx.store.revoke(token); // it really is expired now: a retry with it fails too
    const status = fired.name === 'unauthorized401' ? 401 : envelopeStatus(ctx, ENVELOPE_CODES.tokenInvalid);
    sendEnvelopeError(rc.res, ENVELOPE_CODES.tokenInvalid, 'Token invalid or expired', status);
    return undefined;
  }
  const rec = ctx.store.validToken(token, rc.now);
  if (!rec) {
    sendEnvelopeError(rc.res, ENVELOPE_CODES.tokenInvalid, 'Token invalid or expired', envelopeStatus(ctx, ENVELOPE_CODES.tokenInvalid));
    return undefined;
  }
  return rec;
}

/** Session lookup (owned by the token's user). Answers 1002 and returns undefined when it fails. */
export function sessionGate(ctx: SimContext, rc: RequestContext, userId: string, sessionId: string | undefined): SessionRecord | undefined {
  const fired = ctx.scenarios.take(['sessionLost', 'notFound404'], { sessionId, fromHeader: rc.fromHeader });
  if (fired) {
    if (sessionId && ctx.store.sessionOf(userId, sessionId)) ctx.store.sessions.delete(sessionId); // lost for good
    const status = fired.name === 'notFound404' ? 404 : envelopeStatus(ctx, ENVELOPE_CODES.sessionNotFound);
    sendEnvelopeError(rc.res, ENVELOPE_CODES.sessionNotFound, 'Session not found', status);
    return undefined;
  }
  const s = ctx.store.sessionOf(userId, sessionId);
  if (!s) {
    sendEnvelopeError(rc.res, ENVELOPE_CODES.sessionNotFound, 'Session not found', envelopeStatus(ctx, ENVELOPE_CODES.sessionNotFound));
    return undefined;
  }
  return s;
}
