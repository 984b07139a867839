// POST /run_sse (§3.4, §4): every refusal (1001, 422, 1002, 2001, 429, 5xx) comes
// BEFORE the stream as a plain JSON reply (§16 U7); once accepted, the agent's
// events stream until the server closes the connection.
import {
  INVALID_JSON_ERROR_MESSAGE,
  type Plan,
  agentErrorParams,
  askQuestionPlan,
  costOf,
  planRun,
  stallPlan,
  withAgentError,
  withEcho,
  withStreamError,
  withTemporaryIssue,
} from './agent';
import type { RequestContext, SimContext } from './context';
import { EventFactory } from './events';
import { markHostile } from './gateway';
import { authGate, faultGate, sessionGate } from './gates';
import { BodyTooLargeError, ENVELOPE_CODES, header, parseJson, readBody, sendEnvelopeError, sendJson } from './http';
import { newInvocationId } from './ids';
import { sessionIdOf, validateRunBody } from './runBody';
import { executeRun } from './runner';
import type { FiredScenario } from './scenarios';
import { SseWriter } from './sse';
import type { SessionRecord } from './state';
import type { AdkCallIds, AdkWire } from './types';
import { type WireProfile, isAdkCallIds, wireProfile } from './wire';

const OUTCOMES = ['streamError', 'streamErrorInvalidJson', 'agentError', 'temporaryIssue', 'dropStream', 'heartbeatStall', 'askQuestion'] as const;
const WIRE_SCENARIOS = ['adkProgressive', 'adkLegacy', 'adkV0', 'snakeCase'] as const;

function stringParam(params: Record<string, unknown>, key: string): string | undefined {
  const v = params[key];
  return typeof v === 'string' ? v : undefined;
}

function applyOutcome(plan: Plan, outcome: FiredScenario | undefined, s: SessionRecord): Plan {
  switch (outcome?.name) {
    case 'streamError':
      return withStreamError(plan, s.hostile, stringParam(outcome.params, 'message'));
    case 'streamErrorInvalidJson':
      // Quotes in the message: invalid JSON in an f-string error line (to 1.22.1), escaped by json.dumps (1.24+).
      return withStreamError(plan, s.hostile, stringParam(outcome.params, 'message') ?? INVALID_JSON_ERROR_MESSAGE);
    case 'agentError':
      return withAgentError(plan, s.hostile, agentErrorParams(outcome.params));
    case 'temporaryIssue':
      return withTemporaryIssue(plan);
    case 'heartbeatStall':
      return stallPlan();
    case 'askQuestion':
      return askQuestionPlan(s.hostile);
    default:
      return plan;
  }
}

export async function runSse(ctx: SimContext, rc: RequestContext): Promise<void> {
  let raw: Buffer;
  try {
    raw = await readBody(rc.req);
  } catch (e) {
    ctx.stats.countPost('(none)');
    if (e instanceof BodyTooLargeError) sendJson(rc.res, 413, { detail: 'Request body too large' });
    return;
  }
  const parsed = parseJson(raw);
  const guessedSession = parsed.ok ? sessionIdOf(parsed.value) : undefined;
  ctx.stats.countPost(guessedSession ?? '(none)');

  if (faultGate(ctx, rc, guessedSession)) return;
  const token = authGate(ctx, rc, guessedSession);
  if (!token) return;
  if (!parsed.ok) {
    sendJson(rc.res, 422, { detail: [{ type: 'json_invalid', loc: ['body', parsed.position], msg: 'JSON decode error', input: {}, ctx: { error: parsed.error } }] });
    return;
  }
  const body = validateRunBody(parsed.value);
  if (!body.ok) {
    sendJson(rc.res, 422, { detail: body.detail });
    return;
  }
  const { sessionId, text } = body.value;
  const session = sessionGate(ctx, rc, token.userId, sessionId);
  if (!session) return;

  const sc = { sessionId, fromHeader: rc.fromHeader };
  if (ctx.scenarios.take(['noCredits'], sc)) {
    sendEnvelopeError(rc.res, ENVELOPE_CODES.notEnoughCredits, 'Not enough credits');
    return;
  }
  const cost = costOf(text, session);
  if (cost > 0 && !ctx.store.freeze(token.userId, cost)) {
    sendEnvelopeError(rc.res, ENVELOPE_CODES.notEnoughCredits, 'Not enough credits');
    return;
  }
  ctx.stats.countAccepted(sessionId);
  markHostile(ctx, rc, session);

  const outcome = ctx.scenarios.take(OUTCOMES, sc);
  const verbosity = ctx.scenarios.take(['silentReply', 'verboseReply'], sc);
  const wire = wireFor(ctx.opts.adkWire, ctx.opts.adkCallIds, ctx.scenarios.take(WIRE_SCENARIOS, sc));
  const forcedStreaming = ctx.scenarios.take(['streaming'], sc);

  const planned = planRun({
    session,
    text,
    baseUrl: ctx.baseUrl,
    delays: ctx.opts.delays,
    silent: () => (verbosity ? verbosity.name === 'silentReply' : ctx.prng.next() < ctx.opts.silentRate),
  });
  let plan = applyOutcome(planned, outcome, session);
  // echoToken: a broken backend repeats the caller's credentials in ordinary agent text.
  if (ctx.scenarios.take(['echoToken'], sc)) {
    const credential = (header(rc.req, 'authorization') ?? '').replace(/^Bearer\s+/i, '');
    plan = withEcho(plan, `Debug: this request was made with token=${credential} (Authorization: Bearer ${credential}).`);
  }
  if (plan.cost < cost) ctx.store.release(token.userId, cost - plan.cost);

  // dropStream: the connection dies after the first event, but the run below still completes (§4.10).
  const writer = new SseWriter(rc.res, outcome?.name === 'dropStream' ? 1 : undefined);
  writer.start();
  await executeRun({
    plan,
    writer,
    factory: new EventFactory(wire, newInvocationId()),
    delays: ctx.opts.delays,
    streaming: body.value.streaming || forcedStreaming !== undefined,
    session,
    store: ctx.store,
    signal: ctx.lifetime.signal,
    maxLlmCalls: numberParam(outcome?.params.maxLlmCalls),
  });
}

function numberParam(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
}

/** The simulator's wire, or the one a wire scenario names for this stream (`snakeCase` = v0). */
function wireFor(wire: AdkWire, callIds: AdkCallIds, fired: FiredScenario | undefined): WireProfile {
  if (!fired) return wireProfile(wire, callIds);
  if (fired.name === 'adkLegacy') return wireProfile('legacy');
  if (fired.name === 'adkV0' || fired.name === 'snakeCase') return wireProfile('v0');
  const ids = fired.params.callIds;
  return wireProfile('progressive', isAdkCallIds(ids) ? ids : callIds);
}
