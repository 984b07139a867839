// Where a video's text came from, and where that text is now.
//
// An anchor remembers the file, the range, the original text, a hash of it and (in
// Markdown) its heading: the nearest heading above it whose section holds all of it
// (a selection that takes in a `##` heading is held by the `#` above). Nothing is
// written into the user's file. `locate` finds the text again in the file's current
// content by these rules, in this order, and reports no range rather than a range
// that is not where the source is:
//
//  0. A whole section (an anchor made from all of a section's text, e.g. a storyboard
//     scene) whose heading is still there and the only one with its level and text:
//     the section's body now -> 'unchanged' when it is the original (whitespace
//     aside), else 'changed'; a paragraph added to the scene changes the scene.
//  1. In place: the text at the old range is the original (whitespace aside)
//     -> 'unchanged' at the old range.
//  2. Moved: the original text occurs elsewhere (exactly, else whitespace aside)
//     -> 'unchanged' at the occurrence nearest to where it should be: the old
//     start line, shifted by as many lines as its heading moved.
//  3. Edited inside: only within the enclosing section, which is the section of the
//     anchor's heading when that heading is still there (same level, same text,
//     same occurrence among equal headings), or the whole file when the anchor had
//     no heading. If the heading is gone, so is the anchor: 'moved-or-deleted'.
//     a. Edges: the first W and the last W words of the original (W = a quarter of
//        its words, 1 to 4) are found in that order in the section, neither inside
//        a longer word, nearest to the expected line, spanning between half and
//        twice the original word count (plus 8) -> 'changed' from the first edge
//        to the last.
//     b. Whole section: when the original was the whole body of its section (a
//        storyboard scene, or a selection of all of it), the heading is the only
//        one with its level and text, and the body still has text -> 'changed' at
//        the current body.
//  4. Otherwise 'moved-or-deleted' without a range: a paragraph deleted from a
//     section that remains is gone, not "the section".
//
// Whitespace never counts: hashes and comparisons use the text's words (its
// non-whitespace runs) joined by single spaces, so re-indenting, re-wrapping, line
// ending changes and blank lines added or removed change nothing.
import { createHash } from 'node:crypto';
import {
  asIndex,
  headingAbove,
  normalizeText,
  rangeOf,
  sameWords,
  sectionEndLine,
  textInRange,
  type Heading,
  type TextIndex,
  type TextRange,
} from './textIndex';

export { indexText, normalizeText, textInRange, type TextIndex, type TextPosition, type TextRange } from './textIndex';

/** Longest source text an anchor keeps (the longest selection the extension generates from). */
export const MAX_ANCHOR_TEXT_CHARS = 20_000;

export interface AnchorHeading {
  text: string;
  level: number;
  /** Its line when the anchor was made. */
  line: number;
  /** Index among the headings of the same level and text when the anchor was made. */
  occurrence: number;
}

export interface SourceAnchor {
  /** Workspace-relative path or URI string, as the caller chose. */
  file: string;
  range: TextRange;
  /** The original text. */
  text: string;
  /** hashText(text). */
  hash: string;
  /** Markdown headings anchor it (false for other files: a `#` line there is not a heading). */
  markdown: boolean;
  /** The nearest heading above the start whose section holds the whole text (Markdown only). */
  heading?: AnchorHeading;
  /** The text was the whole body of its section (or of the file, when there is no heading). */
  coversSection?: boolean;
}

export type LocateStatus = 'unchanged' | 'changed' | 'moved-or-deleted';
/** How the range was found: rules 1, 2, 3a and 3b above. */
export type LocateMatch = 'in-place' | 'moved' | 'edges' | 'section';

export interface LocatedHeading {
  text: string;
  level: number;
  line: number;
}

export type LocateResult =
  | { status: 'unchanged' | 'changed'; range: TextRange; match: LocateMatch; heading?: LocatedHeading }
  | { status: 'moved-or-deleted'; range?: undefined; match?: undefined; heading?: undefined };

