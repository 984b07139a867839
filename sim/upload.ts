// POST /api/upload-video/nemo_agent/me/<sid> (§3.5, §8): multipart field `files`
// (repeatable), streamed and counted, never held in memory; or URL mode JSON.
import { createHash, type Hash } from 'node:crypto';
import type { RequestContext, SimContext } from './context';
import { MB } from './context';
import { markHostile } from './gateway';
import { authGate, faultGate, sessionGate } from './gates';
import { hostileFileName, hostileSentence } from './hostile';
import { ENVELOPE_CODES, header, isRecord, parseJson, readBody, sendEnvelopeError, sendJson, sendOk } from './http';
import { shortHex } from './ids';
import { MultipartError, MultipartParser, boundaryOf } from './multipart';
import type { SessionRecord } from './state';

type FileType = 'video' | 'image' | 'audio';

/** The official 13 types plus .jpeg (§8). */
export const ACCEPTED: Record<string, FileType> = {
  mp4: 'video', mov: 'video', avi: 'video', webm: 'video', mkv: 'video',
  jpg: 'image', jpeg: 'image', png: 'image', gif: 'image', webp: 'image',
  mp3: 'audio', wav: 'audio', m4a: 'audio', aac: 'audio',
};

const SUPPORTED_LIST = 'mp4, mov, avi, webm, mkv, jpg, jpeg, png, gif, webp, mp3, wav, m4a, aac';
const HASHED_PREFIX_BYTES = 64 * 1024;

interface IncomingFile {
  filename: string;
  type: FileType | undefined;
  bytes: number;
  hash: Hash;
}

function extOf(name: string): string {
  const m = /\.([A-Za-z0-9]+)$/.exec(name.trim());
  return m ? m[1].toLowerCase() : '';
}

function describe(ctx: SimContext, s: SessionRecord, filename: string, type: FileType, hash: string): Record<string, unknown> {
  const name = s.hostile ? hostileFileName(filename) : filename;
  const cdn = `${ctx.baseUrl}/cdn/uploads/${shortHex(6)}/${encodeURIComponent(filename)}`;
  const base: Record<string, unknown> = { filename: name, file_type: type, cdn_url: cdn };
  if (type === 'video') Object.assign(base, { duration: 10.0, width: 1920, height: 1080, fps: 30 });
  if (type === 'image') Object.assign(base, { width: 1920, height: 1080 });
  if (type === 'audio') Object.assign(base, { duration: 30.0 });
  base.hash = hash;
  return base;
}

function reject(rc: RequestContext, s: SessionRecord, code: number, message: string): void {
  sendEnvelopeError(rc.res, code, s.hostile ? `${message} ${hostileSentence()}` : message);
}

function accept(rc: RequestContext, s: SessionRecord, files: Array<Record<string, unknown>>): void {
  s.state.video_infos = [...s.state.video_infos, ...files];
  sendOk(rc.res, { files, session_state_applied: true });
}

