// ADK `Event` JSON as /run_sse sends it (§4.4, §4.7): model_dump_json(exclude_none,
// by_alias) — camelCase model keys since ADK 1.0, snake_case for an ADK 0.x server.
// Only model field names change case; tool args, responses and stateDelta contents
// are plain dicts and keep their own keys.
import { newEventId } from './ids';
import type { Casing } from './types';

export type Part =
  | { text: string; thought?: boolean }
  | { functionCall: { id: string; name: string; args: Record<string, unknown> } }
  | { functionResponse: { id: string; name: string; response: Record<string, unknown> } };

export interface EventInput {
  parts?: Part[];
  role?: 'model' | 'user';
  partial?: boolean;
  stateDelta?: Record<string, unknown>;
  artifactDelta?: Record<string, number>;
  longRunningToolIds?: string[];
  errorCode?: string;
  errorMessage?: string;
  usage?: { prompt: number; candidates: number };
}

export function snakeKey(camel: string): string {
  return camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Seconds since the epoch with a fraction, like Python's time.time(). */
export function adkTimestamp(nowMs: number = Date.now()): number {
  const micros = nowMs * 1000 + Math.floor((performance.now() % 1) * 1000);
  // Never a whole number: clients must accept a float here.
  return (micros % 1_000_000 === 0 ? micros + 1 : micros) / 1_000_000;
}

export class EventFactory {
  constructor(
    private readonly casing: Casing,
    readonly invocationId: string,
    private readonly author = 'nemo_agent',
  ) {}

  private k(camel: string): string {
    return this.casing === 'camel' ? camel : snakeKey(camel);
  }

  private part(p: Part): Record<string, unknown> {
    if ('functionCall' in p) return { [this.k('functionCall')]: { id: p.functionCall.id, args: p.functionCall.args, name: p.functionCall.name } };
    if ('functionResponse' in p) return { [this.k('functionResponse')]: { ...p.functionResponse } };
    return p.thought ? { text: p.text, thought: true } : { text: p.text };
  }

  private actions(stateDelta: Record<string, unknown>, artifactDelta: Record<string, number>): Record<string, unknown> {
    const actions: Record<string, unknown> = {
      [this.k('stateDelta')]: stateDelta,
      [this.k('artifactDelta')]: artifactDelta,
      [this.k('requestedAuthConfigs')]: {},
    };
    // requestedToolConfirmations only exists in newer (camelCase-era) ADK versions.
    if (this.casing === 'camel') actions.requestedToolConfirmations = {};
    return actions;
  }

  build(e: EventInput): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (e.parts) out.content = { parts: e.parts.map((p) => this.part(p)), role: e.role ?? 'model' };
    if (e.partial) out.partial = true;
    if (e.errorCode !== undefined) out[this.k('errorCode')] = e.errorCode;
    if (e.errorMessage !== undefined) out[this.k('errorMessage')] = e.errorMessage;
    out[this.k('invocationId')] = this.invocationId;
    out.author = this.author;
    out.actions = this.actions(e.stateDelta ?? {}, e.artifactDelta ?? {});
    if (e.longRunningToolIds) out[this.k('longRunningToolIds')] = e.longRunningToolIds;
    if (e.usage) {
      out[this.k('usageMetadata')] = {
        [this.k('promptTokenCount')]: e.usage.prompt,
        [this.k('candidatesTokenCount')]: e.usage.candidates,
        [this.k('totalTokenCount')]: e.usage.prompt + e.usage.candidates,
      };
    }
    out.id = newEventId();
    out.timestamp = adkTimestamp();
    return out;
  }
}
