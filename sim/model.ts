// The scripted model and the ADK layers between it and an Event, per wire profile:
//   model output -> GenerateContentResponse(s) (one whole answer, or chunks when streaming)
//   -> LlmResponse.create -> streaming aggregator (legacy or progressive) -> the flow's events.
// Each function follows the adk-python code of the profile's version (cited per function;
// facts and sources in docs/adk-wire.md). No ADK code is copied.
import type { ToolCall } from './agent';
import type { Part, Usage } from './events';
import type { WireProfile } from './wire';

/** What the model produces in one call. */
export interface ModelOutput {
  thought?: string;
  text?: string;
  calls?: ToolCall[];
  /** Default STOP. Any string is passed through (google-genai keeps unknown finish reasons). */
  finishReason?: string;
  /** Gemini's finish message (set e.g. for MALFORMED_FUNCTION_CALL). */
  finishMessage?: string;
}

/** One GenerateContentResponse with one candidate: a whole answer, or one streamed chunk. */
export interface ModelChunk {
  /** Candidate content parts; `[]` = a content object without parts; undefined = no content. */
  parts?: Part[];
  finishReason?: string;
  finishMessage?: string;
  usage?: Usage;
}

/** The LlmResponse fields that reach the wire. */
export interface LlmResponse {
  modelVersion?: string;
  parts?: Part[];
  partial?: boolean;
  finishReason?: string;
  errorCode?: string;
  errorMessage?: string;
  usage?: Usage;
}

export const MODEL_VERSION = 'gemini-2.5-flash';

/** Splits a text into about `pieces` deltas whose concatenation is exactly the text. */
export function textDeltas(text: string, pieces = 4): string[] {
  const tokens = text.split(/(?<=\s)(?=\S)/);
  const per = Math.max(1, Math.ceil(tokens.length / pieces));
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i += per) out.push(tokens.slice(i, i + per).join(''));
  return out;
}

/**
 * Finish reasons after which the response keeps its content: STOP, and MAX_TOKENS (the text
 * is cut, not withdrawn). For the others (SAFETY, RECITATION, MALFORMED_FUNCTION_CALL, OTHER,
 * ...) the last response has no parts: the text streamed before it stays on the wire only as
 * earlier chunks, and a non-streaming answer has no content at all.
 */
export function keepsContent(finishReason: string): boolean {
  return finishReason === 'STOP' || finishReason === 'MAX_TOKENS';
}

function callPart(c: ToolCall): Part {
  return { functionCall: { id: c.id, name: c.name, args: c.args } };
}

function tokens(s: string): number {
  return Math.max(1, Math.ceil(s.length / 4));
}

/** Usage of one model call: a prompt that grows with the conversation, candidates from the output. */
export function usageOf(out: ModelOutput, callIndex: number, emitted: boolean): Usage {
  const prompt = 5210 + 90 * callIndex;
  const produced = `${out.text ?? ''}${(out.calls ?? []).map((c) => JSON.stringify(c.args)).join('')}`;
  const u: Usage = { prompt };
  if (emitted && produced.length > 0) u.candidates = tokens(produced);
  if (out.thought) u.thoughts = tokens(out.thought);
  return u;
}

/** The non-streaming answer (`generate_content`): one response, finish reason and usage on it. */
export function wholeResponse(out: ModelOutput, callIndex: number): ModelChunk {
  const finishReason = out.finishReason ?? 'STOP';
  const usage = usageOf(out, callIndex, true);
  if (!keepsContent(finishReason)) return { finishReason, finishMessage: out.finishMessage, usage };
  const parts: Part[] = [];
  if (out.thought) parts.push({ text: out.thought, thought: true });
  if (out.text) parts.push({ text: out.text });
  for (const c of out.calls ?? []) parts.push(callPart(c));
  return { parts, finishReason, finishMessage: finishReason === 'STOP' ? undefined : out.finishMessage, usage };
}

/**
 * The streamed answer (`generate_content_stream`): thought and text deltas, each call as its
 * own chunk; finish reason and usage on the last chunk (a part-less one for finish reasons
 * that withdraw content). A model with nothing to say sends one chunk without parts.
 */
export function streamedResponse(out: ModelOutput, callIndex: number): ModelChunk[] {
  const finishReason = out.finishReason ?? 'STOP';
  const chunks: ModelChunk[] = [];
  if (out.thought) for (const d of textDeltas(out.thought, 2)) chunks.push({ parts: [{ text: d, thought: true }] });
  if (out.text) for (const d of textDeltas(out.text)) chunks.push({ parts: [{ text: d }] });
  if (keepsContent(finishReason)) for (const c of out.calls ?? []) chunks.push({ parts: [callPart(c)] });
  const usage = usageOf(out, callIndex, true);
  if (!keepsContent(finishReason) || chunks.length === 0) {
    chunks.push({ parts: keepsContent(finishReason) ? [] : undefined, finishReason, finishMessage: out.finishMessage, usage });
  } else {
    const last = chunks[chunks.length - 1];
    last.finishReason = finishReason;
    if (finishReason !== 'STOP') last.finishMessage = out.finishMessage;
    last.usage = usage;
  }
  return chunks;
}

/**
 * `LlmResponse.create` (models/llm_response.py): a candidate with parts becomes content; one
 * without parts becomes errorCode = finish reason and errorMessage = finish message, except
 * that from 1.18 a part-less STOP candidate is a normal (empty) response. finishReason from
 * 1.11, usage from 1.0 and modelVersion from 1.18 are gated by the event factory.
 */
