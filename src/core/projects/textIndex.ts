// One pass over a document's text, shared by every source anchor and storyboard
// lens of that document version: line starts, ATX headings (outside front matter,
// fenced code and HTML blocks) and a whitespace-normalised copy with a map back to
// the original offsets. Each part is built once, on first use, in linear time, so
// N anchors in one file cost one scan plus N searches instead of N scans.
//
// Positions are VS Code's: a zero-based line and a UTF-16 character offset inside
// the line, line breaks being \r\n, \n or \r.

export interface TextPosition {
  line: number;
  character: number;
}

export interface TextRange {
  start: TextPosition;
  end: TextPosition;
}

export interface Heading {
  /** Zero-based line of the heading. */
  line: number;
  /** 1 to 6 (the number of `#`). */
  level: number;
  /** The heading's text, closing `#`s removed, whitespace runs made single spaces. */
  text: string;
  /** Index among the headings of the same level and text, in document order. */
  occurrence: number;
}

export interface NormalizedText {
  /** The non-whitespace runs of the text, joined by single spaces. */
  text: string;
  /** For each UTF-16 unit of `text`, its offset in the original (a space: where its whitespace run began). */
  map: Int32Array;
}

export interface TextIndex {
  readonly text: string;
  /** Offset where each line begins. */
  readonly lineStarts: readonly number[];
  readonly lineCount: number;
  /** Offset of the end of `line`, before its line break. */
  lineEnd(line: number): number;
  /** The offset of a position, or undefined when the position is not in the text. */
  offsetAt(position: TextPosition): number | undefined;
  /** The position of an offset (clamped to the text). */
  positionAt(offset: number): TextPosition;
  /** ATX headings in document order (built on first use). */
  headings(): readonly Heading[];
  /** The whitespace-normalised text (built on first use). */
  normalized(): NormalizedText;
}

/** The text's non-whitespace runs joined by single spaces: what hashes and matching compare. */
export function normalizeText(text: string): string {
  return (text.match(/\S+/g) ?? []).join(' ');
}

/**
 * Whether two texts have the same words: normalizeText(a) === normalizeText(b), without
 * building either string (the Projects view and the lenses compare every source on
 * every edit).
 */
export function sameWords(a: string, b: string): boolean {
  let i = skipSpace(a, 0);
  let j = skipSpace(b, 0);
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    const wa = isSpace(ca);
    if (wa || isSpace(cb)) {
      if (!wa || !isSpace(cb)) return false;
      i = skipSpace(a, i);
      j = skipSpace(b, j);
    } else if (ca !== cb) {
      return false;
    } else {
      i++;
      j++;
    }
  }
  return skipSpace(a, i) === a.length && skipSpace(b, j) === b.length;
}

