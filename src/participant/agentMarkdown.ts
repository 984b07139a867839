// The agent's Markdown for VS Code's Chat view, rebuilt from its parse rather than
// passed through: `marked` reads the reply (GFM), and only what this file writes
// comes out — headings, paragraphs, lists, block quotes, tables, code, emphasis and
// https links. Every piece of text is escaped (escapeMarkdown), so however the Chat
// view's own parser reads the result, the agent's characters stay characters: no
// HTML, no image load, no command:, file: or javascript: link, no reference
// definition, no theme icon can come out of a reply, even where our parse and the
// Chat view's differ. Raw HTML shows as text; an image becomes a link to it.
import type { Token, Tokens } from 'marked';
import { escapeMarkdown } from '../util/inertMarkdown';

/** Longer replies are shown as plain text: parsing stays cheap and bounded. */
export const MAX_MARKDOWN_CHARS = 64_000;
/** Deeper nesting (lists in quotes in lists…) is shown as plain text. */
const MAX_DEPTH = 8;
/** Longer link targets are shown as their text. */
const MAX_URL_CHARS = 2_048;
const INVISIBLE_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g;

type Lex = (markdown: string) => Token[];
let lex: Lex | undefined;

function lexer(): Lex {
  if (!lex) {
    // Loaded on the first reply, not at activation: the bundle keeps it in its own file (esbuild.mjs).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Lexer } = require('./markdownLexer') as typeof import('./markdownLexer');
    lex = (markdown) => Lexer.lex(markdown, { gfm: true, breaks: false });
  }
  return lex;
}

/** Markdown that shows the agent's `markdown` formatted and inert. The caller redacts first. */
export function agentMarkdown(markdown: string): string {
  if (markdown.length > MAX_MARKDOWN_CHARS) return escapeMarkdown(markdown);
  try {
    return blocks(lexer()(markdown), 0).trim();
  } catch {
    // A parse too deep for the stack (or any surprise in it): the text is still shown, literally.
    return escapeMarkdown(markdown);
  }
}

// -- blocks -----------------------------------------------------------------------

function blocks(tokens: readonly Token[], depth: number, separator = '\n\n'): string {
  return tokens
    .map((t) => block(t, depth))
    .filter((s) => s.trim() !== '')
    .join(separator);
}

function block(t: Token, depth: number): string {
  if (depth > MAX_DEPTH) return text(t.raw);
  switch (t.type) {
    case 'space':
    case 'def': // a reference definition is never written out: links were resolved (and checked) already
    case 'checkbox':
      return '';
    case 'heading': {
      const h = t as Tokens.Heading;
      const body = inline(h.tokens, depth);
      return body ? `${'#'.repeat(Math.min(Math.max(h.depth, 1), 6))} ${body}` : '';
    }
    case 'paragraph':
      return inline((t as Tokens.Paragraph).tokens, depth);
    case 'text': {
      const tt = t as Tokens.Text;
      return tt.tokens ? inline(tt.tokens, depth) : text(tt.text);
    }
    case 'code':
      return fencedCode((t as Tokens.Code).text, (t as Tokens.Code).lang);
    case 'blockquote':
      return blocks((t as Tokens.Blockquote).tokens, depth + 1)
        .split('\n')
        .map((line) => (line ? `> ${line}` : '>'))
        .join('\n');
    case 'list':
      return list(t as Tokens.List, depth);
    case 'table':
      return table(t as Tokens.Table, depth);
    case 'hr':
      return '---';
    default:
      // Raw HTML blocks and anything this file does not know: the characters as they were written.
      return text(t.raw);
  }
}

function list(l: Tokens.List, depth: number): string {
  const start = typeof l.start === 'number' && Number.isSafeInteger(l.start) && l.start >= 0 && l.start < 1e8 ? l.start : 1;
  const items = l.items.map((item, i) => {
    const marker = l.ordered ? `${start + i}.` : '-';
    const box = item.task ? (item.checked ? '☑ ' : '☐ ') : '';
    const body = box + blocks(item.tokens, depth + 1, item.loose ? '\n\n' : '\n');
    const pad = ' '.repeat(marker.length + 1);
    // Continuation lines are indented to the item's content, so they stay in the item.
    return `${marker} ${body.split('\n').map((line, n) => (n === 0 || line === '' ? line : pad + line)).join('\n')}`;
  });
  return items.join(l.loose ? '\n\n' : '\n');
}