/** Hex SHA-256 of the text's words joined by single spaces: whitespace-only edits keep the hash. */
export function hashText(text: string): string {
  return createHash('sha256').update(normalizeText(text), 'utf8').digest('hex');
}

/** Markdown by file name (`.md`, `.markdown`, `.mdx`, ...); works for paths and URI strings. */
export function isMarkdownFile(file: string): boolean {
  return /\.(md|markdown|mdown|mkdn|mkd|mdx|qmd)$/i.test(file.replace(/[?#].*$/, ''));
}

export interface CreateAnchorInput {
  file: string;
  /** The document's whole current text (or its index). */
  document: string | TextIndex;
  range: TextRange;
  /** Whether headings anchor it; default: by the file name. Pass the editor's language when known. */
  markdown?: boolean;
}

/** An anchor for `range` of the document. Throws a RangeError for a range outside the text, a blank text or one above MAX_ANCHOR_TEXT_CHARS. */
export function createAnchor(input: CreateAnchorInput): SourceAnchor {
  const index = asIndex(input.document);
  const text = textInRange(index, input.range);
  if (text === undefined) throw new RangeError('The range is not inside the document.');
  if (!/\S/.test(text)) throw new RangeError('The selected text is empty.');
  if (text.length > MAX_ANCHOR_TEXT_CHARS) throw new RangeError(`The selected text is longer than ${MAX_ANCHOR_TEXT_CHARS} characters.`);
  const markdown = input.markdown ?? isMarkdownFile(input.file);
  const range = copyRange(input.range);
  const anchor: SourceAnchor = { file: input.file, range, text, hash: hashText(text), markdown };
  const heading = markdown ? enclosingHeading(index, range) : undefined;
  if (heading) anchor.heading = { text: heading.text, level: heading.level, line: heading.line, occurrence: heading.occurrence };
  const [bodyStart, bodyEnd] = heading ? sectionBody(index, heading) : [0, index.text.length];
  if (normalizeText(index.text.slice(bodyStart, bodyEnd)) === normalizeText(text)) anchor.coversSection = true;
  return anchor;
}

/** The same anchor for a file that was renamed or moved. */
export function rebase(anchor: SourceAnchor, newFile: string): SourceAnchor {
  return { ...anchor, file: newFile, range: copyRange(anchor.range), ...(anchor.heading ? { heading: { ...anchor.heading } } : {}) };
}

/**
 * The anchor rebased when `from` (a file or a folder, as a path or URI string in the
 * anchor's own form) was renamed to `to`; undefined when the rename does not concern it.
 */
export function rebaseForRename(anchor: SourceAnchor, from: string, to: string): SourceAnchor | undefined {
  const a = trimSlash(from);
  const b = trimSlash(to);
  if (anchor.file === a) return rebase(anchor, b);
  if (a !== '' && anchor.file.startsWith(`${a}/`)) return rebase(anchor, b + anchor.file.slice(a.length));
  return undefined;
}

/** Where the anchor's text is in the document now; see the rules at the top of this file. */
export function locate(anchor: SourceAnchor, document: string | TextIndex): LocateResult {
  const index = asIndex(document);
  if (!/\S/.test(anchor.text)) return GONE;

  // 0. A whole section (a storyboard scene): the section is the source, so text added to it
  //    or taken from it anywhere is a change, even when the old range still holds the old text.
  if (anchor.markdown && anchor.coversSection && anchor.heading) {
    const section = findHeading(index, anchor.heading);
    if (section?.unique) {
      const body = trimmedSpan(index.text, ...sectionBody(index, section.heading));
      if (body) {
        const now = index.text.slice(body[0], body[1]);
        const same = now === anchor.text || sameWords(now, anchor.text);
        return found(index, anchor, same ? 'unchanged' : 'changed', rangeOf(index, body[0], body[1]), same ? 'in-place' : 'section');
      }
    }
  }

  // 1. In place.
  const atOld = textInRange(index, anchor.range);
  if (atOld !== undefined && (atOld === anchor.text || sameWords(atOld, anchor.text))) {
    return found(index, anchor, 'unchanged', copyRange(anchor.range), 'in-place');
  }

  const heading = anchor.markdown && anchor.heading ? findHeading(index, anchor.heading) : undefined;
  const expectedLine = anchor.range.start.line + (heading && anchor.heading ? heading.heading.line - anchor.heading.line : 0);

  // 2. Moved, unchanged.
  const needle = normalizeText(anchor.text);
  const moved = nearestExact(index, anchor.text, expectedLine) ?? nearestNormalized(index, needle, expectedLine);
  if (moved) return found(index, anchor, 'unchanged', rangeOf(index, moved[0], moved[1]), 'moved');

  // 3. Edited inside its section (the heading must still be there).
  if (anchor.markdown && anchor.heading && !heading) return GONE;
  const [regionStart, regionEnd] = heading ? sectionBody(index, heading.heading) : [0, index.text.length];
  const edges = findByEdges(index, needle, regionStart, regionEnd, expectedLine);
  if (edges) return found(index, anchor, 'changed', rangeOf(index, edges[0], edges[1]), 'edges');
  if (anchor.coversSection && (!heading || heading.unique)) {
    const body = trimmedSpan(index.text, regionStart, regionEnd);
    if (body) return found(index, anchor, 'changed', rangeOf(index, body[0], body[1]), 'section');
  }
  return GONE;
}

const GONE: LocateResult = Object.freeze({ status: 'moved-or-deleted' as const });

function found(index: TextIndex, anchor: SourceAnchor, status: 'unchanged' | 'changed', range: TextRange, match: LocateMatch): LocateResult {
  const result: LocateResult = { status, range, match };
  const h = anchor.markdown ? headingAbove(index, range.start.line) : undefined;
  if (h) result.heading = { text: h.text, level: h.level, line: h.line };
  return result;
}

/**
 * The heading of the smallest section that holds the whole range: the nearest heading
 * above the start line whose level is lower (fewer #) than every heading inside the range.
 */
function enclosingHeading(index: TextIndex, range: TextRange): Heading | undefined {
  const all = index.headings();
  let inside = 7;
  let above: Heading | undefined;
  for (const h of all) {
    if (h.line < range.start.line) above = h;
    else if (h.line < range.end.line || (h.line === range.end.line && range.end.character > 0)) inside = Math.min(inside, h.level);
    else break;
  }
  if (!above || above.level < inside) return above;
  for (let i = all.indexOf(above); i >= 0; i--) if (all[i].level < inside) return all[i];
  return undefined;
}

function findHeading(index: TextIndex, wanted: AnchorHeading): { heading: Heading; unique: boolean } | undefined {
  let match: Heading | undefined;
  let count = 0;
  for (const h of index.headings()) {
    if (h.level !== wanted.level || h.text !== wanted.text) continue;
    count++;
    if (h.occurrence === wanted.occurrence) match = h;
  }
  return match ? { heading: match, unique: count === 1 } : undefined;
}

/** Offsets of a heading's body: from the line after it to the next heading of the same or a higher level. */
function sectionBody(index: TextIndex, heading: Heading): [number, number] {
  const first = heading.line + 1;
  const end = sectionEndLine(index, heading);
  const start = first < index.lineCount ? index.lineStarts[first] : index.text.length;
  const stop = end < index.lineCount ? index.lineStarts[end] : index.text.length;
  return [start, Math.max(start, stop)];
}

/** Cap on the occurrences looked at per search: a very common short text is not worth more. */
const MAX_CANDIDATES = 10_000;

function nearestExact(index: TextIndex, text: string, expectedLine: number): [number, number] | undefined {
  let best: number | undefined;
  let bestDistance = Infinity;
  let seen = 0;
  for (let at = index.text.indexOf(text); at >= 0 && seen < MAX_CANDIDATES; at = index.text.indexOf(text, at + 1), seen++) {
    const d = Math.abs(index.positionAt(at).line - expectedLine);
    if (d < bestDistance) {
      best = at;
      bestDistance = d;
    }
  }
  return best === undefined ? undefined : [best, best + text.length];
}

function nearestNormalized(index: TextIndex, needle: string, expectedLine: number): [number, number] | undefined {
  const norm = index.normalized();
  let best: number | undefined;
  let bestDistance = Infinity;
  let seen = 0;
  for (let at = norm.text.indexOf(needle); at >= 0 && seen < MAX_CANDIDATES; at = norm.text.indexOf(needle, at + 1), seen++) {
    const d = Math.abs(index.positionAt(norm.map[at]).line - expectedLine);
    if (d < bestDistance) {
      best = at;
      bestDistance = d;
    }
  }
  return best === undefined ? undefined : [norm.map[best], norm.map[best + needle.length - 1] + 1];
}

/** Rule 3a: the original's first and last words, in order, with a plausible number of words between. */
function findByEdges(index: TextIndex, needle: string, regionStart: number, regionEnd: number, expectedLine: number): [number, number] | undefined {
  const words = needle.split(' ');
  const n = words.length;
  if (n < 2) return undefined;
  const w = Math.min(4, Math.max(1, Math.floor(n / 4)));
  const head = words.slice(0, w).join(' ');
  const tail = words.slice(n - w).join(' ');
  const minWords = Math.ceil(n / 2);
  const maxWords = 2 * n + 8;

  const norm = index.normalized();
  const from = firstAtOrAfter(norm.map, regionStart);
  const to = firstAtOrAfter(norm.map, regionEnd);
  const hay = norm.text;

  const starts: Array<{ at: number; distance: number }> = [];
  for (let at = hay.indexOf(head, from); at >= 0 && at + head.length <= to && starts.length < MAX_CANDIDATES; at = hay.indexOf(head, at + 1)) {
    if (!wordBounded(hay, at, at + head.length)) continue;
    starts.push({ at, distance: Math.abs(index.positionAt(norm.map[at]).line - expectedLine) });
  }
  starts.sort((a, b) => a.distance - b.distance || a.at - b.at);

  for (const { at } of starts.slice(0, 200)) {
    // Words are counted by the spaces between them; the window ends after maxWords words.
    let spaces = 0;
    let limit = at;
    while (limit < to && spaces < maxWords) {
      if (hay.charCodeAt(limit) === 32) spaces++;
      limit++;
    }
    const window = hay.slice(at, limit);
    let counted = 0;
    let wordsSoFar = 1;
    for (let e = window.indexOf(tail, head.length + 1); e >= 0; e = window.indexOf(tail, e + 1)) {
      const endAt = e + tail.length;
      if (!wordBounded(hay, at + e, at + endAt)) continue;
      for (; counted < endAt; counted++) if (window.charCodeAt(counted) === 32) wordsSoFar++;
      if (wordsSoFar > maxWords) break;
      if (wordsSoFar >= minWords) return [norm.map[at], norm.map[at + endAt - 1] + 1];
    }
  }
  return undefined;
}

/** First index i of the (non-decreasing) map with map[i] >= offset. */
function firstAtOrAfter(map: Int32Array, offset: number): number {
  let lo = 0;
  let hi = map.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (map[mid] < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The match [start, end) neither begins nor ends inside a longer word. */
function wordBounded(s: string, start: number, end: number): boolean {
  const inside = (i: number) => i > 0 && i < s.length && isWordChar(s[i - 1]) && isWordChar(s[i]);
  return !inside(start) && !inside(end);
}

function isWordChar(c: string): boolean {
  return /[\p{L}\p{N}_]/u.test(c);
}

function trimmedSpan(text: string, start: number, end: number): [number, number] | undefined {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text[s])) s++;
  while (e > s && /\s/.test(text[e - 1])) e--;
  return s < e ? [s, e] : undefined;
}

function copyRange(r: TextRange): TextRange {
  return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}

function trimSlash(s: string): string {
  return s.length > 1 && s.endsWith('/') ? s.slice(0, -1) : s;
}
