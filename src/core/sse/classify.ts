// Classifies one `data:` payload of /run_sse into AgentEvents (docs/protocol.md §4.8).
// The server's ADK version is unknown, so every key is read in camelCase AND
// snake_case (§4.4, §16 U2). The payload comes from the network: nothing here
// may throw, whatever the bytes, and anything that does not match a known shape
// is dropped rather than shown (the user must never see raw JSON or garbage).
//
// Each camelCase/snake_case pair is read in place (`ev.errorCode !== undefined ? ev.errorCode
// : ev.error_code`), not through a shared helper: a helper's one keyed load sees every key on
// every kind of object and goes megamorphic, which cost more than the rest of the classifier
// together (bench row P4floor).
import type { AgentEvent } from './events';

type AgentEventOf<T extends AgentEvent['type']> = Extract<AgentEvent, { type: T }>;
type Json = Record<string, unknown>;

/** One shared, frozen instance: heartbeats are the most frequent payload and carry no data. */
export const HEARTBEAT: AgentEventOf<'heartbeat'> = Object.freeze({ type: 'heartbeat' as const });

/** Longest error text kept from the stream: a broken server must not flood the chat. */
const MAX_ERROR_MESSAGE_CHARS = 2_000;

/** Pure; never throws. Returns the events of one payload, in the order of its parts. */
export function classifyPayload(data: string, eventName?: string): AgentEvent[] {
  const out: AgentEvent[] = [];
  classifyInto(data, eventName, out);
  return out;
}

/**
 * Same as classifyPayload, but appends to `out` so the stream reader can reuse
 * one array for the whole stream instead of allocating one per event.
 */
export function classifyInto(data: string, eventName: string | undefined, out: AgentEvent[]): void {
  try {
    classifyUnsafe(data, eventName, out);
  } catch {
    // Defence in depth: a getter-free JSON object cannot make the code above throw,
    // but if it ever does, the payload is treated like any other unknown shape.
  }
}

function classifyUnsafe(data: string, eventName: string | undefined, out: AgentEvent[]): void {
  if (eventName === 'heartbeat') {
    out.push(HEARTBEAT);
    return;
  }
  const start = firstNonSpace(data);
  // Rule 1: empty / whitespace-only data is a keep-alive.
  if (start === -1) {
    out.push(HEARTBEAT);
    return;
  }
  // Every event (ADK or the v4.4 shapes) is a JSON object. Anything else is either
  // the literal `heartbeat` or noise: both are keep-alives per rule 1, with no JSON.parse.
  if (data.charCodeAt(start) !== 0x7b /* { */) {
    out.push(HEARTBEAT);
    return;
  }
  // The documented heartbeat object, matched without parsing (cheap and frequent).
  if (data === '{"type":"heartbeat"}' || data === '{"type": "heartbeat"}') {
    out.push(HEARTBEAT);
    return;
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    // Rule 3: ADK <= 1.4 formats `{"error": "<message>"}` with a plain f-string, so a
    // message containing quotes breaks the JSON. The text is still the error.
    if (startsWithErrorKey(data, start)) out.push({ type: 'streamError', message: rawErrorMessage(data) });
    else out.push(HEARTBEAT);
    return;
  }
  if (!isObject(parsed)) {
    out.push(HEARTBEAT);
    return;
  }
  classifyObject(parsed, out);
}

function classifyObject(ev: Json, out: AgentEvent[]): void {
  const type = ev.type;
  // Rule 2.
  if (type === 'heartbeat') {
    out.push(HEARTBEAT);
    return;
  }
  const content = ev.content;
  // Rule 3: `{"error": …}` with no content is the stream's own exception line.
  if (ev.error !== undefined && ev.error !== null && content === undefined) {
    out.push({ type: 'streamError', message: errorText(ev.error) });
    return;
  }
  // ADK 1.23 writes a failed run as an ordinary-looking event by `system` with an empty
  // invocation id and the text "Error: …" (docs/adk-wire.md §1): it is the stream's error line.
  if (ev.author === 'system' && (ev.invocationId !== undefined ? ev.invocationId : ev.invocation_id) === '') {
    const text = firstText(content);
    if (text !== undefined && text.startsWith('Error: ')) {
      out.push({ type: 'streamError', message: limit(text.slice('Error: '.length)) });
      return;
    }
  }
  // Rule 4: model/agent error on a normal event (safety block, MALFORMED_FUNCTION_CALL…).
  // `STOP` without a message is a normal end: ADK ≤ 1.17 reports an empty final turn so
  // (adk-python issue 2905; docs/adk-wire.md §4).
  const errorCode = (ev.errorCode !== undefined ? ev.errorCode : ev.error_code);
  const errorMessage = (ev.errorMessage !== undefined ? ev.errorMessage : ev.error_message);
  const cleanStop = errorCode === 'STOP' && !isPresent(errorMessage);
  if (!cleanStop && (isPresent(errorCode) || isPresent(errorMessage))) {
    const code = isPresent(errorCode) ? limit(scalarText(errorCode)) : undefined;
    const message = isPresent(errorMessage) ? errorText(errorMessage) : '';
    out.push(code === undefined ? { type: 'agentError', message } : { type: 'agentError', code, message });
  }
  // Rule 5: ADK content parts.
  if (isObject(content)) {
    const parts = content.parts;
    if (Array.isArray(parts)) classifyParts(ev, parts, out);
  } else if (typeof type === 'string') {
    // Rule 6: the simplified shapes of the v4.4 reference.
    classifySimplified(ev, type, out);
  }
  // Rule 8: a non-empty stateDelta hints that the timeline changed.
  const actions = ev.actions;
  if (isObject(actions)) {
    const delta = (actions.stateDelta !== undefined ? actions.stateDelta : actions.state_delta);
    // Nearly every ADK event carries an empty `stateDelta: {}`: test for a key before listing them.
    if (isObject(delta) && hasOwnKey(delta)) out.push({ type: 'stateHint', keys: Object.keys(delta) });
  }
  // Rule 7: anything else is ignored.
}

