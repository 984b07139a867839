// ADK `Event` JSON as /run_sse sends it: pydantic's model_dump_json(exclude_none,
// by_alias), fields in model order. Which fields exist, the envelope's casing, the id
// format and the artifact split follow the wire profile (sim/wire.ts). Only envelope and
// `actions` keys change case (ADK 0.x); keys inside `content` are google-genai's and
// always camelCase, and tool args, responses and stateDelta contents are plain dicts
// that keep their own keys.
import { newEventId, newShortEventId } from './ids';
import type { WireProfile } from './wire';

export type Part =
  | { text: string; thought?: boolean }
  | { functionCall: { id: string; name: string; args: Record<string, unknown> } }
  | { functionResponse: { id: string; name: string; response: Record<string, unknown> } };

/** Token counts of one model response (google-genai usage metadata). */
export interface Usage {
  prompt: number;
  candidates?: number;
  thoughts?: number;
}

export interface EventInput {
  /** Content parts; `[]` is a content object without parts (`{"role":"model"}`), undefined no content. */
  parts?: Part[];
  role?: 'model' | 'user';
  /** Written when set, `false` included (the progressive final event carries `"partial":false`). */
  partial?: boolean;
  modelVersion?: string;
  finishReason?: string;
  errorCode?: string;
  errorMessage?: string;
  usage?: Usage;
  stateDelta?: Record<string, unknown>;
  artifactDelta?: Record<string, number>;
  longRunningToolIds?: string[];
  /** Defaults: a fresh id in the profile's format, now. */
  id?: string;
  timestamp?: number;
}

export function snakeKey(camel: string): string {
  return camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Seconds since the epoch with microseconds, like Python's time.time(); never going backwards. */
export function adkTimestamp(nowMs: number = performance.timeOrigin + performance.now()): number {
  const micros = Math.floor(nowMs * 1000);
  // Never a whole number: clients must accept a float here.
  return (micros % 1_000_000 === 0 ? micros + 1 : micros) / 1_000_000;
}

function partJson(p: Part): Record<string, unknown> {
  if ('functionCall' in p) return { functionCall: { id: p.functionCall.id, args: p.functionCall.args, name: p.functionCall.name } };
  if ('functionResponse' in p) return { functionResponse: { id: p.functionResponse.id, name: p.functionResponse.name, response: p.functionResponse.response } };
  return p.thought ? { text: p.text, thought: true } : { text: p.text };
}

/** google-genai GenerateContentResponseUsageMetadata, camelCase like every google-genai model. */
export function usageJson(u: Usage): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (u.candidates !== undefined) out.candidatesTokenCount = u.candidates;
  out.promptTokenCount = u.prompt;
  out.promptTokensDetails = [{ modality: 'TEXT', tokenCount: u.prompt }];
  if (u.thoughts !== undefined) out.thoughtsTokenCount = u.thoughts;
  out.totalTokenCount = u.prompt + (u.candidates ?? 0) + (u.thoughts ?? 0);
  return out;
}

export class EventFactory {
  constructor(
    readonly profile: WireProfile,
    readonly invocationId: string,
    private readonly author = 'nemo_agent',
  ) {}

  private k(camel: string): string {
    return this.profile.snakeEnvelope ? snakeKey(camel) : camel;
  }

  newId(): string {
    return this.profile.eventIds === 'short' ? newShortEventId() : newEventId();
  }

  private actions(stateDelta: Record<string, unknown>, artifactDelta: Record<string, number>): Record<string, unknown> {
    const actions: Record<string, unknown> = {
      [this.k('stateDelta')]: stateDelta,
      [this.k('artifactDelta')]: artifactDelta,
      [this.k('requestedAuthConfigs')]: {},
    };
    if (this.profile.toolConfirmations) actions[this.k('requestedToolConfirmations')] = {};
    return actions;
  }

  /** One event, with only the fields the profile's ADK version has. */
  build(e: EventInput): Record<string, unknown> {
    const p = this.profile;
    const out: Record<string, unknown> = {};
    if (p.modelVersion && e.modelVersion !== undefined) out.modelVersion = e.modelVersion;
    if (e.parts) {
      const role = e.role ?? 'model';
      out.content = e.parts.length > 0 ? { parts: e.parts.map(partJson), role } : { role };
    }
    if (e.partial !== undefined) out.partial = e.partial;
    if (p.finishReason && e.finishReason !== undefined) out[this.k('finishReason')] = e.finishReason;
    if (e.errorCode !== undefined) out[this.k('errorCode')] = e.errorCode;
    if (e.errorMessage !== undefined) out[this.k('errorMessage')] = e.errorMessage;
    if (p.usageMetadata && e.usage) out[this.k('usageMetadata')] = usageJson(e.usage);
    out[this.k('invocationId')] = this.invocationId;
    out.author = this.author;
    out.actions = this.actions(e.stateDelta ?? {}, e.artifactDelta ?? {});
    if (e.longRunningToolIds) out[this.k('longRunningToolIds')] = e.longRunningToolIds;
    out.id = e.id ?? this.newId();
    out.timestamp = e.timestamp ?? adkTimestamp();
    return out;
  }

  /**
   * What the server writes for one event: from ADK 1.22 an event with content parts and an
   * artifactDelta goes out as the content event with artifactDelta emptied, then a content-less
   * copy keeping it (same id and timestamp, both with stateDelta).
   */
  wire(e: EventInput): Array<Record<string, unknown>> {
    const built = this.build(e);
    const delta = e.artifactDelta ?? {};
    if (!this.profile.artifactSplit || Object.keys(delta).length === 0 || !e.parts || e.parts.length === 0) return [built];
    const contentCopy = this.build({ ...e, artifactDelta: {}, id: built.id as string, timestamp: built.timestamp as number });
    const actionOnly = this.build({ ...e, parts: undefined, id: built.id as string, timestamp: built.timestamp as number });
    return [contentCopy, actionOnly];
  }
}
