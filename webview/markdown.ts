// Renders the agent's Markdown as inert DOM: marked (GFM) turns the text into
// HTML, DOMPurify parses that HTML in a detached document and keeps only an
// allowlist of tags and attributes, and the result gets the chat's own
// controls (link handling, code Copy buttons) with createElement only.
//
// What is never rendered, whatever the text says:
//  - raw HTML: marked's HTML tokenizers are switched off, so `<img …>`, `<svg …>`,
//    `<iframe …>` and HTML blocks stay text (DOMPurify would drop them anyway);
//  - images: `![alt](url)` becomes its alt text (a link when the URL is https), never <img>;
//  - links other than https: `[text](javascript:…)` shows "text (javascript:…)" as text;
//  - href: links are <a class="link" data-url> without href. The list's click handler
//    hands the URL to the host, which checks it again and opens it (README, Security).
//    The URL sent is the one written in the text, character for character, and a link is
//    made only when that URL occurs verbatim in the message (the host accepts exactly those).
//  - task-list checkboxes (<input>): ☑ / ☐ characters instead.
import { Marked, type Tokens } from 'marked';
import DOMPurify, { type Config } from 'dompurify';
import { t } from './l10n';
import { isSafeLink, leadingLink } from './linkify';

/** Longer texts are shown as plain text (with https links): parsing megabytes is not worth a frame. */
export const MAX_MARKDOWN_CHARS = 200_000;

/** Tags DOMPurify keeps; everything else goes (its text stays, see KEEP_CONTENT). */
const ALLOWED_TAGS = [
  'p', 'br', 'strong', 'em', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'a',
];
const PURIFY_CONFIG: Config = {
  ALLOWED_TAGS,
  // data-url: a link's address (checked again below); data-lang: a code block's language;
  // start: an ordered list's first number; align: table column alignment.
  ALLOWED_ATTR: ['data-url', 'data-lang', 'start', 'align'],
  ADD_URI_SAFE_ATTR: ['data-lang', 'start', 'align'],
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  KEEP_CONTENT: true,
  RETURN_DOM_FRAGMENT: true,
};
/** Our own DOMPurify instance, configured once (parsing the config on every call costs more than small messages do). */
const purify = DOMPurify(window);
purify.setConfig(PURIFY_CONFIG);

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** The text being rendered: a link is made only for a URL that occurs in it verbatim. */
let source = '';

