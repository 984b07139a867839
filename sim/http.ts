// Small HTTP helpers: JSON replies, the gateway envelope (§2.5), body reading.
import type { IncomingMessage, ServerResponse } from 'node:http';

export const ENVELOPE_CODES = {
  ok: 0,
  tokenInvalid: 1001,
  sessionNotFound: 1002,
  notEnoughCredits: 2001,
  unsupportedType: 4001,
  fileTooLarge: 4002,
} as const;

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/** `{code:0,data}` success envelope of the gateway endpoints. */
export function sendOk(res: ServerResponse, data: unknown): void {
  sendJson(res, 200, { code: 0, data, message: 'success' });
}

/**
 * Envelope error. §16 U6: HTTP 200 with code != 0 unless the caller passes an
 * HTTP status (scenarios unauthorized401/notFound404, or the global switch).
 */
export function sendEnvelopeError(res: ServerResponse, code: number, message: string, httpStatus = 200, headers: Record<string, string> = {}): void {
  sendJson(res, httpStatus, { code, data: null, message }, headers);
}

/** `{success:false,error}` of the render proxy (§2.5). */
export function sendRenderError(res: ServerResponse, httpStatus: number, error: string): void {
  sendJson(res, httpStatus, { success: false, error });
}

/** FastAPI-style 404 for unknown routes. */
export function sendNotFound(res: ServerResponse): void {
  sendJson(res, 404, { detail: 'Not Found' });
}

export class BodyTooLargeError extends Error {}

/** Reads a small body completely (JSON requests). Large bodies are refused instead of buffered. */
export async function readBody(req: IncomingMessage, limitBytes = 20 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) {
      req.resume(); // discard the rest without holding it
      throw new BodyTooLargeError(`body larger than ${limitBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export type JsonResult = { ok: true; value: unknown } | { ok: false; error: string; position: number };

export function parseJson(buf: Buffer): JsonResult {
  const text = buf.toString('utf8');
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const m = /position (\d+)/.exec(message);
    return { ok: false, error: message, position: m ? Number(m[1]) : 0 };
  }
}

/** Reads the remaining body and throws it away (for requests refused early). */
export function drain(req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    if (req.readableEnded) return resolve();
    req.on('end', resolve);
    req.on('error', () => resolve());
    req.on('close', () => resolve());
    req.resume();
  });
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  if (Array.isArray(v)) return v.join(', ');
  return v;
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const auth = header(req, 'authorization');
  if (!auth) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
  return m ? m[1] : undefined;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
