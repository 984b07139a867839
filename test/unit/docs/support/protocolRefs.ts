// Finds the `§` references in the project's files and checks them against the
// section headings of docs/protocol.md; also finds mentions of the protocol
// document's old home outside the repository. Pure functions over text plus one
// directory walker, so the tests can feed them a fake tree.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Section number ("4.9") → the lines between its heading and the next heading. */
export type ProtocolIndex = Map<string, string[]>;

export interface ParsedProtocol {
  sections: ProtocolIndex;
  /** Section numbers that have more than one heading. */
  duplicates: string[];
}

/** A heading that defines a section: `## §4`, `### §4.9 Title` (any level). */
const SECTION_HEADING = /^#{1,6}[ \t]+§(\d+(?:\.\d+)*)(?=[ \t]|$)/;
const ANY_HEADING = /^#{1,6}[ \t]/;
const FENCE = /^[ \t]*(```|~~~)/;

export function parseProtocol(markdown: string): ParsedProtocol {
  const sections: ProtocolIndex = new Map();
  const duplicates: string[] = [];
  let body: string[] | undefined;
  let inFence = false;
  for (const line of markdown.split(/\r?\n/)) {
    if (FENCE.test(line)) inFence = !inFence;
    if (!inFence && ANY_HEADING.test(line)) {
      const m = SECTION_HEADING.exec(line);
      body = undefined;
      if (m) {
        if (sections.has(m[1])) duplicates.push(m[1]);
        body = [];
        sections.set(m[1], body);
      }
      continue;
    }
    body?.push(line);
  }
  return { sections, duplicates };
}

export interface SectionRef {
  file: string;
  line: number;
  /** Every section the reference names: one, or both ends of a range like `§4.5–4.10`. */
  sections: string[];
  /** Rows or list items named after the section: `U5`, `item 18`, `rule 8`, `step 6`. */
  subItems: string[];
  /** The reference as written, for messages. */
  text: string;
}

// §N(.M)*, an optional range end (–N.M or -§N.M, no spaces), optional sub-items on the same line.
const REF = /§(\d+(?:\.\d+)*)(?:[–-]§?(\d+(?:\.\d+)*))?((?:[ \t]+(?:U\d+(?:\/U\d+)*|(?:item|rule|step)[ \t]+\d+))?)/g;

/**
 * What comes right before a `§` when it belongs to another document: a file name
 * (`contracts.md §2`), an RFC (`RFC 9110 §10.2.3`), or a project note named
 * without its extension (`anchors §3.4`). `nemo-api.md` and `protocol.md` are ours.
 */
const QUALIFIER = /(?:([\w./-]+\.md)|(RFC)[ \t]*\d+|\b(anchors|design|contracts))[`'")\]]?[ \t]*$/i;
const OUR_DOC = /(?:^|\/)(?:nemo-api|protocol)\.md$/i;

export function isForeignQualifier(textBefore: string): boolean {
  const q = QUALIFIER.exec(textBefore);
  if (!q) return false;
  return q[1] === undefined || !OUR_DOC.test(q[1]);
}

/** The protocol references in one file's text. References to other documents are left out. */
export function findSectionRefs(text: string, file: string): SectionRef[] {
  const refs: SectionRef[] = [];
  text.split(/\r?\n/).forEach((lineText, i) => {
    for (const m of lineText.matchAll(REF)) {
      if (isForeignQualifier(lineText.slice(0, m.index))) continue;
      const sub = m[3].trim();
      const subItems = sub === '' ? [] : /^U/.test(sub) ? sub.split('/') : [sub.replace(/[ \t]+/, ' ')];
      refs.push({ file, line: i + 1, sections: m[2] ? [m[1], m[2]] : [m[1]], subItems, text: m[0].trim() });
    }
  });
  return refs;
}

function hasSubItem(body: string[], item: string): boolean {
  const [kind, n] = item.startsWith('U') ? ['row', item] : item.split(' ');
  const row = new RegExp(`^\\|\\s*${n}\\s*\\|`);
  const listItem = new RegExp(`^\\s*${n}\\.\\s`);
  if (kind === 'row' || kind === 'item') return body.some((l) => row.test(l));
  return body.some((l) => listItem.test(l));
}

/** One message per reference that names a missing section or a missing row/list item. */
export function unresolvedRefs(refs: SectionRef[], index: ProtocolIndex): string[] {
  const problems: string[] = [];
  for (const r of refs) {
    const where = `${r.file}:${r.line} "${r.text}"`;
    const missing = r.sections.filter((s) => !index.has(s));
    if (missing.length > 0) {
      problems.push(`${where}: no heading for ${missing.map((s) => `§${s}`).join(', ')}`);
      continue;
    }
    const body = index.get(r.sections[r.sections.length - 1]) ?? [];
    for (const item of r.subItems) {
      if (!hasSubItem(body, item)) problems.push(`${where}: §${r.sections[r.sections.length - 1]} has no ${item}`);
    }
  }
  return problems;
}

/** Names of the protocol document's old home outside the repository. */
const OUTSIDE = /(?:\.\.\/)+shared\b|\/work\/shared\b|\bnemo-api\.md\b/g;

export function outsidePathRefs(text: string, file: string): string[] {
  const hits: string[] = [];
  text.split(/\r?\n/).forEach((lineText, i) => {
    for (const m of lineText.matchAll(OUTSIDE)) hits.push(`${file}:${i + 1} "${m[0]}"`);
  });
  return hits;
}

const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.git', '.vscode-test', 'test-results', 'coverage']);
const SKIPPED_PATHS = new Set(['bench/results']);
const BINARY_EXT = /\.(png|jpe?g|gif|webp|ico|svgz|mp4|mov|webm|mkv|avi|mp3|wav|m4a|aac|vsix|zip|gz|tgz|woff2?|ttf|otf|pdf)$/i;

function isBinary(file: string): boolean {
  if (BINARY_EXT.test(file)) return true;
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(8192);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).includes(0);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Text files under `entries` (folders or single files, relative to `root`; '/'-separated
 * in the result), without dependency, build and result folders and without binary
 * files. Missing entries are skipped.
 */
export function listTextFiles(root: string, entries: string[]): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    const abs = path.join(root, rel);
    for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
      const childRel = `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name) && !SKIPPED_PATHS.has(childRel)) walk(childRel);
      } else if (e.isFile() && !isBinary(path.join(root, childRel))) {
        out.push(childRel);
      }
    }
  };
  for (const rel of entries) {
    const abs = path.join(root, rel);
    if (!fs.existsSync(abs)) continue;
    if (fs.statSync(abs).isDirectory()) walk(rel);
    else if (!isBinary(abs)) out.push(rel);
  }
  return out.sort();
}

export interface ScanResult {
  files: string[];
  refs: SectionRef[];
  /** References without a matching heading, row or list item (see unresolvedRefs). */
  unresolved: string[];
  /** Mentions of paths outside the repository (see outsidePathRefs). */
  outside: string[];
}

/** The whole check over a tree: `entries` under `root`, minus `exempt` files, against `protocolMarkdown`. */
export function scanProject(root: string, entries: string[], protocolMarkdown: string, exempt: (rel: string) => boolean = () => false): ScanResult {
  const { sections } = parseProtocol(protocolMarkdown);
  const files = listTextFiles(root, entries).filter((f) => !exempt(f));
  const refs: SectionRef[] = [];
  const outside: string[] = [];
  for (const f of files) {
    const text = fs.readFileSync(path.join(root, f), 'utf8');
    refs.push(...findSectionRefs(text, f));
    outside.push(...outsidePathRefs(text, f));
  }
  return { files, refs, unresolved: unresolvedRefs(refs, sections), outside };
}
