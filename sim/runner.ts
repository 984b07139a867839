// Plays a Plan onto an SSE stream with real waits and heartbeats, and applies its
// state changes and credit charges whether or not the client is still connected.
import type { Plan, Step, ToolCall } from './agent';
import type { EventFactory, Part } from './events';
import type { SseWriter } from './sse';
import type { SessionRecord, Store } from './state';
import { sleep } from './timers';
import type { SimDelays } from './types';

export interface RunOptions {
  plan: Plan;
  writer: SseWriter;
  factory: EventFactory;
  delays: SimDelays;
  /** `streaming:true` in the body or the streaming scenario: partial text deltas, then the aggregate (§4.5). */
  streaming: boolean;
  session: SessionRecord;
  store: Store;
  /** Aborted when the simulator closes or resets. */
  signal: AbortSignal;
}

/** Splits a text into about four deltas whose concatenation is exactly the text. */
export function textDeltas(text: string, pieces = 4): string[] {
  const tokens = text.split(/(?<=\s)(?=\S)/);
  const per = Math.max(1, Math.ceil(tokens.length / pieces));
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i += per) out.push(tokens.slice(i, i + per).join(''));
  return out;
}

function callPart(c: ToolCall): Part {
  return { functionCall: { id: c.id, name: c.name, args: c.args } };
}

class Run {
  private failed = false;
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

  private emit(e: Parameters<EventFactory['build']>[0]): void {
    this.o.writer.event(this.o.factory.build(e));
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

  private async say(step: Extract<Step, { kind: 'say' }>): Promise<void> {
    const usage = step.final ? { prompt: 5210, candidates: Math.ceil(step.text.length / 4) } : undefined;
    const thought: Part[] = step.thought ? [{ text: step.thought, thought: true }] : [];
    if (!this.o.streaming) {
      const parts: Part[] = [...thought, { text: step.text }];
      if (step.call) parts.push(callPart(step.call));
      this.emit({ parts, usage, longRunningToolIds: step.call ? [] : undefined });
      return;
    }
    // Streaming: deltas with partial:true, then ONE aggregated text event, then the call on its own (§4.5, §4.7).
    for (const delta of textDeltas(step.text)) {
      this.emit({ parts: [{ text: delta }], partial: true });
      await sleep(this.o.delays.chunkMs, this.o.signal);
    }
    this.emit({ parts: [...thought, { text: step.text }], usage });
    if (step.call) this.emit({ parts: [callPart(step.call)], longRunningToolIds: [] });
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
      if (step.kind === 'say') await this.say(step);
      else if (step.kind === 'call') this.emit({ parts: [callPart(step.call)], longRunningToolIds: step.longRunning ? [step.call.id] : [] });
      else if (step.kind === 'work') await this.work(step.ms);
      else if (step.kind === 'actionsOnly') this.emit({ artifactDelta: step.artifactDelta });
      else if (step.kind === 'result') {
        const stateDelta = step.apply?.(session) ?? {};
        this.emit({ parts: [{ functionResponse: { id: step.call.id, name: step.call.name, response: step.response } }], role: 'user', stateDelta });
      } else if (step.kind === 'agentError') {
        this.emit({ errorCode: step.code, errorMessage: step.message });
        this.failed = true;
        break;
      } else if (step.kind === 'streamError') {
        writer.data(step.raw);
        this.failed = true;
        break;
      } else {
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
