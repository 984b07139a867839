// Anything that could end up in a log line or an error detail passes through
// redact() first: headers, URLs and server messages may carry a token, and the
// token must never reach a log, a webview message or a history file.

const BEARER = /\b(Bearer)\s+[^\s"',;]+/gi;
const NEMO_SECRET = /\b(nmv|clm)_[A-Za-z0-9_\-.~]+/g;
const SECRET_QUERY = /([?&#;](?:token|nemo_token|ct|claim_token|access_token|api_key|key|sig|signature|x-amz-signature|x-amz-credential|authorization)=)[^&#\s"']*/gi;
const AUTH_HEADER = /("?authorization"?\s*[:=]\s*"?)(?:(?:Bearer|Basic)\s+)?[^\s"',;}]+/gi;

/**
 * Replaces tokens, claim tokens, bearer credentials and secret-looking query
 * parameters with `[redacted]`. `secrets` are exact values to remove as well
 * (the client passes its current tokens, whatever their shape).
 */
export function redact(text: string, secrets: ReadonlyArray<string | undefined> = []): string {
  let out = text;
  for (const secret of secrets) {
    // Very short values would blank out ordinary words; real tokens are long.
    if (secret && secret.length >= 6) out = out.split(secret).join('[redacted]');
  }
  return out
    .replace(AUTH_HEADER, '$1[redacted]')
    .replace(BEARER, '$1 [redacted]')
    .replace(NEMO_SECRET, '$1_[redacted]')
    .replace(SECRET_QUERY, '$1[redacted]');
}

/** The path of a URL for logs: no query, no fragment, no credentials. */
export function pathForLog(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return redact(url.split(/[?#]/)[0] ?? '');
  }
}

/** The longest run of token characters held back while streaming (user tokens are at most 512). */
const MAX_HELD = 1024;

/**
 * Redacts text that arrives in pieces (a streamed reply), so that a token split
 * across two pieces is still caught: the trailing run of printable ASCII (where a
 * token could still be arriving) is held back until a space, another script or
 * the end of the stream closes it. Text that cannot hold a token passes at once,
 * so Chinese text and ordinary prose stream without delay; each character is
 * examined a bounded number of times, so a long stream stays linear.
 */
export class StreamRedactor {
  private held = '';

  constructor(private readonly clean: (text: string) => string) {}

  /** The redacted text that can be shown now ('' while everything is held). */
  push(piece: string): string {
    const text = this.held + piece;
    // Walk back over the trailing run of printable ASCII without spaces (a token may
    // still be arriving there), at most MAX_HELD characters: linear, unlike a regex
    // anchored at the end, which retries from every position of a long run.
    let cut = text.length;
    while (cut > 0 && text.length - cut < MAX_HELD) {
      const c = text.charCodeAt(cut - 1);
      if (c < 0x21 || c > 0x7e) break;
      cut--;
    }
    this.held = text.slice(cut);
    return cut > 0 ? this.clean(text.slice(0, cut)) : '';
  }

  /** Whatever is still held, redacted: call once when the stream ends. */
  end(): string {
    const rest = this.held;
    this.held = '';
    return rest ? this.clean(rest) : '';
  }
}
