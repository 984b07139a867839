// One video project of a workspace, as stored: the server's ids, what the user saw
// (its title, its state, where its last export went) and where its text came from.
// The record has no field for a token or for server text the user was not shown, and
// every record read back (or given to the store) goes through `parseProjectRecord`,
// which drops any key it does not know and bounds every field.
import * as z from 'zod/mini';
import { lengthBetween as len, rule } from '../zodRule';
import { cleanTitle, historyFileFor, LEGACY_HISTORY_FILE, MAX_TITLE_CHARS, newProjectId } from './projectIds';
import { hashText, MAX_ANCHOR_TEXT_CHARS, type SourceAnchor } from './sourceAnchor';

export { cleanTitle, historyFileFor, LEGACY_HISTORY_FILE, MAX_TITLE_CHARS, newProjectId } from './projectIds';

/** The version of the record's shape; a record with a higher `v` was written by a newer NemoVideo. */
export const PROJECT_RECORD_VERSION = 1;

export const PROJECT_STATES = ['generating', 'ready', 'exported', 'text-changed', 'failed'] as const;
export type ProjectState = (typeof PROJECT_STATES)[number];

const MAX_FILE_CHARS = 4_096;
const MAX_URI_CHARS = 8_192;
const MAX_LINE = 10_000_000;

export interface ProjectExport {
  /** The exported file, as a URI string (file:, vscode-remote:, ...). */
  uri: string;
  /** When it was exported (ms since the epoch). */
  at: number;
  bytes: number;
}

export interface ProjectRecord {
  v: typeof PROJECT_RECORD_VERSION;
  /** Local id of the project (not the server's): letters, digits, `_` and `-`. */
  id: string;
  /** The server's session id: a decimal string, never a number (it exceeds 2^53). */
  sessionId: string;
  taskId: string;
  /** The API origin the session belongs to (a session means nothing to another backend). */
  origin?: string;
  title: string;
  createdAt: number;
  state: ProjectState;
  /** Where the project's text came from. */
  source?: SourceAnchor;
  lastExport?: ProjectExport;
  /** The project's chat history file: `chat-history-<id>.ndjson` (or the one file of earlier versions), in the extension's workspace storage. */
  historyFile: string;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const DECIMAL = /^[0-9]{1,40}$/;
const PRINTABLE = /^[\x21-\x7e]{1,200}$/;
/** Only names this module makes: a record cannot point the history anywhere else (no path, no device name). */
const HISTORY_FILE = /^chat-history(?:-[A-Za-z0-9_-]{1,64})?\.ndjson$/;
const HEX64 = /^[0-9a-f]{64}$/;
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

const matches = (re: RegExp, what: string) => rule<string>((s) => re.test(s), what);
const isInt = (min: number, max: number) => rule<number>((n) => Number.isSafeInteger(n) && n >= min && n <= max, `an integer from ${min} to ${max}`);
const timestamp = z.number().check(isInt(0, 8_640_000_000_000_000));

const position = z.object({ line: z.number().check(isInt(0, MAX_LINE)), character: z.number().check(isInt(0, MAX_LINE)) });
const range = z.object({ start: position, end: position }).check(
  rule((r) => r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character), 'range ends before it starts'),
);

const anchorSchema = z
  .object({
    file: z.string().check(len(1, MAX_FILE_CHARS), rule((s) => !CONTROL.test(s), 'control character in the file name')),
    range,
    text: z.string().check(len(1, MAX_ANCHOR_TEXT_CHARS), rule((s) => /\S/.test(s), 'blank text')),
    hash: z.string().check(matches(HEX64, 'not a SHA-256 hex digest')),
    markdown: z.boolean(),
    heading: z.optional(
      z.object({
        text: z.string().check(len(0, 1_000)),
        level: z.number().check(isInt(1, 6)),
        line: z.number().check(isInt(0, MAX_LINE)),
        occurrence: z.number().check(isInt(0, MAX_LINE)),
      }),
    ),
    coversSection: z.optional(z.boolean()),
  })
  .check(rule((a) => hashText(a.text) === a.hash, 'the hash is not the hash of the text'));

const exportSchema = z.object({
  uri: z.string().check(len(1, MAX_URI_CHARS), matches(URI, 'not a URI')),
  at: timestamp,
  bytes: z.number().check(isInt(0, Number.MAX_SAFE_INTEGER)),
});

