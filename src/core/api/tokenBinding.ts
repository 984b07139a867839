// Which origin may receive which token (docs/protocol.md §9; README "Security").
//
// - An anonymous token belongs to the origin that issued it: it is stored under
//   that origin and never read for another one (TokenStore.coreStore).
// - The user's own token (Set API Token, or NEMO_TOKEN) goes to the documented
//   default origin, and to another origin only once the user has confirmed that
//   origin. Confirmed origins live in a user-level, application-scoped setting:
//   a workspace, a Dev Container's settings or a remote machine cannot add to it,
//   while a headless setup can fill it in advance.
// - Plain http carries no token at all, except to this machine (loopback).
//
// This matters because the API origin itself can arrive from places the user did
// not choose: a Dev Container writes machine settings and can set NEMO_API_URL
// (and forward NEMO_TOKEN) through remoteEnv.
import { DEFAULT_API_BASE_URL } from '../config';
import { isLoopbackHost } from './urlSafety';

/** What to do with the user's token for one API origin. */
export type UserTokenDecision = 'send' | 'ask' | 'withhold';

export const MAX_TRUSTED_ORIGINS = 50;

/** `https://host[:port]` or a loopback `http://` origin, normalised; undefined for anything else. */
export function tokenOrigin(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (u.username || u.password) return undefined;
  if (u.protocol === 'https:') return u.origin;
  if (u.protocol === 'http:' && isLoopbackHost(u.hostname)) return u.origin;
  return undefined;
}

/** True when requests to `apiBaseUrl` may carry any token (anonymous or the user's). */
export function mayCarryToken(apiBaseUrl: string): boolean {
  return tokenOrigin(apiBaseUrl) !== undefined;
}

export function isDefaultOrigin(apiBaseUrl: string): boolean {
  return tokenOrigin(apiBaseUrl) === new URL(DEFAULT_API_BASE_URL).origin;
}

/**
 * The user's token for `apiBaseUrl`: sent to the documented default, asked about
 * once for any other origin that may carry a token, withheld otherwise. An origin
 * the user already confirmed, or declined in this window, is not asked about again.
 */
export function userTokenDecision(apiBaseUrl: string, confirmed: readonly string[], declinedInThisWindow: ReadonlySet<string> = new Set()): UserTokenDecision {
  const origin = tokenOrigin(apiBaseUrl);
  if (origin === undefined) return 'withhold';
  if (isDefaultOrigin(apiBaseUrl)) return 'send';
  if (confirmed.includes(origin)) return 'send';
  return declinedInThisWindow.has(origin) ? 'withhold' : 'ask';
}

/** The confirmed-origins setting as read: normalised, de-duplicated, bounded; problems for the log. */
export function parseTrustedOrigins(value: unknown): { origins: string[]; problems: string[] } {
  const problems: string[] = [];
  if (value === undefined) return { origins: [], problems };
  if (!Array.isArray(value)) return { origins: [], problems: ['nemoVideo.trustedApiOrigins must be a list of addresses, so it was ignored.'] };
  const origins: string[] = [];
  for (const entry of value.slice(0, MAX_TRUSTED_ORIGINS)) {
    const origin = typeof entry === 'string' && entry.length <= 300 ? tokenOrigin(entry) : undefined;
    if (origin === undefined) {
      problems.push(`nemoVideo.trustedApiOrigins: ${typeof entry === 'string' ? JSON.stringify(entry.slice(0, 80)) : 'an entry'} is not an https address (or http on this machine), so it was ignored.`);
      continue;
    }
    if (!origins.includes(origin)) origins.push(origin);
  }
  if (value.length > MAX_TRUSTED_ORIGINS) problems.push(`nemoVideo.trustedApiOrigins lists more than ${MAX_TRUSTED_ORIGINS} addresses; the rest were ignored.`);
  return { origins, problems };
}
