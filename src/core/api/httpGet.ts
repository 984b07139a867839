// One GET whose body is read as raw chunks: what a download needs and nothing
// more. Two implementations:
//  - nodeHttpGet: node:http / node:https. The default for downloads. Node's
//    fetch (undici) hands the body over as a WHATWG ReadableStream: reading a
//    500 MB body through it took about 600 ms over loopback, through http.get
//    about 350 ms (bench P2).
//    VS Code's proxy support patches node:http/https just as it patches fetch
//    (`http.proxySupport`), so proxies keep working.
//  - fetchHttpGet: an injected fetch (config.fetch), so tests that wrap fetch
//    to count or break requests see downloads too.
// Redirects are never followed here; the caller decides per hop (download.ts).
import * as http from 'node:http';
import * as https from 'node:https';
import { pipeline } from 'node:stream';
import * as zlib from 'node:zlib';

export interface RawReply {
  status: number;
  /** A response header (lower-case name), or null. */
  header(name: string): string | null;
  /** True when the bytes are decoded from a Content-Encoding (then Content-Length counts encoded bytes). */
  readonly decoded: boolean;
  /**
   * Encoded (on-the-wire) body bytes received so far, when the body is decoded and they
   * can be counted (node:http). Bounds the decompression ratio of a compressed reply.
   * The fetch adapter cannot see them: fetch decodes before handing bytes over.
   */
  encodedBytes?(): number;
  /** The body, chunk by chunk, as it arrives. Read it once. There is deliberately no "read it all". */
  chunks(): AsyncIterable<Uint8Array>;
  /** Stops reading and releases the connection. Safe to call more than once. */
  cancel(): Promise<void>;
}

export type HttpGet = (url: string, init: { headers: Record<string, string>; signal?: AbortSignal }) => Promise<RawReply>;

/** A GET through node:http(s). Asks for no compression; decodes gzip/deflate/br if a server sends it anyway. */
export const nodeHttpGet: HttpGet = (url, init) =>
  new Promise<RawReply>((resolve, reject) => {
    const target = new URL(url);
    const lib = target.protocol === 'https:' ? https : target.protocol === 'http:' ? http : undefined;
    if (!lib) {
      reject(new TypeError(`unsupported protocol ${target.protocol}`));
      return;
    }
    const req = lib.get(target, { headers: { 'Accept-Encoding': 'identity', ...init.headers }, signal: init.signal }, (res) => {
      const encoding = (res.headers['content-encoding'] ?? 'identity').toString().trim().toLowerCase();
      const decoder =
        encoding === 'gzip' || encoding === 'x-gzip' ? zlib.createGunzip()
        : encoding === 'deflate' ? zlib.createInflate()
        : encoding === 'br' ? zlib.createBrotliDecompress()
        : undefined;
      // Errors (a cut connection, corrupt compressed data) surface from the body's
      // iterator, which also reports an error stored before it started. Until then a
      // listener must exist: an 'error' with none would crash the extension host.
      const body = decoder ?? res;
      let encoded = 0;
      if (decoder) {
        res.on('data', (c: Buffer) => (encoded += c.length));
        pipeline(res, decoder, () => undefined);
      }
      res.on('error', () => undefined);
      decoder?.on('error', () => undefined);
      resolve({
        status: res.statusCode ?? 0,
        header: (name) => {
          const v = res.headers[name.toLowerCase()];
          return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
        },
        decoded: decoder !== undefined,
        ...(decoder ? { encodedBytes: () => encoded } : {}),
        chunks: () => body as AsyncIterable<Uint8Array>,
        // destroy() is idempotent, so cancel may be called more than once.
        cancel: async () => {
          decoder?.destroy();
          res.destroy();
        },
      });
    });
    req.on('error', reject);
  });

/** Adapts an injected fetch to HttpGet. */
export function fetchHttpGet(fetchImpl: typeof fetch): HttpGet {
  return async (url, init) => {
    const res = await fetchImpl(url, { method: 'GET', headers: init.headers, redirect: 'manual', signal: init.signal });
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    return {
      status: res.status,
      header: (name) => res.headers.get(name),
      // fetch decodes Content-Encoding itself.
      decoded: (res.headers.get('content-encoding') ?? 'identity').trim().toLowerCase() !== 'identity',
      chunks: () => ({
        async *[Symbol.asyncIterator]() {
          if (!res.body) return;
          reader = res.body.getReader();
          for (;;) {
            const { done, value } = await reader.read();
            if (done) return;
            yield value;
          }
        },
      }),
      cancel: async () => {
        await (reader ? reader.cancel() : res.body?.cancel())?.catch(() => undefined);
      },
    };
  };
}
