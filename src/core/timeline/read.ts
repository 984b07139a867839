// Defensive readers for backend JSON whose shape is not documented (§16 U9/U10/U20).
// Every function accepts `unknown` and returns a clean value or undefined; none throws.

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a property without trusting the object (a throwing getter or proxy yields undefined). */
export function prop(obj: unknown, key: string): unknown {
  if (!isRecord(obj)) return undefined;
  try {
    return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
  } catch {
    return undefined;
  }
}

/** A finite number, also from a numeric string ("10000"), which loosely typed backends sometimes send. */
export function readNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) && value.length < 30) {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** Milliseconds we are willing to show: non-negative and below ~31 years (anything else is garbage). */
const MAX_SANE_MS = 1e12;

export function readMs(value: unknown): number | undefined {
  const n = readNumber(value);
  return n !== undefined && n >= 0 && n < MAX_SANE_MS ? n : undefined;
}

/** First key of `keys` on `obj` whose value is a usable millisecond count. */
export function firstMs(obj: unknown, keys: readonly string[]): number | undefined {
  for (const key of keys) {
    const n = readMs(prop(obj, key));
    if (n !== undefined) return n;
  }
  return undefined;
}

// C0/C1 controls, bidi overrides/isolates (they can make a label read backwards: "4pm.exe" tricks),
// line/paragraph separators and invisible characters (but not ZWJ/ZWNJ, which emoji and some scripts
// need). Labels are single-line display text.
const UNSAFE_CHAR_CLASS = '[\\p{Cc}\\u200B\\u200E\\u200F\\u2028-\\u202E\\u2060-\\u206F\\uFEFF]';
const UNSAFE_DISPLAY_CHARS = new RegExp(UNSAFE_CHAR_CLASS, 'gu');
const HAS_UNSAFE_CHAR = new RegExp(UNSAFE_CHAR_CLASS, 'u');

export const MAX_LABEL_CHARS = 200;

/** Makes text safe to show on one line: no control characters, collapsed whitespace, capped length. */
export function cleanDisplayText(value: string, maxChars = MAX_LABEL_CHARS): string {
  // Cap before the regex work so a 5 MB string costs little.
  const head = value.length > maxChars * 4 ? value.slice(0, maxChars * 4) : value;
  const cleaned = head.replace(UNSAFE_DISPLAY_CHARS, ' ').replace(/\s+/gu, ' ').trim();
  const chars = Array.from(cleaned);
  return chars.length > maxChars ? chars.slice(0, maxChars - 1).join('').trimEnd() + '…' : cleaned;
}

/** A non-empty display string from a string or a finite number; undefined otherwise. */
export function readText(value: unknown, maxChars = MAX_LABEL_CHARS): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const text = cleanDisplayText(value, maxChars);
  return text === '' ? undefined : text;
}

/** First key of `keys` on `obj` that holds usable text. */
export function firstText(obj: unknown, keys: readonly string[], maxChars = MAX_LABEL_CHARS): string | undefined {
  for (const key of keys) {
    const text = readText(prop(obj, key), maxChars);
    if (text !== undefined) return text;
  }
  return undefined;
}

/** Array elements, at most `max`, or [] when `value` is not an array. */
export function readArray(value: unknown, max: number): unknown[] {
  if (!Array.isArray(value)) return [];
  return value.length > max ? value.slice(0, max) : value;
}

const MAX_META_KEYS = 30;
const MAX_META_KEY_CHARS = 60;

/**
 * A flat copy of a metadata object for tooltips: primitive values only (strings cleaned and capped),
 * at most 30 keys. Nested objects are dropped because a tooltip cannot show them sensibly, and
 * `__proto__` is skipped so copying can never change the copy's prototype.
 */
export function flatMeta(value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!isRecord(value)) return out;
  let count = 0;
  let keys: string[];
  try {
    keys = Object.keys(value);
  } catch {
    return out;
  }
  for (const key of keys) {
    if (count >= MAX_META_KEYS) break;
    if (key === '__proto__' || key.length > MAX_META_KEY_CHARS) continue;
    const v = prop(value, key);
    let clean: unknown;
    if (typeof v === 'string') clean = cleanDisplayText(v);
    else if (typeof v === 'number') clean = Number.isFinite(v) ? v : undefined;
    else if (typeof v === 'boolean') clean = v;
    if (clean === undefined) continue;
    Object.defineProperty(out, cleanDisplayText(key, MAX_META_KEY_CHARS), { value: clean, enumerable: true, writable: true, configurable: true });
    count++;
  }
  return out;
}

/** http(s) URLs only: anything else (javascript:, file:, sandbox paths) is not a link we would offer. */
export function readHttpUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 2048) return undefined;
  const trimmed = value.trim();
  if (!/^https?:\/\//i.test(trimmed) || HAS_UNSAFE_CHAR.test(trimmed)) return undefined;
  try {
    return new URL(trimmed).href;
  } catch {
    return undefined;
  }
}
