// Anything that could end up in a log line or an error detail passes through
// redact() first: headers, URLs and server messages may carry a token, and the
// token must never reach a log, a webview message or a history file (issue 6).

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
