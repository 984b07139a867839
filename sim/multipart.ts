// Streaming multipart/form-data parser. Uploads can be 500 MB, so nothing is
// buffered: each chunk is searched with Buffer.indexOf and only the last few
// bytes that might start a boundary are carried over to the next chunk.
export interface PartHeaders {
  name?: string;
  filename?: string;
  contentType?: string;
}

export interface MultipartHandlers {
  onPart(h: PartHeaders): void;
  onData(chunk: Buffer): void;
  onPartEnd(): void;
}

export class MultipartError extends Error {}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_HEADER_BYTES = 16 * 1024;

export function boundaryOf(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\b/i.test(contentType)) return undefined;
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

function unquote(v: string): string {
  return v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1).replace(/\\(.)/g, '$1') : v;
}

/** Content-Disposition parameters, including RFC 5987 `filename*=UTF-8''…`. */
export function parsePartHeaders(text: string): PartHeaders {
  const out: PartHeaders = {};
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'content-type') out.contentType = value;
    if (key !== 'content-disposition') continue;
    const re = /;\s*([\w*-]+)=("(?:[^"\\]|\\.)*"|[^;]*)/g;
    for (let m = re.exec(value); m; m = re.exec(value)) {
      const param = m[1].toLowerCase();
      const v = unquote(m[2].trim());
      if (param === 'name') out.name = v;
      else if (param === 'filename' && out.filename === undefined) out.filename = v;
      else if (param === 'filename*') {
        const star = /^([\w-]+)'[^']*'(.*)$/.exec(v);
        try {
          out.filename = star ? decodeURIComponent(star[2]) : v;
        } catch {
          out.filename = v;
        }
      }
    }
  }
  return out;
}

type Phase = 'preamble' | 'afterBoundary' | 'headers' | 'body' | 'done';

export class MultipartParser {
  private phase: Phase = 'preamble';
  /** Leading CRLF lets a boundary on the very first line match the same delimiter as later ones. */
  private carry: Buffer = Buffer.from(CRLF);
  private readonly delimiter: Buffer;

  constructor(boundary: string, private readonly h: MultipartHandlers) {
    this.delimiter = Buffer.from(`\r\n--${boundary}`);
  }

  /** Bytes held back between chunks: at most a delimiter's length while in a body (never the upload). */
  get pendingBytes(): number {
    return this.carry.length;
  }

  get finished(): boolean {
    return this.phase === 'done';
  }

  write(chunk: Buffer): void {
    if (this.phase === 'done') return; // epilogue is ignored
    const buf = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = Buffer.alloc(0);
    let pos = 0;
    for (;;) {
      if (this.phase === 'preamble' || this.phase === 'body') {
        const idx = buf.indexOf(this.delimiter, pos);
        if (idx < 0) {
          // Everything except a possible delimiter prefix at the end is data.
          const safe = Math.max(pos, buf.length - (this.delimiter.length - 1));
          if (this.phase === 'body' && safe > pos) this.h.onData(buf.subarray(pos, safe));
          this.carry = Buffer.from(buf.subarray(safe));
          return;
        }
        if (this.phase === 'body') {
          if (idx > pos) this.h.onData(buf.subarray(pos, idx));
          this.h.onPartEnd();
        }
        pos = idx + this.delimiter.length;
        this.phase = 'afterBoundary';
      } else if (this.phase === 'afterBoundary') {
        if (buf.length - pos < 2) return this.keep(buf, pos);
        if (buf[pos] === 0x2d && buf[pos + 1] === 0x2d) {
          this.phase = 'done';
          return;
        }
        const eol = buf.indexOf(CRLF, pos); // transport padding may precede the CRLF
        if (eol < 0) {
          if (buf.length - pos > 1024) throw new MultipartError('malformed boundary line');
          return this.keep(buf, pos);
        }
        pos = eol + 2;
        this.phase = 'headers';
      } else if (this.phase === 'headers') {
        if (buf.length - pos >= 2 && buf[pos] === 0x0d && buf[pos + 1] === 0x0a) {
          this.h.onPart({}); // a part without headers
          pos += 2;
          this.phase = 'body';
          continue;
        }
        const end = buf.indexOf(HEADER_END, pos);
        if (end < 0) {
          if (buf.length - pos > MAX_HEADER_BYTES) throw new MultipartError('part headers too large');
          return this.keep(buf, pos);
        }
        this.h.onPart(parsePartHeaders(buf.toString('utf8', pos, end)));
        pos = end + HEADER_END.length;
        this.phase = 'body';
      } else {
        return;
      }
    }
  }

  /** Call after the last chunk: a body without its closing boundary is malformed. */
  end(): void {
    if (this.phase !== 'done') throw new MultipartError('multipart body ended before the closing boundary');
  }

  private keep(buf: Buffer, pos: number): void {
    this.carry = Buffer.from(buf.subarray(pos));
  }
}
