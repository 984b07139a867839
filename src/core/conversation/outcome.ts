// What the user is offered after a run: the state decides the outcome. A run whose
// project changed shows its result, even when it ended with an error, a time limit,
// a lost connection or Stop; sending the message again is offered only when the state
// shows that nothing was produced, because a second send of a generation would be
// paid for twice.
import type { NemoErrorKind } from '../errors';
import type { RunOutcome } from './run';

/** Errors after which the user may send the same text again, when nothing was produced. */
const RESEND_SAFE_KINDS = new Set<NemoErrorKind>([
  'network',
  'server',
  'streamError',
  'agentError',
  'streamTimeout',
  'streamDropped',
  'rateLimited',
  'sessionNotFound',
  'invalidResponse',
  'unknown',
]);

type Ending = Pick<RunOutcome, 'status' | 'produced' | 'error'>;

/** Errors after which sending the same text again is worth offering at all (not out of credits, not a bad token). */
export function isResendSafeKind(kind: NemoErrorKind): boolean {
  return RESEND_SAFE_KINDS.has(kind);
}

/** True only for a failed run whose state was checked and is unchanged. */
export function mayOfferResend(o: Ending): boolean {
  return o.status === 'error' && o.produced === false && o.error !== undefined && isResendSafeKind(o.error.kind);
}

/** The run left a result to show (and, for a generation, to export), whatever its ending. */
export function producedResult(o: Ending): boolean {
  return o.status === 'done' || o.produced === true;
}