async function multipartUpload(ctx: SimContext, rc: RequestContext, s: SessionRecord, boundary: string): Promise<void> {
  const files: IncomingFile[] = [];
  let current: IncomingFile | undefined;
  const parser = new MultipartParser(boundary, {
    onPart: (h) => {
      // Only the documented field counts; other form fields are read and ignored.
      current = h.name === 'files' && h.filename !== undefined ? { filename: h.filename, type: ACCEPTED[extOf(h.filename)], bytes: 0, hash: createHash('sha1') } : undefined;
      if (current) files.push(current);
    },
    onData: (chunk) => {
      if (!current) return;
      if (current.bytes < HASHED_PREFIX_BYTES) current.hash.update(chunk.subarray(0, HASHED_PREFIX_BYTES - current.bytes));
      current.bytes += chunk.length;
    },
    onPartEnd: () => {
      current = undefined;
    },
  });
  try {
    for await (const chunk of rc.req as AsyncIterable<Buffer>) parser.write(chunk);
    parser.end();
  } catch (e) {
    if (e instanceof MultipartError) {
      sendJson(rc.res, 400, { code: 400, data: null, message: `Malformed multipart body: ${e.message}` });
      return;
    }
    throw e;
  }
  const tooLarge = files.filter((f) => f.bytes > ctx.opts.maxUploadBytes);
  for (const f of files) {
    ctx.stats.uploads.push({ sessionId: s.sessionId, filename: f.filename, bytes: f.bytes, accepted: f.type !== undefined && f.bytes <= ctx.opts.maxUploadBytes });
  }
  if (files.length === 0) {
    sendJson(rc.res, 400, { code: 400, data: null, message: "No file in the multipart field 'files'" });
    return;
  }
  const unsupported = files.find((f) => f.type === undefined);
  if (unsupported) {
    reject(rc, s, ENVELOPE_CODES.unsupportedType, `Unsupported file type: ${unsupported.filename}. Supported: ${SUPPORTED_LIST}`);
    return;
  }
  if (tooLarge.length > 0) {
    const f = tooLarge[0];
    reject(rc, s, ENVELOPE_CODES.fileTooLarge, `File too large: ${f.filename} (${Math.ceil(f.bytes / MB)} MB). Maximum is ${Math.floor(ctx.opts.maxUploadBytes / MB)} MB`);
    return;
  }
  accept(rc, s, files.map((f) => describe(ctx, s, f.filename, f.type as FileType, `${f.hash.digest('hex').slice(0, 16)}${f.bytes.toString(16)}`)));
}

async function urlUpload(ctx: SimContext, rc: RequestContext, s: SessionRecord): Promise<void> {
  const parsed = parseJson(await readBody(rc.req, MB));
  const body = parsed.ok ? parsed.value : undefined;
  const urls = isRecord(body) && Array.isArray(body.urls) ? body.urls : undefined;
  if (!urls || urls.length === 0 || !urls.every((u) => typeof u === 'string') || !isRecord(body) || body.source_type !== 'url') {
    sendJson(rc.res, 400, { code: 400, data: null, message: 'Expected {"urls":[…],"source_type":"url"}' });
    return;
  }
  const files: Array<Record<string, unknown>> = [];
  for (const u of urls as string[]) {
    let url: URL;
    try {
      url = new URL(u);
    } catch {
      reject(rc, s, ENVELOPE_CODES.unsupportedType, `Not a valid URL: ${u}`);
      return;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      reject(rc, s, ENVELOPE_CODES.unsupportedType, `Unsupported URL scheme: ${url.protocol}`);
      return;
    }
    const last = decodeURIComponent(url.pathname.split('/').pop() ?? '');
    const ext = extOf(last);
    // Links without an extension (a video page) are fetched and treated as video.
    const type = ext ? ACCEPTED[ext] : 'video';
    if (!type) {
      reject(rc, s, ENVELOPE_CODES.unsupportedType, `Unsupported file type: ${last}. Supported: ${SUPPORTED_LIST}`);
      return;
    }
    const filename = ext ? last : `${last || 'video'}.mp4`;
    files.push(describe(ctx, s, filename, type, createHash('sha1').update(u).digest('hex').slice(0, 16)));
    ctx.stats.uploads.push({ sessionId: s.sessionId, filename, bytes: 0, accepted: true });
  }
  accept(rc, s, files);
}

export async function upload(ctx: SimContext, rc: RequestContext, sessionId: string): Promise<void> {
  if (faultGate(ctx, rc, sessionId)) return;
  const token = authGate(ctx, rc, sessionId);
  if (!token) return;
  const s = sessionGate(ctx, rc, token.userId, sessionId);
  if (!s) return;
  markHostile(ctx, rc, s);
  const contentType = header(rc.req, 'content-type');
  const boundary = boundaryOf(contentType);
  if (boundary) return multipartUpload(ctx, rc, s, boundary);
  if (contentType && /^application\/json\b/i.test(contentType)) return urlUpload(ctx, rc, s);
  sendJson(rc.res, 400, { code: 400, data: null, message: 'Use multipart/form-data with field "files", or JSON {"urls":[…],"source_type":"url"}' });
}