function table(t: Tokens.Table, depth: number): string {
  const cell = (c: Tokens.TableCell) => inline(c.tokens, depth, true).replace(/\n/g, ' ') || ' ';
  const row = (cells: Tokens.TableCell[]) => `| ${cells.map(cell).join(' | ')} |`;
  const rule = t.align.map((a) => (a === 'left' ? ':---' : a === 'right' ? '---:' : a === 'center' ? ':---:' : '---'));
  return [row(t.header), `| ${rule.join(' | ')} |`, ...t.rows.map(row)].join('\n');
}

function fencedCode(code: string, lang: string | undefined): string {
  const body = code.replace(INVISIBLE_CONTROLS, '');
  // A fence longer than any run of backticks inside, so the code cannot close it.
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  const info = lang && /^[\w#+.-]{1,32}$/.test(lang) ? lang : '';
  return `${fence}${info}\n${body}\n${fence}`;
}

// -- inline -----------------------------------------------------------------------

function inline(tokens: readonly Token[] | undefined, depth: number, inTable = false, inLink = false): string {
  if (!tokens) return '';
  return tokens.map((t) => span(t, depth, inTable, inLink)).join('');
}

function span(t: Token, depth: number, inTable: boolean, inLink: boolean): string {
  if (depth > MAX_DEPTH) return text(t.raw);
  const inner = (tokens: readonly Token[] | undefined) => inline(tokens, depth + 1, inTable, inLink);
  const wrap = (mark: string, tokens: readonly Token[] | undefined) => {
    const body = inner(tokens);
    // An empty **** on its own line would be a rule; emphasis around spaces would show its marks.
    return body.trim() ? `${mark}${body}${mark}` : body;
  };
  switch (t.type) {
    case 'text': {
      const tt = t as Tokens.Text;
      return tt.tokens ? inner(tt.tokens) : text(decodeEntities(tt.text));
    }
    case 'escape':
      return text((t as Tokens.Escape).text);
    case 'strong':
      return wrap('**', (t as Tokens.Strong).tokens);
    case 'em':
      return wrap('*', (t as Tokens.Em).tokens);
    case 'del':
      return wrap('~~', (t as Tokens.Del).tokens);
    case 'codespan':
      return codeSpan((t as Tokens.Codespan).text, inTable);
    case 'br':
      return inTable ? ' ' : '  \n';
    case 'link': {
      const l = t as Tokens.Link;
      const label = inline(l.tokens, depth + 1, inTable, true) || text(l.href);
      const href = inLink ? undefined : httpsUrl(l.href);
      return href ? `[${label}](<${href}>)` : label;
    }
    case 'image': {
      // Never loaded (a remote image would tell its server who reads the reply): a link to it instead.
      const img = t as Tokens.Image;
      const label = text(`🖼 ${decodeEntities(img.text || img.href)}`);
      const href = inLink ? undefined : httpsUrl(img.href);
      return href ? `[${label}](<${href}>)` : label;
    }
    case 'checkbox':
      return '';
    default:
      // Inline HTML (`<b>`, `<img …>`) and anything unknown: shown as written.
      return text(t.raw);
  }
}

function codeSpan(code: string, inTable: boolean): string {
  let body = code.replace(INVISIBLE_CONTROLS, '').replace(/\r?\n/g, ' ');
  // In a table a pipe ends the cell even inside code unless escaped (GFM).
  if (inTable) body = body.replace(/\|/g, '\\|');
  if (!body.trim()) return text(code);
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longest + 1);
  const pad = body.startsWith('`') || body.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${body}${pad}${ticks}`;
}

/** Text shown literally: every punctuation character escaped, line breaks kept. */
function text(value: string | undefined): string {
  return escapeMarkdown(value ?? '');
}

/** An https URL without credentials, serialised so it cannot end the link early; else undefined. */
export function httpsUrl(href: string | undefined): string | undefined {
  if (!href || href.length > MAX_URL_CHARS) return undefined;
  let url: URL;
  try {
    // Entities decoded first, as a browser would: `&#x6A;avascript:` is javascript:.
    url = new URL(decodeEntities(href).replace(INVISIBLE_CONTROLS, ''));
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.username || url.password) return undefined;
  // URL.href already percent-encodes spaces, quotes and angle brackets; a backslash would escape the closing `>`.
  return url.href.replace(/\\/g, '%5C');
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decodeEntities(value: string): string {
  return value.replace(/&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos|nbsp));/g, (_, dec?: string, hex?: string, name?: string) => {
    if (name) return NAMED[name]!;
    const code = dec !== undefined ? Number(dec) : parseInt(hex!, 16);
    return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : '\ufffd';
  });
}