export function llmResponseOf(chunk: ModelChunk, profile: WireProfile): LlmResponse {
  const hasParts = chunk.parts !== undefined && chunk.parts.length > 0;
  if (hasParts || (chunk.finishReason === 'STOP' && !profile.emptyStopIsError)) {
    return { modelVersion: MODEL_VERSION, parts: chunk.parts, finishReason: chunk.finishReason, usage: chunk.usage };
  }
  return { modelVersion: MODEL_VERSION, finishReason: chunk.finishReason, errorCode: chunk.finishReason, errorMessage: chunk.finishMessage, usage: chunk.usage };
}

export interface Aggregator {
  /** The LlmResponses one streamed chunk turns into, in order. */
  process(chunk: ModelChunk): LlmResponse[];
  /** What is left at the end of the stream. */
  close(): LlmResponse | undefined;
}

function firstText(parts: Part[] | undefined): { text: string; thought: boolean } | undefined {
  const p = parts?.[0];
  return p && 'text' in p && p.text ? { text: p.text, thought: p.thought === true } : undefined;
}

/**
 * Legacy SSE aggregation: `models/google_llm.py@v0.5.0` (v0), `utils/streaming_utils.py@v1.17.0`
 * non-progressive branch (legacy). A chunk whose first part is text goes out as a partial delta;
 * any other chunk first flushes the buffered text as one non-partial event (content and usage
 * only), then goes out itself; the call is never repeated. At the end: the buffered text, with
 * errorCode when the finish reason is not STOP (1.7+), or only after STOP (0.x, else nothing).
 */
class LegacyAggregator implements Aggregator {
  private text = '';
  private thought = '';
  private usage: Usage | undefined;
  private last: ModelChunk | undefined;

  constructor(private readonly profile: WireProfile) {}

  private buffered(): Part[] {
    const parts: Part[] = [];
    if (this.thought) parts.push({ text: this.thought, thought: true });
    if (this.text) parts.push({ text: this.text });
    this.thought = '';
    this.text = '';
    return parts;
  }

  process(chunk: ModelChunk): LlmResponse[] {
    this.last = chunk;
    const r = llmResponseOf(chunk, this.profile);
    this.usage = r.usage;
    const t = firstText(r.parts);
    if (t) {
      // 0.x has one buffer: thought text is glued to the answer (separate buffers from 1.2).
      if (t.thought && this.profile.thoughtSplit) this.thought += t.text;
      else this.text += t.text;
      return [{ ...r, partial: true }];
    }
    if (this.text || this.thought) return [{ parts: this.buffered(), usage: r.usage }, r];
    return [r];
  }

  close(): LlmResponse | undefined {
    if (!(this.text || this.thought) || !this.last) return undefined;
    const finish = this.last.finishReason;
    if (this.profile.aggregateOnlyOnStop) return finish === 'STOP' ? { parts: this.buffered() } : undefined;
    const failed = finish !== undefined && finish !== 'STOP';
    return { parts: this.buffered(), errorCode: failed ? finish : undefined, errorMessage: failed ? this.last.finishMessage : undefined, usage: this.usage };
  }
}

/**
 * Progressive SSE streaming (`utils/streaming_utils.py@v1.22.0`..`@v1.29.0`): every chunk goes
 * out as partial:true, whatever it holds; at the end one event with `partial:false` repeats all
 * parts in order (consecutive text of the same kind merged, calls in place), with the last
 * finish reason, the last usage and errorCode/errorMessage when that reason is not STOP. No
 * parts at all: no final event.
 */
class ProgressiveAggregator implements Aggregator {
  private readonly sequence: Part[] = [];
  private buffer = '';
  private bufferIsThought = false;
  private finishReason: string | undefined;
  private usage: Usage | undefined;
  private last: ModelChunk | undefined;

  constructor(private readonly profile: WireProfile) {}

  private flush(): void {
    if (!this.buffer) return;
    this.sequence.push(this.bufferIsThought ? { text: this.buffer, thought: true } : { text: this.buffer });
    this.buffer = '';
  }

  process(chunk: ModelChunk): LlmResponse[] {
    this.last = chunk;
    const r = llmResponseOf(chunk, this.profile);
    this.usage = r.usage;
    if (r.finishReason) this.finishReason = r.finishReason;
    for (const part of r.parts ?? []) {
      if ('text' in part && part.text) {
        const thought = part.thought === true;
        if (this.buffer && thought !== this.bufferIsThought) this.flush();
        if (!this.buffer) this.bufferIsThought = thought;
        this.buffer += part.text;
      } else {
        this.flush();
        this.sequence.push(part);
      }
    }
    return [{ ...r, partial: true }];
  }

  close(): LlmResponse | undefined {
    this.flush();
    if (!this.last || this.sequence.length === 0) return undefined;
    const finish = this.finishReason ?? this.last.finishReason;
    const failed = finish !== 'STOP';
    return {
      parts: [...this.sequence],
      partial: false,
      finishReason: finish,
      errorCode: failed ? finish : undefined,
      errorMessage: failed ? this.last.finishMessage : undefined,
      usage: this.usage,
    };
  }
}

export function aggregatorFor(profile: WireProfile): Aggregator {
  return profile.streaming === 'progressive' ? new ProgressiveAggregator(profile) : new LegacyAggregator(profile);
}
