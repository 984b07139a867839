// Turns untrusted text (backend replies, errors, file names, user input) into
// inert segments. Only https:// URLs become links, and even those never
// navigate: the click is handed to the host, which re-validates the URL and
// opens it with openExternal. `code` and **bold** get light styling; every
// other markdown-looking construct ([x](javascript:…), <img …>, …) stays text.
// Pure (no DOM), so it is unit-tested in Node; richText.ts builds the DOM.

export type Segment =
  | { kind: 'text'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'bold'; text: string }
  | { kind: 'link'; text: string; url: string };

export const MAX_LINK_LENGTH = 2_048;

// One pass, leftmost match wins: an https URL, an inline code span, or bold.
// The URL part stops at whitespace, quotes, angle brackets and backticks.
// The host must follow "https://" directly: the URL parser would read "https:///x" as
// https://x/, and a link must open exactly what it shows.
const TOKEN = /(https:\/\/[^\s<>"'`\\{}|^/][^\s<>"'`\\{}|^]*)|`([^`\n]{1,400})`|\*\*([^*\n]{1,400})\*\*/gi;
const TRAILING_PUNCTUATION = /[.,;:!?*_~]+$/;

export function tokenize(text: string): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m !== null; m = TOKEN.exec(text)) {
    let consumed = m[0];
    let segment: Segment | undefined;
    if (m[1] !== undefined) {
      const url = trimUrl(m[1]);
      consumed = url;
      // The URL as written, not as the URL parser would normalise it: the host opens a link
      // only if that exact string occurs in the message ("https://a.example." -> "https://a.example",
      // never "https://a.example/").
      if (isSafeLink(url)) segment = { kind: 'link', text: url, url };
    } else if (m[2] !== undefined) {
      segment = { kind: 'code', text: m[2] };
    } else if (m[3] !== undefined && m[3].trim().length > 0) {
      segment = { kind: 'bold', text: m[3] };
    }
    const end = m.index + consumed.length;
    if (segment) {
      if (m.index > last) pushText(out, text.slice(last, m.index));
      out.push(segment);
      last = end;
    }
    // Resume right after what this match really used (a trimmed URL gives back its tail).
    TOKEN.lastIndex = Math.max(end, m.index + 1);
  }
  if (last < text.length) pushText(out, text.slice(last));
  return out;
}

const LEADING_URL = /^https:\/\/[^\s<>"'`\\{}|^/][^\s<>"'`\\{}|^]*/i;

/** The https URL `text` starts with, by the same rules as tokenize (trimmed, checked), if any. */
export function leadingLink(text: string): string | undefined {
  const m = LEADING_URL.exec(text);
  if (!m) return undefined;
  const url = trimUrl(m[0]);
  return isSafeLink(url) ? url : undefined;
}

/** True for an absolute https URL with a host and no embedded credentials. */
export function isSafeLink(candidate: string): boolean {
  if (candidate.length > MAX_LINK_LENGTH) return false;
  let u: URL;
  try {
    u = new URL(candidate);
  } catch {
    return false;
  }
  return u.protocol === 'https:' && u.hostname.length > 0 && u.username === '' && u.password === '';
}

/** Drops sentence punctuation and unbalanced closing brackets that follow a URL in prose. */
function trimUrl(raw: string): string {
  let url = raw;
  for (;;) {
    const before = url;
    url = url.replace(TRAILING_PUNCTUATION, '');
    for (const [open, close] of [['(', ')'], ['[', ']']] as const) {
      if (url.endsWith(close) && count(url, close) > count(url, open)) url = url.slice(0, -1);
    }
    if (url === before) return url;
  }
}

function count(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i !== -1; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

function pushText(out: Segment[], text: string): void {
  const prev = out[out.length - 1];
  if (prev?.kind === 'text') prev.text += text;
  else out.push({ kind: 'text', text });
}
