// "Did the project change?" for disconnect recovery (§4.10: new video_infos,
// an updated draft). Compared structurally, because two fetches of the same
// state need not serialise their keys in the same order.
import type { SessionState } from '../api/types';

/** Nesting deeper than this is not a real timeline: such states count as changed. */
const MAX_DEPTH = 256;

export function sameProjectState(a: SessionState, b: SessionState): boolean {
  return (
    deepEqual(a.draft, b.draft, 0) &&
    deepEqual(a.videoInfos, b.videoInfos, 0) &&
    deepEqual(a.generatedMedia, b.generatedMedia, 0)
  );
}

/** True when a state holds anything at all (used when the state before the run is unknown). */
export function hasProjectContent(s: SessionState): boolean {
  const draft = s.draft;
  const draftHasContent = typeof draft === 'object' && draft !== null && Object.keys(draft).length > 0;
  return draftHasContent || s.videoInfos.length > 0 || s.generatedMedia.length > 0;
}

function deepEqual(a: unknown, b: unknown, depth: number): boolean {
  if (a === b) return true;
  if (depth > MAX_DEPTH) return false;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
  }
  const aIsArray = Array.isArray(a);
  if (aIsArray !== Array.isArray(b)) return false;
  if (aIsArray) {
    const bArr = b as unknown[];
    if (a.length !== bArr.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], bArr[i], depth + 1)) return false;
    return true;
  }
  const aObj = a as Record<string, unknown>;
  const bObj = b as Record<string, unknown>;
  const aKeys = Object.keys(aObj);
  if (aKeys.length !== Object.keys(bObj).length) return false;
  for (const key of aKeys) {
    if (!Object.prototype.hasOwnProperty.call(bObj, key)) return false;
    if (!deepEqual(aObj[key], bObj[key], depth + 1)) return false;
  }
  return true;
}
