// POST /run_sse (§3.4, §4): every refusal (1001, 422, 1002, 2001, 429, 5xx) comes
// BEFORE the stream as a plain JSON reply (§16 U7); once accepted, the agent's
// events stream until the server closes the connection.
import { type Plan, askQuestionPlan, costOf, planRun, stallPlan, withAgentError, withStreamError, withTemporaryIssue } from './agent';
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

const OUTCOMES = ['streamError', 'streamErrorInvalidJson', 'agentError', 'temporaryIssue', 'dropStream', 'heartbeatStall', 'askQuestion'] as const;

function applyOutcome(plan: Plan, outcome: FiredScenario | undefined, s: SessionRecord): Plan {
  switch (outcome?.name) {
    case 'streamError':
      return withStreamError(plan, false, s.hostile);
    case 'streamErrorInvalidJson':
      return withStreamError(plan, true, s.hostile);
    case 'agentError':
      return withAgentError(plan, s.hostile);
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
  const snake = ctx.scenarios.take(['snakeCase'], sc);
  const forcedStreaming = ctx.scenarios.take(['streaming'], sc);

  const planned = planRun({
    session,
    text,
    baseUrl: ctx.baseUrl,
    delays: ctx.opts.delays,
    silent: () => (verbosity ? verbosity.name === 'silentReply' : ctx.prng.next() < ctx.opts.silentRate),
  });
  const plan = applyOutcome(planned, outcome, session);
  // echoToken: a broken backend repeats the caller's credentials in ordinary agent text.
  if (ctx.scenarios.take(['echoToken'], sc)) {
    const credential = (header(rc.req, 'authorization') ?? '').replace(/^Bearer\s+/i, '');
    plan.steps.unshift({ kind: 'say', text: `Debug: this request was made with token=${credential} (Authorization: Bearer ${credential}).` });
  }
  if (plan.cost < cost) ctx.store.release(token.userId, cost - plan.cost);

  // dropStream: the connection dies after the first event, but the run below still completes (§4.10).
  const writer = new SseWriter(rc.res, outcome?.name === 'dropStream' ? 1 : undefined);
  writer.start();
  await executeRun({
    plan,
    writer,
    factory: new EventFactory(snake ? 'snake' : ctx.opts.casing, newInvocationId()),
    delays: ctx.opts.delays,
    streaming: body.value.streaming || forcedStreaming !== undefined,
    session,
    store: ctx.store,
    signal: ctx.lifetime.signal,
  });
}
