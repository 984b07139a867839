import * as assert from 'node:assert/strict';
import { buildChatHtml, contentSecurityPolicy, createNonce, escapeHtml } from '../../../src/chatPanel/html';

const CSP_SOURCE = 'https://*.vscode-cdn.net';
const NONCE = 'AAECAwQFBgcICQoLDA0ODw==';

function html(overrides: Partial<Parameters<typeof buildChatHtml>[0]> = {}): string {
  return buildChatHtml({
    cspSource: CSP_SOURCE,
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
    styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/chat.css',
    nonce: NONCE,
    lang: 'en',
    title: 'NemoVideo Chat',
    ...overrides,
  });
}

describe('chat webview HTML (src/chat/html.ts)', () => {
  it('builds exactly the documented CSP (nonce\'d script, own styles, no network)', () => {
    assert.equal(
      contentSecurityPolicy(CSP_SOURCE, NONCE),
      `default-src 'none'; script-src 'nonce-${NONCE}'; style-src ${CSP_SOURCE} 'nonce-${NONCE}'; img-src ${CSP_SOURCE} data:; ` +
        `media-src ${CSP_SOURCE}; font-src ${CSP_SOURCE}; connect-src 'none'`,
    );
  });

  it('puts that CSP in the page, with no unsafe-inline, unsafe-eval or network access', () => {
    const page = html();
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(page);
    assert.ok(meta, 'CSP meta tag present');
    const csp = meta[1].replace(/&#39;/g, "'");
    assert.equal(csp, contentSecurityPolicy(CSP_SOURCE, NONCE));
    assert.doesNotMatch(page, /unsafe-inline|unsafe-eval|unsafe-hashes|strict-dynamic/);
    assert.match(csp, /(^|; )connect-src 'none'(;|$)/);
    assert.match(csp, /^default-src 'none';/);
    assert.doesNotMatch(csp, /https?:\/\/(?!\*\.vscode-cdn\.net)/, 'no other origins');
  });

  it('makes a fresh 16-byte base64 nonce each time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1_000; i++) {
      const n = createNonce();
      assert.match(n, /^[A-Za-z0-9+/]{22}==$/);
      assert.equal(Buffer.from(n, 'base64').length, 16);
      seen.add(n);
    }
    assert.equal(seen.size, 1_000);
  });

  it('has one script tag, the nonce\'d bundle, and no inline script or handlers', () => {
    const page = html();
    const scripts = page.match(/<script\b[^>]*>/g) ?? [];
    assert.deepEqual(scripts, [`<script nonce="${NONCE}" src="https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js">`]);
    assert.match(page, /<script [^>]*><\/script>/, 'the script element has no inline body');
    assert.doesNotMatch(page, /\son[a-z]+\s*=/i, 'no inline event handlers');
    assert.doesNotMatch(page, /\sstyle\s*=/i, 'no inline styles');
    assert.match(page, new RegExp(`<link rel="stylesheet" href="[^"]+/media/chat\\.css" nonce="${NONCE.replace(/[+/=]/g, '\\$&')}">`));
    assert.match(page, /<div id="app"><\/div>/);
  });

  it('escapes every interpolated value', () => {
    const evil = '"><script>alert(1)</script><x a=\'';
    const page = html({
      title: evil,
      scriptUri: `https://x/${evil}`,
      styleUri: `https://y/${evil}`,
      bootstrap: { strings: { Send: '</script><script>alert(2)</script>', [evil]: "it's \"quoted\"" }, locale: 'zh-cn' },
    });
    assert.equal((page.match(/<script\b/g) ?? []).length, 1, 'no injected script element');
    assert.doesNotMatch(page, /alert\(1\)<\/script>/);
    assert.ok(page.includes(`<title>${escapeHtml(evil)}</title>`));
    const attr = /<body data-bootstrap="([^"]*)">/.exec(page);
    assert.ok(attr, 'bootstrap travels in a data- attribute');
    const decoded = attr[1].replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    assert.deepEqual(JSON.parse(decoded), { strings: { Send: '</script><script>alert(2)</script>', [evil]: "it's \"quoted\"" }, locale: 'zh-cn' });
    assert.equal(escapeHtml(`&<>"'`), '&amp;&lt;&gt;&quot;&#39;');
  });

  it('takes <html lang> from the locale and refuses odd values', () => {
    assert.match(html({ lang: 'zh-cn' }), /<html lang="zh-cn">/);
    assert.match(html({ lang: 'pt-BR' }), /<html lang="pt-BR">/);
    assert.match(html({ lang: 'en" onload="x' }), /<html lang="en">/);
    assert.match(html({ lang: '' }), /<html lang="en">/);
  });

  it('refuses a cspSource or nonce that could add directives', () => {
    assert.throws(() => contentSecurityPolicy("https://a; script-src 'unsafe-inline'", NONCE));
    assert.throws(() => contentSecurityPolicy("'unsafe-inline'", NONCE));
    assert.throws(() => contentSecurityPolicy('', NONCE));
    assert.throws(() => contentSecurityPolicy(CSP_SOURCE, "abc' 'unsafe-inline"));
    assert.throws(() => contentSecurityPolicy(CSP_SOURCE, 'short'));
    assert.throws(() => contentSecurityPolicy("'self' 'unsafe-eval'", NONCE));
    assert.throws(() => contentSecurityPolicy("'self', https://evil", NONCE));
  });

  it("accepts code-server's source list ('self' plus the CDN host)", () => {
    const csp = contentSecurityPolicy("'self' https://*.vscode-cdn.net", NONCE);
    assert.match(csp, /media-src 'self' https:\/\/\*\.vscode-cdn\.net;/);
    assert.doesNotMatch(csp, /unsafe/);
  });
});