/** The characters of the regular expression class \s. */
function isSpace(c: number): boolean {
  return (
    c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

function skipSpace(s: string, i: number): number {
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  return i;
}

export function indexText(text: string): TextIndex {
  return new Index(text);
}

/** An index as given, or a new one for a string. */
export function asIndex(doc: string | TextIndex): TextIndex {
  return typeof doc === 'string' ? indexText(doc) : doc;
}

/** The text between two positions, or undefined when the range is not inside the text or is reversed. */
export function textInRange(doc: string | TextIndex, range: TextRange): string | undefined {
  const index = asIndex(doc);
  const start = index.offsetAt(range.start);
  const end = index.offsetAt(range.end);
  if (start === undefined || end === undefined || end < start) return undefined;
  return index.text.slice(start, end);
}

export function rangeOf(index: TextIndex, start: number, end: number): TextRange {
  return { start: index.positionAt(start), end: index.positionAt(end) };
}

/** The first line after `heading`'s section: the next heading of the same or a higher level, else the line count. */
export function sectionEndLine(index: TextIndex, heading: Heading): number {
  const all = index.headings();
  for (let i = upperBound(all, heading.line); i < all.length; i++) {
    if (all[i].level <= heading.level) return all[i].line;
  }
  return index.lineCount;
}

/** The nearest heading on a line before `line`, if any. */
export function headingAbove(index: TextIndex, line: number): Heading | undefined {
  const all = index.headings();
  const i = lowerBound(all, line) - 1;
  return i >= 0 ? all[i] : undefined;
}

/** First index whose heading line is >= line. */
function lowerBound(all: readonly Heading[], line: number): number {
  let lo = 0;
  let hi = all.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (all[mid].line < line) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose heading line is > line. */
function upperBound(all: readonly Heading[], line: number): number {
  return lowerBound(all, line + 1);
}

class Index implements TextIndex {
  readonly lineStarts: number[];
  private headingList: Heading[] | undefined;
  private norm: NormalizedText | undefined;

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  lineEnd(line: number): number {
    if (line + 1 >= this.lineStarts.length) return this.text.length;
    let end = this.lineStarts[line + 1];
    if (this.text.charCodeAt(end - 1) === 10) end--;
    if (this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  offsetAt(p: TextPosition): number | undefined {
    if (!Number.isInteger(p.line) || !Number.isInteger(p.character) || p.line < 0 || p.character < 0) return undefined;
    if (p.line >= this.lineStarts.length) return undefined;
    const start = this.lineStarts[p.line];
    if (p.character > this.lineEnd(p.line) - start) return undefined;
    return start + p.character;
  }

  positionAt(offset: number): TextPosition {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.lineStarts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: Math.min(o, this.lineEnd(lo)) - this.lineStarts[lo] };
  }

  headings(): readonly Heading[] {
    this.headingList ??= scanHeadings(this);
    return this.headingList;
  }

  normalized(): NormalizedText {
    this.norm ??= buildNormalized(this.text);
    return this.norm;
  }
}

function buildNormalized(text: string): NormalizedText {
  const pieces: string[] = [];
  const map = new Int32Array(text.length);
  let n = 0;
  const re = /\S+/g;
  let prevEnd = -1;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (prevEnd >= 0) {
      pieces.push(' ');
      map[n++] = prevEnd;
    }
    pieces.push(m[0]);
    for (let k = 0; k < m[0].length; k++) map[n++] = m.index + k;
    prevEnd = m.index + m[0].length;
  }
  return { text: pieces.join(''), map: map.subarray(0, n) };
}

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$/;
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const HTML_BLOCK_OPEN = /^ {0,3}<(!--|pre\b|script\b|style\b|textarea\b)/i;

/**
 * ATX headings (`#` to `######` then a space or the line end), skipping YAML or TOML
 * front matter at the very top, fenced code blocks (``` or ~~~; an unclosed fence runs
 * to the end, as in CommonMark) and HTML comment, pre, script, style and textarea
 * blocks. Setext headings (underlined) are not headings here.
 */
function scanHeadings(index: TextIndex): Heading[] {
  const out: Heading[] = [];
  const seen = new Map<string, number>();
  const lineText = (i: number) => index.text.slice(index.lineStarts[i], index.lineEnd(i));
  let i = frontMatterEnd(index.lineCount, lineText);
  while (i < index.lineCount) {
    const line = lineText(i);
    const fence = FENCE_OPEN.exec(line);
    if (fence && !(fence[1][0] === '`' && fence[2].includes('`'))) {
      i = fenceEnd(i, fence[1], index.lineCount, lineText);
      continue;
    }
    const html = HTML_BLOCK_OPEN.exec(line);
    if (html) {
      i = htmlBlockEnd(i, html[1].toLowerCase(), index.lineCount, lineText);
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      const text = normalizeText(stripClosingHashes(atx[2] ?? ''));
      const key = `${atx[1].length} ${text}`;
      const occurrence = seen.get(key) ?? 0;
      seen.set(key, occurrence + 1);
      out.push({ line: i, level: atx[1].length, text, occurrence });
    }
    i++;
  }
  return out;
}

function stripClosingHashes(content: string): string {
  // "Title ##" -> "Title"; "##" alone -> ""; "Title#" keeps its '#' (no space before it).
  if (/^#+$/.test(content)) return '';
  return content.replace(/[ \t]+#+$/, '');
}

/** The first line after front matter (`---` ... `---`/`...`, or `+++` ... `+++`), or 0 when there is none. */
function frontMatterEnd(count: number, lineText: (i: number) => string): number {
  if (count === 0) return 0;
  const first = lineText(0).trimEnd();
  if (first !== '---' && first !== '+++') return 0;
  for (let i = 1; i < count; i++) {
    const l = lineText(i).trimEnd();
    if (l === first || (first === '---' && l === '...')) return i + 1;
  }
  return 0;
}

/** The line after the fence that closes the one opened at `open` (the line count when it is never closed). */
function fenceEnd(open: number, marker: string, count: number, lineText: (i: number) => string): number {
  const close = new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}[ \\t]*$`);
  for (let i = open + 1; i < count; i++) if (close.test(lineText(i))) return i + 1;
  return count;
}

function htmlBlockEnd(open: number, kind: string, count: number, lineText: (i: number) => string): number {
  const end = kind === '!--' ? '-->' : `</${kind}>`;
  for (let i = open; i < count; i++) {
    const l = i === open ? lineText(i).replace(/^ {0,3}<!--/, '    ') : lineText(i);
    if (l.toLowerCase().includes(end)) return i + 1;
  }
  return count;
}