/** The address to put on a link, or undefined to keep the words as text. */
function linkUrl(href: string | null | undefined): string | undefined {
  if (!href || !/^https:\/\/[^/\\]/i.test(href)) return undefined;
  // Nothing the URL parser would silently drop, reinterpret or escape (what is shown is what
  // opens), and the characters bare URLs stop at in every other message (linkify.ts).
  if (/[\u0000-\u0020\u007f-\u009f\\<>"'`{}|^]/.test(href)) return undefined;
  return isSafeLink(href) && source.includes(href) ? href : undefined;
}

const marked = new Marked({ gfm: true, breaks: true, async: false });
marked.use({
  // Returning undefined (not false) switches a tokenizer off: HTML blocks and inline tags
  // are read as ordinary text, which marked escapes.
  tokenizer: {
    html: () => undefined,
    tag: () => undefined,
    // Bare URLs: https only, found and trimmed exactly as in the other messages (linkify.ts),
    // instead of GFM's rules (which also link www. and e-mail addresses, and keep quotes).
    url(src: string): Tokens.Link | undefined {
      const url = leadingLink(src);
      return url ? { type: 'link', raw: url, href: url, title: null, text: url, tokens: [{ type: 'text', raw: url, text: url, escaped: false }] } : undefined;
    },
  },
  renderer: {
    // Unreachable with the tokenizers above; a second line of defence.
    html: ({ text }: Tokens.HTML | Tokens.Tag) => escapeHtml(text),
    link(token: Tokens.Link): string {
      const inner = this.parser.parseInline(token.tokens);
      const url = linkUrl(token.href);
      if (url) {
        // Words that look like another address do not hide where the link goes.
        const shown = token.text.trim();
        const disguised = /^(https?:\/\/|www\.)/i.test(shown) && shown !== url;
        return `<a data-url="${escapeHtml(url)}">${inner}</a>${disguised ? ` (${escapeHtml(url)})` : ''}`;
      }
      // Not a link we open: the words stay, and so does the address the text wrote (not the
      // one an autolink makes up, such as http:// for www. or mailto: for an e-mail address).
      return token.text === token.href || !token.raw.includes(token.href) ? inner : `${inner} (${escapeHtml(token.href)})`;
    },
    image({ href, text }: Tokens.Image): string {
      const label = escapeHtml(text || href);
      const url = linkUrl(href);
      if (url) return `<a data-url="${escapeHtml(url)}">${label}</a>`;
      return text && text !== href ? `${label} (${escapeHtml(href)})` : label;
    },
    checkbox: ({ checked }: Tokens.Checkbox) => (checked ? '☑ ' : '☐ '),
    code({ text, lang }: Tokens.Code): string {
      const language = (lang ?? '').match(/^\S*/)?.[0] ?? '';
      const attr = language ? ` data-lang="${escapeHtml(language.slice(0, 40))}"` : '';
      return `<pre${attr}><code>${escapeHtml(text.replace(/\n$/, ''))}\n</code></pre>\n`;
    },
    // A line break keeps its newline in the text, so copying or reading textContent keeps lines.
    br: () => '<br>\n',
  },
});

/** Markdown source -> sanitised fragment with the chat's link and code-block controls. */
export function markdownFragment(text: string, linkTitle: (url: string) => string): DocumentFragment {
  source = text;
  let html: string;
  try {
    html = (marked.parse(text) as string).trimEnd();
  } finally {
    source = '';
  }
  // With RETURN_DOM_FRAGMENT in the config set above, sanitize returns a DocumentFragment.
  const fragment = purify.sanitize(html) as unknown as DocumentFragment;
  decorate(fragment, linkTitle);
  return fragment;
}

/** Appends `text` rendered as Markdown to `parent`. */
export function renderMarkdown(parent: Node, text: string, linkTitle: (url: string) => string): void {
  parent.appendChild(markdownFragment(text, linkTitle));
}

function decorate(root: DocumentFragment, linkTitle: (url: string) => string): void {
  for (const a of root.querySelectorAll('a')) {
    const url = a.getAttribute('data-url');
    // Our renderer makes every <a>; anything else (or a link inside a link) becomes its text.
    if (!url || !isSafeLink(url) || a.parentElement?.closest('a')) {
      a.replaceWith(...a.childNodes);
      continue;
    }
    a.className = 'link';
    a.title = linkTitle(url);
    a.tabIndex = -1; // reachable through the message (see keyboard.ts)
    a.setAttribute('role', 'link');
  }
  for (const pre of root.querySelectorAll('pre')) {
    const block = document.createElement('div');
    block.className = 'code-block';
    const head = document.createElement('div');
    head.className = 'code-head';
    // The language is shown by CSS (attr()), so it is not part of the message's text.
    const lang = pre.getAttribute('data-lang');
    if (lang) head.setAttribute('data-lang', lang);
    pre.removeAttribute('data-lang');
    const copy = document.createElement('button');
    copy.type = 'button';
    copy.className = 'copy-code';
    copy.tabIndex = -1;
    copy.setAttribute('aria-label', t('Copy code'));
    copy.title = t('Copy code');
    head.append(copy);
    pre.replaceWith(block);
    block.append(head, pre);
  }
}

/**
 * Renders a small sample once and throws it away. The first Markdown render on a fresh page
 * costs about 20 ms (marked's and DOMPurify's code and regular expressions are compiled on first
 * use); app.ts calls this right after it asks the host for the snapshot, so that cost overlaps
 * the host's answer instead of delaying the history's first frame.
 */
export function warmUpMarkdown(): void {
  markdownFragment(
    '## A\n\n**b** *c* ~~d~~ `e` [f](https://a.example/f) https://a.example/g\n\n- h\n1. i\n\n> j\n\n| k | l |\n|---|--:|\n| m | n |\n\n```js\no\n```',
    (url) => url,
  );
}
