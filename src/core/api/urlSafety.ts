// Which URLs a response may make the client fetch, and which may receive the
// token. A render reply names its output URL; a hostile or broken backend
// could name file:, data:, javascript: or a plain-http host on the network.

/** True for 127.0.0.0/8, ::1 and localhost (where plain http cannot leave the machine). */
export function isLoopbackHost(hostname: string): boolean {
  // A trailing dot names the same host; 0.0.0.0 and :: reach this machine too.
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '::1' || h === '0:0:0:0:0:0:0:1' || h === '0.0.0.0' || h === '::') return true;
  if (/^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(h)) return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * An output URL (§3.9) the client may download without auth: https, or plain http on
 * loopback when the API origin is itself on loopback (the simulator, a local backend).
 * A remote backend has no business sending the client to a local service: with a
 * non-loopback `apiBaseUrl`, loopback URLs are refused (a GET to whatever listens
 * there, its reply saved as the video).
 *
 * Without `apiBaseUrl` only the scheme is checked (loopback http passes): that form is
 * a pre-check. The client's download always applies the full rule with its origin.
 */
export function isAcceptableOutputUrl(url: string | undefined, apiBaseUrl?: string): url is string {
  if (!url) return false;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.username || u.password) return false;
  if (u.protocol === 'https:' && !isLoopbackHost(u.hostname)) return true;
  if ((u.protocol !== 'https:' && u.protocol !== 'http:') || !isLoopbackHost(u.hostname)) return false;
  return apiBaseUrl === undefined || isLoopbackOrigin(apiBaseUrl);
}

/** True when `url` parses and names a loopback host. */
export function isLoopbackOrigin(url: string): boolean {
  try {
    return isLoopbackHost(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** Same scheme, host and port. */
export function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}