const recordSchema = z.object({
  v: z.literal(PROJECT_RECORD_VERSION),
  id: z.string().check(matches(ID, 'not a project id')),
  sessionId: z.string().check(matches(DECIMAL, 'not a decimal session id')),
  taskId: z.string().check(matches(PRINTABLE, 'not a task id')),
  origin: z.optional(z.string().check(len(1, 2_048), rule(isOrigin, 'not an origin'))),
  title: z.string().check(len(1, MAX_TITLE_CHARS), rule((s) => !CONTROL.test(s) && s.trim() === s, 'title not clean')),
  createdAt: timestamp,
  state: z.union([z.literal('generating'), z.literal('ready'), z.literal('exported'), z.literal('text-changed'), z.literal('failed')]),
  source: z.optional(anchorSchema),
  lastExport: z.optional(exportSchema),
  historyFile: z.string().check(matches(HISTORY_FILE, 'not a chat history file name')),
});

export type ParsedRecord = { ok: true; record: ProjectRecord } | { ok: false; reason: string; newerVersion?: boolean };

/**
 * A stored or given record, validated and with only the known keys (in a fresh object).
 * `reason` says what was wrong, naming the field but never its value.
 */
export function parseProjectRecord(value: unknown): ParsedRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: 'not an object' };
  const v = (value as { v?: unknown }).v;
  if (typeof v === 'number' && Number.isFinite(v) && v > PROJECT_RECORD_VERSION) {
    return { ok: false, reason: `written by a newer version of NemoVideo (record version ${v})`, newerVersion: true };
  }
  if (v !== PROJECT_RECORD_VERSION) return { ok: false, reason: 'unknown record version' };
  const parsed = recordSchema.safeParse(value);
  if (!parsed.success) return { ok: false, reason: describe(parsed.error.issues) };
  return { ok: true, record: parsed.data as ProjectRecord };
}

function describe(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  return issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || '(record)'}: ${i.message}`)
    .join('; ');
}

function isOrigin(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === s;
  } catch {
    return false;
  }
}

export interface NewProjectInput {
  sessionId: string;
  taskId: string;
  title: string;
  origin?: string;
  source?: SourceAnchor;
  state?: ProjectState;
  /** Default: newProjectId(). */
  id?: string;
  /** Default: historyFileFor(id). */
  historyFile?: string;
}

/** A new record (state 'generating' unless given), validated: throws a TypeError naming the field that is wrong. */
export function newProjectRecord(input: NewProjectInput, now: number): ProjectRecord {
  const id = input.id ?? newProjectId();
  const record = {
    v: PROJECT_RECORD_VERSION,
    id,
    sessionId: input.sessionId,
    taskId: input.taskId,
    ...(input.origin !== undefined ? { origin: input.origin } : {}),
    title: cleanTitle(input.title),
    createdAt: now,
    state: input.state ?? 'generating',
    ...(input.source ? { source: input.source } : {}),
    historyFile: input.historyFile ?? historyFileFor(id),
  };
  return validRecord(record);
}

/** The record validated and reduced to its known keys; throws a TypeError naming the field that is wrong. */
export function validRecord(value: unknown): ProjectRecord {
  const parsed = parseProjectRecord(value);
  if (!parsed.ok) throw new TypeError(`Not a valid project record: ${parsed.reason}`);
  return parsed.record;
}

/**
 * Projects kept by earlier versions: one current project per API origin in workspace
 * state (`{ [origin]: { sessionId, taskId, title?, createdAt } }`). Each valid entry
 * becomes a 'ready' record; the one of `currentOrigin` keeps the single chat history
 * file of those versions (`chat-history.ndjson`). Invalid entries are left out and
 * reported in `skipped` (reasons without values).
 */
export function migrateLegacyProjects(
  value: unknown,
  options: { currentOrigin?: string; now: number; newId?: () => string },
): { records: ProjectRecord[]; skipped: string[] } {
  const records: ProjectRecord[] = [];
  const skipped: string[] = [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { records, skipped: value === undefined ? [] : ['not an object'] };
  for (const [origin, entry] of Object.entries(value as Record<string, unknown>).slice(0, 100)) {
    const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const id = (options.newId ?? newProjectId)();
    const title = typeof e.title === 'string' && cleanTitle(e.title) ? cleanTitle(e.title) : 'Video project';
    const parsed = parseProjectRecord({
      v: PROJECT_RECORD_VERSION,
      id,
      sessionId: e.sessionId,
      taskId: e.taskId,
      origin,
      title,
      createdAt: typeof e.createdAt === 'number' ? e.createdAt : options.now,
      state: 'ready',
      historyFile: origin === options.currentOrigin ? LEGACY_HISTORY_FILE : historyFileFor(id),
    });
    if (parsed.ok) records.push(parsed.record);
    else skipped.push(parsed.reason);
  }
  return { records, skipped };
}
