// Plays a Plan onto an SSE stream with real waits and heartbeats, and applies its
// state changes and credit charges whether or not the client is still connected.
// Every model turn goes through the wire profile's ADK layers (sim/model.ts), so the
// events are the ones that ADK version writes (docs/adk-wire.md).
import type { Plan, Step, ToolCall } from './agent';
import { type EventFactory, type EventInput, type Part, adkTimestamp } from './events';
import { newFunctionCallId } from './ids';
import { type LlmResponse, type ModelOutput, aggregatorFor, llmResponseOf, streamedResponse, wholeResponse } from './model';
import type { SseWriter } from './sse';
import type { SessionRecord, Store } from './state';
import { sleep } from './timers';
import type { SimDelays } from './types';
import { errorLine } from './wire';

export { textDeltas } from './model';

/** RunConfig.max_llm_calls default in every ADK version. */
export const DEFAULT_MAX_LLM_CALLS = 500;

export interface RunOptions {
  plan: Plan;
  writer: SseWriter;
  factory: EventFactory;
  delays: SimDelays;
  /** `streaming:true` in the body or the streaming scenario: partial events (legacy or progressive). */
  streaming: boolean;
  session: SessionRecord;
  store: Store;
  /** Aborted when the simulator closes or resets. */
  signal: AbortSignal;
  /** ADK's per-run model call limit (only reachable on the v0 wire, see modelTurn). */
  maxLlmCalls?: number;
}

interface ModelTurn {
  output: ModelOutput;
  /** Names of long-running tools among the calls (their ids go into longRunningToolIds). */
  longRunning: Set<string>;
}

function turnOf(step: Step): ModelTurn | undefined {
  switch (step.kind) {
    case 'say':
      return { output: { thought: step.thought, text: step.text, calls: step.call ? [step.call] : [] }, longRunning: names(step.longRunning ? step.call : undefined) };
    case 'call':
      return { output: { calls: [step.call] }, longRunning: names(step.longRunning ? step.call : undefined) };
    case 'emptyTurn':
      return { output: {}, longRunning: new Set() };
    case 'modelFailure':
      return { output: { thought: step.thought, text: step.text, finishReason: step.code, finishMessage: step.message }, longRunning: new Set() };
    default:
      return undefined;
  }
}

function names(c: ToolCall | undefined): Set<string> {
  return new Set(c ? [c.name] : []);
}

function callsOf(parts: Part[] | undefined): Array<{ id: string; name: string }> {
  return (parts ?? []).flatMap((p) => ('functionCall' in p ? [p.functionCall] : []));
}

class Run {
  private failed = false;
  private llmCalls = 0;
  private readonly closed: Promise<void>;
  private stopWaiting: () => void = () => undefined;

  constructor(private readonly o: RunOptions) {
    this.closed = new Promise((resolve) => {
      o.writer.onClose(resolve);
      const onAbort = (): void => resolve();
      o.signal.addEventListener('abort', onAbort, { once: true });
      this.stopWaiting = () => o.signal.removeEventListener('abort', onAbort);
    });
  }

  private get profile() {
    return this.o.factory.profile;
  }

  private emit(e: EventInput): void {
    for (const obj of this.o.factory.wire(e)) this.o.writer.event(obj);
  }

  /** The run raised: ADK's error line, then the server closes. */
  private raise(message: string): void {
    this.o.writer.data(errorLine(this.profile, message));
    this.failed = true;
  }

  private async work(ms: number): Promise<void> {
    const { heartbeatMs } = this.o.delays;
    if (heartbeatMs <= 0) {
      this.o.writer.heartbeat();
      await sleep(ms, this.o.signal);
      return;
    }
    const end = Date.now() + ms;
    for (let left = ms; left > 0 && !this.o.signal.aborted; left = end - Date.now()) {
      await sleep(Math.min(heartbeatMs, left), this.o.signal);
      this.o.writer.heartbeat();
    }
  }

