// Export file names: "<title slug>-YYYY-MM-DD-HHMM.mp4", safe on Windows, macOS and Linux whatever
// the backend calls the project (for example "../", absolute paths, "con", 300-character names,
// control characters), and never overwriting an existing file.

/** Used when the title has nothing usable in it. */
export const FALLBACK_SLUG = 'nemovideo';
/**
 * Slug limits. Names must stay under 255 BYTES (ext4, APFS) including "-2026-11-24-0512.mp4" and a
 * " (9999)" from nextFreeName; Windows paths get long too. 100 bytes (~33 CJK characters) is ample.
 */
export const MAX_SLUG_BYTES = 100;
export const MAX_SLUG_CHARS = 60;

/** Windows refuses these as a file name, with or without an extension, in any case (also COM¹–COM³). */
const WINDOWS_RESERVED = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(?:\..*)?$/i;

export function exportFileName(title: string | undefined, when: Date): string {
  const slug = slugify(typeof title === 'string' ? title : '');
  const stamp = timestamp(when);
  return `${stamp === undefined ? slug : `${slug}-${stamp}`}.mp4`;
}

/**
 * Lowercase words joined by "-", keeping letters and digits of every script (CJK, Cyrillic, accents)
 * and dropping everything else: path separators, "..", ":*?\"<>|", control characters, emoji.
 * With only letters, digits and inner hyphens left, no leading/trailing dot or space can remain.
 */
export function slugify(title: string): string {
  const words = title
    .slice(0, 2000) // bound the work on hostile input; the slug keeps far less anyway
    .normalize('NFKC')
    .toLowerCase()
    .replace(/['’‘`]/g, '') // "Tom's trip" -> "toms-trip", not "tom-s-trip"
    .split(/[^\p{L}\p{N}\p{M}]+/u)
    .map((w) => w.replace(/^\p{M}+/u, '')) // a combining mark cannot start a word on its own
    .filter((w) => w !== '');
  let slug = capSlug(words.join('-'));
  if (slug === '') return FALLBACK_SLUG;
  if (WINDOWS_RESERVED.test(slug)) slug = `video-${slug}`;
  return slug.normalize('NFC');
}

/** Cuts at a character (grapheme) boundary so no half emoji or orphaned accent is left, then drops a trailing "-". */
function capSlug(slug: string): string {
  const encoder = new TextEncoder();
  let out = '';
  let bytes = 0;
  let chars = 0;
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(slug)) {
    const size = encoder.encode(segment).length;
    if (bytes + size > MAX_SLUG_BYTES || chars + 1 > MAX_SLUG_CHARS) break;
    out += segment;
    bytes += size;
    chars++;
  }
  return out.replace(/-+$/, '');
}

/** Local time, because that is what the user reads in their file explorer. */
function timestamp(when: Date): string | undefined {
  if (!(when instanceof Date) || Number.isNaN(when.getTime())) return undefined;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())}-${pad(when.getHours())}${pad(when.getMinutes())}`;
}

/** Far beyond any real folder; a guard against an `exists` that always says yes. */
export const MAX_NAME_ATTEMPTS = 10_000;

/**
 * `name` if free, else "x (2).mp4", "x (3).mp4"…: never an existing file. A name that already ends
 * in " (N)" continues from N ("x (2).mp4" taken -> "x (3).mp4", not "x (2) (2).mp4").
 * Rejects when no free name is found within MAX_NAME_ATTEMPTS.
 */
export async function nextFreeName(name: string, exists: (candidate: string) => boolean | Promise<boolean>): Promise<string> {
  if (!(await exists(name))) return name;
  const dot = name.lastIndexOf('.');
  const hasExtension = dot > 0 && dot < name.length - 1;
  const stem = hasExtension ? name.slice(0, dot) : name;
  const extension = hasExtension ? name.slice(dot) : '';
  const numbered = /^(.*) \((\d{1,6})\)$/.exec(stem);
  const base = numbered?.[1] !== undefined && numbered[1] !== '' ? numbered[1] : stem;
  const first = numbered?.[1] !== undefined && numbered[1] !== '' ? Number(numbered[2]) + 1 : 2;
  for (let n = Math.max(first, 2); n < first + MAX_NAME_ATTEMPTS; n++) {
    const candidate = `${base} (${n})${extension}`;
    if (!(await exists(candidate))) return candidate;
  }
  throw new Error(`No free file name found for "${name}" after ${MAX_NAME_ATTEMPTS} attempts.`);
}
