// Validates a /run_sse body the way ADK's FastAPI models do (§4.2): snake_case or
// camelCase keys, unknown top-level keys ignored, unknown keys inside
// new_message (google-genai Content/Part, extra='forbid') rejected with 422.
import { isRecord } from './http';

export interface RunRequest {
  appName: string;
  userId: string;
  sessionId: string;
  text: string;
  streaming: boolean;
}

export interface FastApiError {
  type: string;
  loc: Array<string | number>;
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

const CONTENT_KEYS = new Set(['parts', 'role']);
const PART_KEYS = new Set(
  ['text', 'thought', 'thoughtSignature', 'inlineData', 'fileData', 'functionCall', 'functionResponse', 'executableCode', 'codeExecutionResult', 'videoMetadata', 'mediaResolution', 'partMetadata']
    .flatMap((k) => [k, k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)]),
);

function pick(body: Record<string, unknown>, snake: string, camel: string): unknown {
  return body[snake] !== undefined ? body[snake] : body[camel];
}

/** Best-effort session id of any body, valid or not, so every POST is counted per session. */
export function sessionIdOf(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined;
  const v = pick(body, 'session_id', 'sessionId');
  return typeof v === 'string' ? v : undefined;
}

export function validateRunBody(body: unknown): { ok: true; value: RunRequest } | { ok: false; detail: FastApiError[] } {
  if (!isRecord(body)) {
    return { ok: false, detail: [{ type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from', input: body }] };
  }
  const detail: FastApiError[] = [];
  const str = (snake: string, camel: string): string => {
    const v = pick(body, snake, camel);
    if (v === undefined) detail.push({ type: 'missing', loc: ['body', camel], msg: 'Field required', input: body });
    else if (typeof v !== 'string') detail.push({ type: 'string_type', loc: ['body', camel], msg: 'Input should be a valid string', input: v });
    return typeof v === 'string' ? v : '';
  };
  const appName = str('app_name', 'appName');
  const userId = str('user_id', 'userId');
  const sessionId = str('session_id', 'sessionId');
  if (appName && appName !== 'nemo_agent') {
    detail.push({ type: 'literal_error', loc: ['body', 'appName'], msg: "Input should be 'nemo_agent'", input: appName, ctx: { expected: "'nemo_agent'" } });
  }
  const texts: string[] = [];
  const msg = pick(body, 'new_message', 'newMessage');
  if (msg === undefined) {
    detail.push({ type: 'missing', loc: ['body', 'newMessage'], msg: 'Field required', input: body });
  } else if (!isRecord(msg)) {
    detail.push({ type: 'model_attributes_type', loc: ['body', 'newMessage'], msg: 'Input should be a valid dictionary or object to extract fields from', input: msg });
  } else {
    for (const k of Object.keys(msg)) {
      if (!CONTENT_KEYS.has(k)) detail.push({ type: 'extra_forbidden', loc: ['body', 'newMessage', k], msg: 'Extra inputs are not permitted', input: msg[k] });
    }
    if (msg.role !== undefined && typeof msg.role !== 'string') detail.push({ type: 'string_type', loc: ['body', 'newMessage', 'role'], msg: 'Input should be a valid string', input: msg.role });
    if (msg.parts !== undefined && !Array.isArray(msg.parts)) {
      detail.push({ type: 'list_type', loc: ['body', 'newMessage', 'parts'], msg: 'Input should be a valid list', input: msg.parts });
    }
    const parts = Array.isArray(msg.parts) ? msg.parts : [];
    parts.forEach((p: unknown, i: number) => {
      if (!isRecord(p)) {
        detail.push({ type: 'model_attributes_type', loc: ['body', 'newMessage', 'parts', i], msg: 'Input should be a valid dictionary or object to extract fields from', input: p });
        return;
      }
      for (const k of Object.keys(p)) {
        if (!PART_KEYS.has(k)) detail.push({ type: 'extra_forbidden', loc: ['body', 'newMessage', 'parts', i, k], msg: 'Extra inputs are not permitted', input: p[k] });
      }
      if (p.text !== undefined && typeof p.text !== 'string') detail.push({ type: 'string_type', loc: ['body', 'newMessage', 'parts', i, 'text'], msg: 'Input should be a valid string', input: p.text });
      else if (typeof p.text === 'string' && p.thought !== true) texts.push(p.text);
    });
  }
  const streaming = body.streaming;
  if (streaming !== undefined && typeof streaming !== 'boolean') {
    detail.push({ type: 'bool_type', loc: ['body', 'streaming'], msg: 'Input should be a valid boolean', input: streaming });
  }
  if (detail.length > 0) return { ok: false, detail };
  return { ok: true, value: { appName, userId, sessionId, text: texts.join('\n'), streaming: streaming === true } };
}