  /**
   * The flow's part (base_llm_flow `_postprocess_async` / `_finalize_model_response_event`):
   * no content and no errorCode, no event; calls get their ids (`adk-` uuid4: the plan's id on
   * every event whose call runs) and longRunningToolIds. Up to 1.28 a partial call's id is
   * assigned on a copy, so it differs from the final one. Returns whether an event was written.
   */
  private modelEvent(r: LlmResponse, turn: ModelTurn, timestamp: number | undefined): boolean {
    if (r.parts === undefined && r.errorCode === undefined) return false;
    let parts = r.parts;
    if (r.partial === true && this.profile.callIds === 'distinct' && parts) {
      parts = parts.map((p) => ('functionCall' in p ? { functionCall: { ...p.functionCall, id: newFunctionCallId() } } : p));
    }
    const calls = callsOf(parts);
    this.emit({
      modelVersion: r.modelVersion,
      parts,
      partial: r.partial,
      finishReason: r.finishReason,
      errorCode: r.errorCode,
      errorMessage: r.errorMessage,
      usage: r.usage,
      longRunningToolIds: calls.length > 0 ? calls.filter((c) => turn.longRunning.has(c.name)).map((c) => c.id) : undefined,
      timestamp,
    });
    return true;
  }

  /**
   * One model call and everything ADK writes for it. Returns false when the run ended with an
   * error (a non-STOP errorCode, or the model call limit).
   */
  private async modelTurn(turn: ModelTurn): Promise<boolean> {
    let retrying = false;
    for (;;) {
      const limit = this.o.maxLlmCalls ?? DEFAULT_MAX_LLM_CALLS;
      this.llmCalls += 1;
      if (this.llmCalls > limit) {
        this.raise(`Max number of llm calls limit of \`${limit}\` exceeded`);
        return false;
      }
      // Up to 1.5 every event of one model call carries the call's creation time.
      const timestamp = this.profile.modelCallTimestamp ? adkTimestamp() : undefined;
      let last: LlmResponse | undefined;
      if (!this.o.streaming) {
        const r = llmResponseOf(wholeResponse(turn.output, this.llmCalls - 1), this.profile);
        if (this.modelEvent(r, turn, timestamp)) last = r;
      } else {
        const aggregator = aggregatorFor(this.profile);
        const chunks = streamedResponse(turn.output, this.llmCalls - 1);
        for (let i = 0; i < chunks.length; i++) {
          for (const r of aggregator.process(chunks[i])) if (this.modelEvent(r, turn, timestamp)) last = r;
          // A retry repeats the same answer: the waits between its chunks are not part of the wire.
          if (i < chunks.length - 1 && !retrying) await sleep(this.o.delays.chunkMs, this.o.signal);
        }
        const closing = aggregator.close();
        if (closing && this.modelEvent(closing, turn, timestamp)) last = closing;
      }
      // 0.x: a partial last event is not a final response, so the flow calls the model again
      // (with the same history: partial events are not saved) until max_llm_calls.
      if (last?.partial === true && this.profile.retryAfterPartialLastEvent && !this.o.signal.aborted) {
        retrying = true;
        continue;
      }
      return last?.errorCode === undefined || last.errorCode === 'STOP';
    }
  }

  private async stall(): Promise<void> {
    const every = Math.max(10, this.o.delays.heartbeatMs);
    while (this.o.writer.open && !this.o.signal.aborted) {
      this.o.writer.heartbeat();
      await Promise.race([sleep(every, this.o.signal), this.closed]);
    }
    this.failed = true; // nothing was done, nothing is charged
  }

  async play(): Promise<void> {
    const { plan, writer, session, store } = this.o;
    for (const step of plan.steps) {
      if (this.o.signal.aborted) {
        this.failed = true;
        break;
      }
      const turn = turnOf(step);
      if (turn) {
        const ok = await this.modelTurn(turn);
        if (!ok || step.kind === 'modelFailure') {
          this.failed = true;
          break;
        }
      } else if (step.kind === 'work') await this.work(step.ms);
      else if (step.kind === 'result') {
        const stateDelta = step.apply?.(session) ?? {};
        this.emit({
          parts: [{ functionResponse: { id: step.call.id, name: step.call.name, response: step.response } }],
          role: 'user',
          stateDelta,
          artifactDelta: step.artifactDelta,
        });
      } else if (step.kind === 'streamError') {
        this.raise(step.message);
        break;
      } else if (step.kind === 'stall') {
        await this.stall();
      }
    }
    if (plan.cost > 0) {
      if (this.failed) store.release(session.userId, plan.cost);
      else store.charge(session.userId, plan.cost);
    }
    this.stopWaiting(); // the simulator-wide signal outlives this run
    writer.end();
  }
}

export function executeRun(o: RunOptions): Promise<void> {
  return new Run(o).play();
}
