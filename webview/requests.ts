// Requests to the host carry a requestId; the host answers each with exactly
// one `response`. If none comes within REQUEST_TIMEOUT_MS the request is
// settled as failed so the UI never waits forever.
import { REQUEST_TIMEOUT_MS, type WebviewToHost } from '../src/protocol';
import { postToHost } from './vscodeApi';

type RequestMessage = Extract<WebviewToHost, { requestId: string }>;
/** A request without its id; distributive so each message type keeps its own fields. */
export type RequestBody = RequestMessage extends infer M ? (M extends RequestMessage ? Omit<M, 'requestId'> : never) : never;

export interface RequestResult {
  ok: boolean;
  error?: string;
  timedOut?: boolean;
}

interface Pending {
  timer: ReturnType<typeof setTimeout>;
  settle: (r: RequestResult) => void;
}

const pending = new Map<string, Pending>();
let counter = 0;
const pageId = Math.random().toString(36).slice(2, 10);

/** Posts `body` with a fresh requestId; resolves with the host's answer or a timeout. */
export function request(body: RequestBody): Promise<RequestResult> {
  const requestId = `w${pageId}-${++counter}`;
  return new Promise<RequestResult>((resolve) => {
    const timer = setTimeout(() => {
      pending.delete(requestId);
      resolve({ ok: false, timedOut: true });
    }, REQUEST_TIMEOUT_MS);
    pending.set(requestId, { timer, settle: resolve });
    postToHost({ ...body, requestId } as RequestMessage);
  });
}

/** Settles the request a `response` answers; unknown or late ids are ignored. */
export function settleRequest(requestId: string, result: RequestResult): void {
  const p = pending.get(requestId);
  if (!p) return;
  pending.delete(requestId);
  clearTimeout(p.timer);
  p.settle(result);
}
