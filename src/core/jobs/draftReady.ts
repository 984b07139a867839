// The export precondition of docs/protocol.md §5, written once: a draft is ready to
// render when `draft.t` exists and at least one track has a non-empty `sg`. Some
// gateways hand the draft over as a JSON string; it is parsed here and nowhere else,
// for this check, for the timeline and for the render request alike.
import { NemoError } from '../errors';
import { prop, readArray } from '../timeline/read';

/** A JSON string draft above this size is not parsed (the documented draft is an object anyway). */
const MAX_DRAFT_STRING_CHARS = 10_000_000;
/** Tracks looked at for the rule: a hostile draft may hold millions. */
const MAX_TRACKS_CHECKED = 10_000;

export const NO_DRAFT_MESSAGE = 'There is no video to export yet. Generate one first.';

/** The draft as an object: a JSON object string is parsed; anything else is returned as is. */
export function normalizeDraft(draft: unknown): unknown {
  if (typeof draft !== 'string' || draft.length > MAX_DRAFT_STRING_CHARS || !draft.trimStart().startsWith('{')) return draft;
  try {
    return JSON.parse(draft) as unknown;
  } catch {
    return draft;
  }
}

/** §5 on the tracks (`draft.t`) of a draft already normalised. */
export function tracksExportable(tracks: unknown): boolean {
  return readArray(tracks, MAX_TRACKS_CHECKED).some((track) => {
    const segments = prop(track, 'sg');
    return Array.isArray(segments) && segments.length > 0;
  });
}

export function isDraftExportable(draft: unknown): boolean {
  return tracksExportable(prop(normalizeDraft(draft), 't'));
}

/**
 * The draft to render: `given` when it is exportable, else the session's current draft
 * (`fetchDraft`) when that is. Otherwise a noDraft error: there is nothing to export.
 */
export async function exportableDraft(given: unknown, fetchDraft: () => Promise<unknown>): Promise<unknown> {
  const draft = normalizeDraft(given);
  if (isDraftExportable(draft)) return draft;
  const current = normalizeDraft(await fetchDraft());
  if (isDraftExportable(current)) return current;
  throw new NemoError({ kind: 'noDraft', message: NO_DRAFT_MESSAGE, action: 'generateFirst' });
}
