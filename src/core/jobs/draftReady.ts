// The export precondition of docs/protocol.md §5: a draft is ready to render when
// `draft.t` exists and at least one track has a non-empty `sg`.

/** The draft as an object: a JSON string (seen from some gateways) is parsed; anything else is returned as is. */
export function normalizeDraft(draft: unknown): unknown {
  if (typeof draft !== 'string') return draft;
  try {
    return JSON.parse(draft);
  } catch {
    return draft;
  }
}

export function isDraftExportable(draft: unknown): boolean {
  const d = normalizeDraft(draft);
  if (typeof d !== 'object' || d === null) return false;
  const tracks = (d as { t?: unknown }).t;
  if (!Array.isArray(tracks)) return false;
  return tracks.some((track) => {
    const segments = typeof track === 'object' && track !== null ? (track as { sg?: unknown }).sg : undefined;
    return Array.isArray(segments) && segments.length > 0;
  });
}
