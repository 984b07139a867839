// What a given ADK version writes on /run_sse (docs/adk-wire.md). One profile per
// `--adk-wire` mode; every difference the simulator models is a named switch here, with
// the version that introduced it, so the runner never tests a mode name directly.
import { ADK_CALL_ID_MODES, ADK_WIRES, type AdkCallIds, type AdkWire } from './types';

export interface WireProfile {
  wire: AdkWire;
  /** The adk-python release whose code this profile follows. */
  version: string;
  /** Releases that write the same shape (for the README and test names). */
  versionRange: string;
  /** 0.x: Event, LlmResponse and EventActions have no alias generator (snake_case envelope). */
  snakeEnvelope: boolean;
  /** 0.1-1.5: 8 letters/digits; 1.6.1+: uuid4. */
  eventIds: 'short' | 'uuid4';
  /** Up to 1.5 every event of one model call keeps the call's creation timestamp. */
  modelCallTimestamp: boolean;
  /** `usageMetadata` on model events (1.0+). */
  usageMetadata: boolean;
  /** `finishReason` on events made from a model response (1.11+). */
  finishReason: boolean;
  /** `modelVersion` on events made from a model response (1.18+). */
  modelVersion: boolean;
  /** `actions.requestedToolConfirmations` always present (1.14+). */
  toolConfirmations: boolean;
  /** Up to 1.17 a part-less candidate with finish reason STOP becomes `errorCode: "STOP"` (issue 2905). */
  emptyStopIsError: boolean;
  /** The legacy aggregator keeps thought text apart (1.2+); 0.x glues it into the answer. */
  thoughtSplit: boolean;
  /** Up to 1.6 the aggregated text is sent at the end only when the last chunk finished with STOP. */
  aggregateOnlyOnStop: boolean;
  /** 0.x - 1.0: a partial last event is not final, so the flow calls the model again (up to max_llm_calls). */
  retryAfterPartialLastEvent: boolean;
  /** `streaming:true` aggregation: legacy (text deltas, aggregated text, call on its own) or progressive. */
  streaming: 'legacy' | 'progressive';
  /** Error line: raw f-string (to 1.22.1) or json.dumps (1.24+). */
  errorLine: 'fstring' | 'json';
  /** 1.22+: an event with content and an artifactDelta goes out twice (content copy, action-only copy). */
  artifactSplit: boolean;
  /** Progressive: partial and final call share one id (1.29+) or not (1.22-1.28). */
  callIds: AdkCallIds;
}

const V0: WireProfile = {
  wire: 'v0',
  version: '0.5.0',
  versionRange: '0.5.x (0.1-0.4 also give every event of one model call the same id)',
  snakeEnvelope: true,
  eventIds: 'short',
  modelCallTimestamp: true,
  usageMetadata: false,
  finishReason: false,
  modelVersion: false,
  toolConfirmations: false,
  emptyStopIsError: true,
  thoughtSplit: false,
  aggregateOnlyOnStop: true,
  retryAfterPartialLastEvent: true,
  streaming: 'legacy',
  errorLine: 'fstring',
  artifactSplit: false,
  callIds: 'shared',
};

const LEGACY: WireProfile = {
  wire: 'legacy',
  version: '1.17.0',
  versionRange: '1.14.0 - 1.17.x',
  snakeEnvelope: false,
  eventIds: 'uuid4',
  modelCallTimestamp: false,
  usageMetadata: true,
  finishReason: true,
  modelVersion: false,
  toolConfirmations: true,
  emptyStopIsError: true,
  thoughtSplit: true,
  aggregateOnlyOnStop: false,
  retryAfterPartialLastEvent: false,
  streaming: 'legacy',
  errorLine: 'fstring',
  artifactSplit: false,
  callIds: 'shared',
};

const PROGRESSIVE: WireProfile = {
  wire: 'progressive',
  version: '1.29.0',
  versionRange: '1.29.0 - 1.34.x',
  snakeEnvelope: false,
  eventIds: 'uuid4',
  modelCallTimestamp: false,
  usageMetadata: true,
  finishReason: true,
  modelVersion: true,
  toolConfirmations: true,
  emptyStopIsError: false,
  thoughtSplit: true,
  aggregateOnlyOnStop: false,
  retryAfterPartialLastEvent: false,
  streaming: 'progressive',
  errorLine: 'json',
  artifactSplit: true,
  callIds: 'shared',
};

const PROGRESSIVE_DISTINCT_IDS: WireProfile = { ...PROGRESSIVE, version: '1.28.0', versionRange: '1.24.0 - 1.28.x', callIds: 'distinct' };

export function wireProfile(wire: AdkWire, callIds: AdkCallIds = 'shared'): WireProfile {
  if (wire === 'v0') return V0;
  if (wire === 'legacy') return LEGACY;
  return callIds === 'distinct' ? PROGRESSIVE_DISTINCT_IDS : PROGRESSIVE;
}

export function isAdkWire(v: unknown): v is AdkWire {
  return typeof v === 'string' && (ADK_WIRES as readonly string[]).includes(v);
}

export function isAdkCallIds(v: unknown): v is AdkCallIds {
  return typeof v === 'string' && (ADK_CALL_ID_MODES as readonly string[]).includes(v);
}

/**
 * Python's `json.dumps(str)` with its defaults (ensure_ascii): `"` and `\` escaped, the
 * usual short escapes, everything else outside printable ASCII as lowercase `\uXXXX`
 * per UTF-16 unit (so astral characters become surrogate pairs, as in Python).
 */
export function pythonJsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const code = s.charCodeAt(i);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/**
 * The `data:` payload ADK writes when the run raises: up to 1.22.1 the message is pasted
 * into `{"error": "..."}` unescaped (quotes break the JSON, a newline ends the data line);
 * from 1.24 it is `json.dumps({"error": message})`.
 */
export function errorLine(profile: WireProfile, message: string): string {
  return profile.errorLine === 'json' ? `{"error": ${pythonJsonString(message)}}` : `{"error": "${message}"}`;
}
