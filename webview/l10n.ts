// Localised UI strings. The host sends a table keyed by the English source
// text (snapshot.strings, or the HTML bootstrap); anything missing falls back
// to the English key, so an incomplete table never shows blanks.
import type { UiString } from './strings';

let table = new Map<string, string>();
const relabelers: Array<() => void> = [];

export function setStrings(strings: Record<string, string>): void {
  // A Map, so keys such as "constructor" can never hit Object.prototype.
  const next = new Map(Object.entries(strings).filter(([, v]) => typeof v === 'string' && v.length > 0));
  if (sameTable(table, next)) return;
  table = next;
  for (const relabel of relabelers) relabel();
}

/** Translates `key`, filling {0}, {1}… from `args`. */
export function t(key: UiString, ...args: Array<string | number>): string {
  const text = table.get(key) ?? key;
  if (args.length === 0) return text;
  return text.replace(/\{(\d+)\}/g, (m, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : m));
}

/** Keeps a piece of static UI in the current language: runs now and whenever the table changes. */
export function localize(apply: () => void): void {
  apply();
  relabelers.push(apply);
}

function sameTable(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}
