// Reading /run_sse bodies the way docs/adk-wire.md describes them, for the simulator's
// wire tests: a spec SSE parser, event shapes (keys and flags, not content), a class
// sequence per stream, and a small reference reducer (what a correct client shows),
// which is itself checked against the `expect` blocks of test/fixtures/adk/index.json.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { snakeKey } from '../../../sim/events';

export const FIXTURE_DIR = resolve(__dirname, '../../fixtures/adk');

export type Json = Record<string, unknown>;

export interface FixtureEntry {
  file: string;
  adkVersion: string;
  adkVersionRange: string;
  request: { streaming: boolean };
  expect: {
    texts: string[];
    tools: string[];
    end: { ok: boolean; kind?: string; code?: string; message?: string | null; rawData?: string };
  };
}

export function fixtureIndex(): FixtureEntry[] {
  return (JSON.parse(readFileSync(resolve(FIXTURE_DIR, 'index.json'), 'utf8')) as { fixtures: FixtureEntry[] }).fixtures;
}

export function fixtureBody(file: string): string {
  return readFileSync(resolve(FIXTURE_DIR, file), 'utf8');
}

export interface SseMessage {
  event?: string;
  data: string;
}

/** SSE parsing as the HTML spec has it: data lines joined with \n, unknown fields and comments ignored, an unterminated last event dropped. */
export function parseSse(text: string): SseMessage[] {
  const out: SseMessage[] = [];
  let data: string[] = [];
  let event: string | undefined;
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line === '') {
      if (data.length > 0) out.push({ event, data: data.join('\n') });
      data = [];
      event = undefined;
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
  }
  return out;
}

/** The NemoVideo gateway's heartbeats (not ADK's): the simulator sends every form. */
export function isHeartbeat(m: SseMessage): boolean {
  return m.event === 'heartbeat' || m.data === '' || m.data === 'heartbeat' || m.data === '{"type":"heartbeat"}';
}

export type Payload = { event: Json } | { error: string | null; raw: string };

/** ADK payloads of a body: events, and the error line (`message: null` when it is not valid JSON). */
export function payloads(body: string): Payload[] {
  const out: Payload[] = [];
  for (const m of parseSse(body)) {
    if (isHeartbeat(m)) continue;
    try {
      const v = JSON.parse(m.data) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        const obj = v as Json;
        out.push('error' in obj && !('author' in obj) ? { error: String(obj.error), raw: m.data } : { event: obj });
        continue;
      }
    } catch {
      // an f-string error line with quotes in its message
    }
    out.push({ error: null, raw: m.data });
  }
  return out;
}

export function eventsOf(ps: Payload[]): Json[] {
  return ps.flatMap((p) => ('event' in p ? [p.event] : []));
}

/** A field under its camelCase or snake_case name. */
export function field(e: Json, camel: string): unknown {
  return e[camel] ?? e[snakeKey(camel)];
}

export function partsOf(e: Json): Json[] {
  return ((e.content as Json | undefined)?.parts as Json[] | undefined) ?? [];
}

export function callsIn(e: Json): Json[] {
  return partsOf(e).flatMap((p) => (p.functionCall ? [p.functionCall as Json] : []));
}

/** Keys and flags of an event, not its content: top-level keys in order, actions keys, content keys, partial. */
export function shape(e: Json): string {
  const content = e.content as Json | undefined;
  return [
    Object.keys(e).join(','),
    `actions{${Object.keys((e.actions as Json | undefined) ?? {}).join(',')}}`,
    content ? `content{${Object.keys(content).join(',')}}` : 'no content',
    `partial=${String(e.partial)}`,
  ].join(' ');
}

export function withoutKeys(e: Json, keys: readonly string[]): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(e)) if (!keys.includes(k)) out[k] = v;
  return out;
}

/** What an event is, independent of its wording: partial flag, role, kinds of parts in order, error, action-only. */
export function eventClass(e: Json): string {
  const content = e.content as Json | undefined;
  const kinds: string[] = [];
  for (const p of partsOf(e)) {
    const kind = p.functionCall ? 'call' : p.functionResponse ? 'response' : 'text';
    if (kinds[kinds.length - 1] !== kind) kinds.push(kind);
  }
  const code = field(e, 'errorCode');
  return [
    e.partial === true ? 'partial' : e.partial === false ? 'final' : '',
    content ? String(content.role) : '',
    kinds.join('+'),
    code !== undefined ? `error(${code === 'STOP' ? 'STOP' : 'code'})` : '',
    !content && code === undefined ? 'actions' : '',
  ]
    .filter(Boolean)
    .join(':');
}

/** Event classes of a stream with runs of the same class collapsed (so the number of deltas does not matter). */
export function signature(ps: Payload[]): string[] {
  const out: string[] = [];
  for (const p of ps) {
    const c = 'event' in p ? eventClass(p.event) : 'errorLine';
    if (out[out.length - 1] !== c) out.push(c);
  }
  return out;
}

export interface Reduced {
  texts: string[];
  tools: string[];
  questions: string[];
  end: { ok: boolean; kind?: string; code?: string; message?: string | null };
}

const ADK_OWN_CALLS = new Set(['transfer_to_agent', 'adk_request_credential', 'adk_request_confirmation', 'adk_request_input']);

/**
 * The fixture README's reference client: partial events only as a last resort (text with no
 * complete text after it, an errorCode no final event repeats), calls counted once per id,
 * any errorCode other than STOP is an error, an `{"error"…}` line ends the run.
 */
export function reduce(ps: Payload[]): Reduced {
  const texts: string[] = [];
  const tools: string[] = [];
  const questions: string[] = [];
  const seen = new Set<string>();
  let end: Reduced['end'] = { ok: true };
  let pendingPartial = '';
  let partialError: { code: string; message: string | null } | undefined;
  for (const p of ps) {
    if (!('event' in p)) {
      end = { ok: false, kind: 'streamError', message: p.error };
      break;
    }
    const e = p.event;
    if (e.author === 'system' && field(e, 'invocationId') === '') {
      const text = String(partsOf(e)[0]?.text ?? '');
      end = { ok: false, kind: 'serverErrorEvent', message: text.replace(/^Error: /, '') };
      break;
    }
    const code = field(e, 'errorCode') as string | undefined;
    if (e.partial === true) {
      for (const part of partsOf(e)) if (typeof part.text === 'string' && part.thought !== true) pendingPartial += part.text;
      if (code !== undefined && code !== 'STOP') partialError = { code, message: (field(e, 'errorMessage') as string | undefined) ?? null };
      continue;
    }
    const role = (e.content as Json | undefined)?.role;
    for (const part of partsOf(e)) {
      if (typeof part.text === 'string' && part.thought !== true && role === 'model') {
        texts.push(part.text);
        pendingPartial = '';
      }
      const call = part.functionCall as Json | undefined;
      if (call && !seen.has(String(call.id))) {
        seen.add(String(call.id));
        const name = String(call.name);
        if (name === 'ask_question') questions.push(String((call.args as Json).question));
        else if (!ADK_OWN_CALLS.has(name)) tools.push(name);
      }
    }
    if (code !== undefined && code !== 'STOP') {
      end = { ok: false, kind: 'finishReason', code, message: (field(e, 'errorMessage') as string | undefined) ?? null };
      partialError = undefined;
    }
  }
  if (pendingPartial) texts.push(pendingPartial);
  if (end.ok && partialError) end = { ok: false, kind: 'finishReason', ...partialError };
  return { texts, tools, questions, end };
}
