// The chat webview's HTML. Pure (no vscode import) so the CSP and the
// template are unit-tested. The only script is the nonce'd bundle tag; data
// the page needs before the first message (localised strings) travels in an
// escaped data- attribute, never interpolated into a script.
import { randomBytes } from 'node:crypto';

export interface ChatHtmlOptions {
  /** webview.cspSource */
  cspSource: string;
  /** webview.asWebviewUri(dist/webview.js).toString() */
  scriptUri: string;
  /** webview.asWebviewUri(media/chat.css).toString() */
  styleUri: string;
  /** A fresh createNonce() per render. */
  nonce: string;
  /** BCP 47 language tag for <html lang>, e.g. vscode.env.language. */
  lang: string;
  title: string;
  /** Read by the webview before its first snapshot so the first paint is localised. */
  bootstrap?: { strings: Record<string, string>; locale: string };
}

/** 16 random bytes, base64: the CSP nonce of one render. */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

/** The webview's content security policy: nothing but our nonce'd script, our styles, and no network (README, Security). */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  assertCspSource(cspSource);
  assertNonce(nonce);
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `media-src ${cspSource}`,
    `font-src ${cspSource}`,
    "connect-src 'none'",
  ].join('; ');
}

export function buildChatHtml(o: ChatHtmlOptions): string {
  const csp = contentSecurityPolicy(o.cspSource, o.nonce);
  const bootstrap = o.bootstrap ? ` data-bootstrap="${escapeHtml(JSON.stringify(o.bootstrap))}"` : '';
  return `<!DOCTYPE html>
<html lang="${escapeHtml(safeLang(o.lang))}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(o.styleUri)}" nonce="${escapeHtml(o.nonce)}">
<title>${escapeHtml(o.title)}</title>
</head>
<body${bootstrap}>
<div id="app"></div>
<script nonce="${escapeHtml(o.nonce)}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>
`;
}

/** Escapes text for an HTML attribute value or element content. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function safeLang(lang: string): string {
  return /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(lang) ? lang : 'en';
}

function assertNonce(nonce: string): void {
  if (!/^[A-Za-z0-9+/]{16,}={0,2}$/.test(nonce)) throw new Error('CSP nonce must be base64');
}

/**
 * webview.cspSource is a source LIST: VS Code desktop gives one scheme/host source,
 * code-server gives `'self' https://*.vscode-cdn.net`. Accept exactly that vocabulary
 * ('self' and scheme/host sources); refuse anything that could end the directive (`;`, `,`)
 * or smuggle in a keyword such as 'unsafe-inline'.
 */
const CSP_SOURCE_TOKEN = /^(?:'self'|[a-z][a-z0-9+.-]*:(?:\/\/[^\s;,'"]+)?|[a-z0-9*][^\s;,'"]*)$/i;

function assertCspSource(source: string): void {
  const tokens = source.trim().split(/\s+/);
  if (source.trim() === '' || !tokens.every((t) => CSP_SOURCE_TOKEN.test(t))) {
    throw new Error(`unexpected webview cspSource: ${JSON.stringify(source)}`);
  }
}
