// Base URLs and every backend path of docs/protocol.md §3 in one place. The shell
// resolves settings and NEMO_API_URL / NEMO_WEB_URL with resolveEndpoints();
// the client only ever builds URLs from the configured API base, so the token
// can only travel to that origin (README, Security).
import { APP_NAME, DEFAULT_API_BASE_URL, DEFAULT_WEB_BASE_URL } from '../config';

export type EndpointSource = 'setting' | 'env' | 'default';

export interface EndpointInputs {
  /** Explicit user settings (nemoVideo.apiBaseUrl / webBaseUrl); empty strings count as unset. */
  setting?: { apiBaseUrl?: string; webBaseUrl?: string };
  /** The process environment (only NEMO_API_URL / NEMO_WEB_URL are read). */
  env?: { NEMO_API_URL?: string; NEMO_WEB_URL?: string };
}

export interface ResolvedEndpoints {
  apiBaseUrl: string;
  webBaseUrl: string;
  apiSource: EndpointSource;
  webSource: EndpointSource;
  /** True when the API origin is the documented production default (the status bar says so otherwise). */
  apiIsDefault: boolean;
  /** Values that were set but rejected, in plain language; the next source was used instead. */
  problems: string[];
}

/**
 * Explicit setting > environment > default. Each candidate must be an absolute
 * http(s) URL without credentials, query or fragment; the trailing slash is removed.
 */
export function resolveEndpoints(inputs: EndpointInputs): ResolvedEndpoints {
  const problems: string[] = [];
  const api = pick(
    [['setting', inputs.setting?.apiBaseUrl, 'nemoVideo.apiBaseUrl'], ['env', inputs.env?.NEMO_API_URL, 'NEMO_API_URL']],
    DEFAULT_API_BASE_URL,
    problems,
  );
  const web = pick(
    [['setting', inputs.setting?.webBaseUrl, 'nemoVideo.webBaseUrl'], ['env', inputs.env?.NEMO_WEB_URL, 'NEMO_WEB_URL']],
    DEFAULT_WEB_BASE_URL,
    problems,
  );
  return {
    apiBaseUrl: api.url,
    webBaseUrl: web.url,
    apiSource: api.source,
    webSource: web.source,
    apiIsDefault: new URL(api.url).origin === new URL(DEFAULT_API_BASE_URL).origin,
    problems,
  };
}

type Candidate = [source: Exclude<EndpointSource, 'default'>, value: string | undefined, label: string];

function pick(candidates: Candidate[], fallback: string, problems: string[]): { url: string; source: EndpointSource } {
  for (const [source, value, label] of candidates) {
    if (value === undefined || value.trim() === '') continue;
    const url = normalizeBaseUrl(value);
    if (url) return { url, source };
    problems.push(`${label} is not a usable http(s) address, so it was ignored.`);
  }
  return { url: fallback, source: 'default' };
}

/** A clean base URL, or undefined when `value` is not an absolute http(s) URL fit to carry a token. */
export function normalizeBaseUrl(value: string): string | undefined {
  let u: URL;
  try {
    u = new URL(value.trim());
  } catch {
    return undefined;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
  // Credentials, queries and fragments in a base URL would end up in every request and log line.
  if (u.username || u.password || u.search || u.hash) return undefined;
  return `${u.origin}${u.pathname}`.replace(/\/+$/, '');
}

const seg = encodeURIComponent;

/** Path builders for docs/protocol.md §3 (relative to the API base). */
export const apiPaths = {
  anonymousToken: () => '/api/auth/anonymous-token',
  createSession: () => `/api/tasks/me/with-session/${APP_NAME}`,
  claimToken: () => '/api/auth/claim-token',
  runSse: () => '/run_sse',
  upload: (sessionId: string) => `/api/upload-video/${APP_NAME}/me/${seg(sessionId)}`,
  credits: () => '/api/credits/balance/simple',
  state: (sessionId: string) => `/api/state/${APP_NAME}/me/${seg(sessionId)}/latest`,
  render: () => '/api/render/proxy/lambda',
  renderStatus: (renderId: string) => `/api/render/proxy/lambda/${seg(renderId)}`,
  renderCancel: (renderId: string) => `/api/render/proxy/lambda/${seg(renderId)}/cancel`,
  // §3.10: no /lambda/ segment on the fallback download.
  renderDownload: (renderId: string) => `/api/render/proxy/${seg(renderId)}/download`,
} as const;

/** Where a registered user changes plan or buys credits (the web app's billing page, docs/protocol.md §10). */
export function billingLink(webBaseUrl: string): string {
  return `${webBaseUrl.replace(/\/+$/, '')}/dashboard/billing`;
}