function classifyParts(ev: Json, parts: unknown[], out: AgentEvent[]): void {
  const partial = ev.partial === true;
  const author = typeof ev.author === 'string' ? ev.author : undefined;
  const eventId = typeof ev.id === 'string' ? ev.id : undefined;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (!isObject(part)) continue;
    const text = part.text;
    if (typeof text === 'string') {
      // Thoughts are the model's private reasoning: never shown (§4.4).
      if (part.thought === true || text.length === 0) continue;
      // The usual event has both: built in one go (one object shape), else key by key.
      if (author !== undefined && eventId !== undefined) {
        out.push({ type: 'text', text, partial, author, eventId });
        continue;
      }
      const event: AgentEventOf<'text'> = { type: 'text', text, partial };
      if (author !== undefined) event.author = author;
      if (eventId !== undefined) event.eventId = eventId;
      out.push(event);
      continue;
    }
    const call = (part.functionCall !== undefined ? part.functionCall : part.function_call);
    if (isObject(call)) {
      const toolCall = toolCallOf(call.name, call.args, call.id);
      if (toolCall) {
        if (partial) toolCall.partial = true;
        if (toolCall.id !== undefined) {
          const longRunningIds = ev.longRunningToolIds !== undefined ? ev.longRunningToolIds : ev.long_running_tool_ids;
          if (Array.isArray(longRunningIds) && longRunningIds.includes(toolCall.id)) toolCall.longRunning = true;
        }
        out.push(toolCall);
      }
      continue;
    }
    const result = (part.functionResponse !== undefined ? part.functionResponse : part.function_response);
    if (isObject(result)) {
      const toolResult = toolResultOf(result.name, result.response, result.id);
      if (toolResult) out.push(toolResult);
    }
    // inlineData, fileData, executableCode, codeExecutionResult…: ignored.
  }
}

function classifySimplified(ev: Json, type: string, out: AgentEvent[]): void {
  switch (type) {
    case 'text': {
      const text = ev.content;
      if (typeof text === 'string' && text.length > 0) out.push({ type: 'text', text, partial: ev.partial === true });
      return;
    }
    case 'tool_call':
    case 'toolCall': {
      const toolCall = toolCallOf(ev.name, ev.args, ev.id);
      if (toolCall) out.push(toolCall);
      return;
    }
    case 'tool_result':
    case 'toolResult': {
      const toolResult = toolResultOf(ev.name, ev.result !== undefined ? ev.result : ev.response, ev.id);
      if (toolResult) out.push(toolResult);
      return;
    }
  }
}

function toolCallOf(name: unknown, args: unknown, id: unknown): AgentEventOf<'toolCall'> | undefined {
  if (typeof name !== 'string' || name.length === 0) return undefined;
  const event: AgentEventOf<'toolCall'> = { type: 'toolCall', name, args: isObject(args) ? args : {} };
  if (typeof id === 'string') event.id = id;
  return event;
}

function toolResultOf(name: unknown, response: unknown, id: unknown): AgentEventOf<'toolResult'> | undefined {
  if (typeof name !== 'string' || name.length === 0) return undefined;
  const event: AgentEventOf<'toolResult'> = { type: 'toolResult', name, response };
  if (typeof id === 'string') event.id = id;
  return event;
}

// ---------------------------------------------------------------------------

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function hasOwnKey(obj: Json): boolean {
  for (const key in obj) if (Object.prototype.hasOwnProperty.call(obj, key)) return true;
  return false;
}

/** The first text part of an event's content. */
function firstText(content: unknown): string | undefined {
  if (!isObject(content) || !Array.isArray(content.parts)) return undefined;
  const first: unknown = content.parts[0];
  return isObject(first) && typeof first.text === 'string' ? first.text : undefined;
}

function isPresent(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '';
}

function firstNonSpace(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // space, tab, LF, CR, and the BOM some servers prepend
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0xfeff) return i;
  }
  return -1;
}

/** `{"error"` with optional whitespace after the brace. */
function startsWithErrorKey(data: string, start: number): boolean {
  let i = start + 1;
  while (i < data.length && (data.charCodeAt(i) === 0x20 || data.charCodeAt(i) === 0x09)) i++;
  return data.startsWith('"error"', i);
}

/**
 * The message of an unparsable `{"error": "…"}` line: the text between the
 * first quote after the key and the last quote before the closing brace when
 * the line has that shape, otherwise the whole raw line.
 */
function rawErrorMessage(data: string): string {
  const match = /^\s*\{\s*"error"\s*:\s*"([\s\S]*)"\s*\}\s*$/.exec(data);
  const text = match ? match[1] : data.trim();
  return limit(text.length > 0 ? text : data.trim());
}

function errorText(v: unknown): string {
  if (typeof v === 'string') return limit(v);
  if (isObject(v)) {
    const inner = v.message ?? v.error ?? v.detail;
    if (typeof inner === 'string') return limit(inner);
  }
  return limit(scalarText(v));
}

function scalarText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  try {
    // Deeply nested values make JSON.stringify throw a RangeError: fall back below.
    return JSON.stringify(v) ?? '';
  } catch {
    return '';
  }
}

function limit(s: string): string {
  return s.length > MAX_ERROR_MESSAGE_CHARS ? `${s.slice(0, MAX_ERROR_MESSAGE_CHARS)}…` : s;
}
