// What changed between two session states, as short plain lines for the chat. Used when an edit
// run ends without any text (~30% of edits, §4.9) and after disconnect recovery (§4.10).
import type { SessionState } from '../api/types';
import { buildTimeline } from './build';
import { newMediaItems, readMediaItems, type MediaItem } from './media';
import type { Segment, Timeline, Track } from './model';
import { describeSegment, describeSegments, formatRange, formatSeconds, segmentLabel } from './summary';

/** More lines than this would bury the point; the rest is counted in one closing line. */
export const MAX_DIFF_LINES = 12;
/** Per track: beyond this many segment changes the track gets one "N segments changed" line. */
const MAX_SEGMENT_LINES_PER_TRACK = 3;
const MAX_MEDIA_LINES = 3;

const DONE = '✅';

export function diffStates(before: SessionState | undefined, after: SessionState): string[] {
  try {
    const old = buildTimeline(before?.draft);
    const now = buildTimeline(after?.draft);
    const lines = [
      ...diffDraftFacts(old, now),
      ...diffTracks(old.tracks, now.tracks),
      ...mediaLines('Media added', readMediaItems(before?.videoInfos), readMediaItems(after?.videoInfos)),
      ...mediaLines('Generated', readMediaItems(before?.generatedMedia), readMediaItems(after?.generatedMedia)),
    ];
    const capped = lines.length > MAX_DIFF_LINES ? [...lines.slice(0, MAX_DIFF_LINES - 1), `…and ${lines.length - (MAX_DIFF_LINES - 1)} more changes`] : lines;
    // Readiness is the line the user acts on, so it is never cut off.
    if (now.exportable && !old.exportable) capped.push(`${DONE} Video ready to export (${readyDetails(now)})`);
    return capped;
  } catch {
    return [];
  }
}

function diffDraftFacts(old: Timeline, now: Timeline): string[] {
  const lines: string[] = [];
  if (old.title !== undefined && now.title !== undefined && old.title !== now.title) {
    lines.push(`${DONE} Project title: "${old.title}" → "${now.title}"`);
  }
  const oldSize = sizeOf(old);
  const newSize = sizeOf(now);
  if (oldSize !== undefined && newSize !== undefined && oldSize !== newSize) lines.push(`${DONE} Size: ${oldSize} → ${newSize}`);
  if (old.durationMs !== undefined && now.durationMs !== undefined && formatSeconds(old.durationMs) !== formatSeconds(now.durationMs)) {
    lines.push(`${DONE} Length: ${formatSeconds(old.durationMs)}s → ${formatSeconds(now.durationMs)}s`);
  }
  return lines;
}

function sizeOf(t: Timeline): string | undefined {
  return t.width !== undefined && t.height !== undefined ? `${t.width}×${t.height}` : undefined;
}

function readyDetails(t: Timeline): string {
  const parts: string[] = [];
  if (t.durationMs !== undefined) parts.push(`${formatSeconds(t.durationMs)}s`);
  parts.push(`${t.tracks.length} ${t.tracks.length === 1 ? 'track' : 'tracks'}`);
  return parts.join(', ');
}

/**
 * Tracks are paired by type and order within that type (the 2nd audio track before with the 2nd
 * audio track after), so inserting a title track does not make every later track look replaced.
 */
function diffTracks(oldTracks: Track[], newTracks: Track[]): string[] {
  const oldByType = groupByType(oldTracks);
  const lines: string[] = [];
  const seen = new Map<string, number>();
  for (const track of newTracks) {
    const type = typeKey(track);
    const nth = seen.get(type) ?? 0;
    seen.set(type, nth + 1);
    const previous = oldByType.get(type)?.[nth];
    if (previous === undefined) {
      lines.push(track.segments.length > 0 ? `${DONE} ${track.title} added: ${describeSegments(track)}` : `${DONE} ${track.title} track added`);
    }
    else lines.push(...diffSegments(previous, track));
  }
  for (const [type, tracks] of oldByType) {
    for (const track of tracks.slice(seen.get(type) ?? 0)) {
      lines.push(`${DONE} ${track.title} removed${track.segments.length > 0 ? `: ${describeSegments(track)}` : ''}`);
    }
  }
  return lines;
}

function typeKey(track: Track): string {
  return String(track.trackType ?? '?');
}

function groupByType(tracks: Track[]): Map<string, Track[]> {
  const groups = new Map<string, Track[]>();
  for (const track of tracks) groups.set(typeKey(track), [...(groups.get(typeKey(track)) ?? []), track]);
  return groups;
}

/** Segments are paired by position: the draft keeps them in timeline order. */
function diffSegments(old: Track, now: Track): string[] {
  const lines: string[] = [];
  const count = Math.max(old.segments.length, now.segments.length);
  for (let i = 0; i < count; i++) {
    const a = old.segments[i];
    const b = now.segments[i];
    if (a === undefined && b !== undefined) lines.push(`${DONE} ${now.title}: added ${describeSegment(now, b)}`);
    else if (a !== undefined && b === undefined) lines.push(`${DONE} ${now.title}: removed ${describeSegment(old, a)}`);
    else if (a !== undefined && b !== undefined) {
      const line = segmentChange(now, a, b);
      if (line !== undefined) lines.push(line);
    }
  }
  if (lines.length > MAX_SEGMENT_LINES_PER_TRACK) return [`${DONE} ${now.title}: ${lines.length} segments changed`];
  return lines;
}

function segmentChange(track: Track, a: Segment, b: Segment): string | undefined {
  const oldRange = formatRange(a.startMs, a.durationMs);
  const newRange = formatRange(b.startMs, b.durationMs);
  const volumeChanged = a.volumePercent !== b.volumePercent && track.kind === 'audio';
  if (a.label !== b.label) {
    const timingSame = oldRange === newRange && !volumeChanged;
    return timingSame
      ? `${DONE} ${track.title}: ${segmentLabel(track, a)} → ${segmentLabel(track, b)}`
      : `${DONE} ${track.title}: ${describeSegment(track, a)} → ${describeSegment(track, b)}`;
  }
  const changes: string[] = [];
  if (oldRange !== newRange) changes.push(`${oldRange} → ${newRange}`);
  if (volumeChanged) changes.push(`volume ${a.volumePercent ?? '?'}% → ${b.volumePercent ?? '?'}%`);
  const label = segmentLabel(track, b);
  if (changes.length > 0) return `${DONE} ${track.title}: ${label} ${changes.join(', ')}`;
  // Style edits ("make it red") change only metadata: say that something happened.
  if (a.url !== b.url || stableJson(a.meta) !== stableJson(b.meta)) return `${DONE} ${track.title}: ${label} updated`;
  return undefined;
}

function stableJson(meta: Record<string, unknown>): string {
  return JSON.stringify(Object.keys(meta).sort().map((k) => [k, meta[k]]));
}

function mediaLines(heading: string, before: MediaItem[], after: MediaItem[]): string[] {
  const added = newMediaItems(before, after);
  const lines = added.slice(0, MAX_MEDIA_LINES).map((item) => `${DONE} ${heading}: ${describeMedia(item)}`);
  if (added.length > MAX_MEDIA_LINES) lines.push(`${DONE} ${heading}: ${added.length - MAX_MEDIA_LINES} more`);
  return lines;
}

function describeMedia(item: MediaItem): string {
  const details: string[] = [];
  if (item.fileType !== undefined) details.push(item.fileType);
  if (item.durationSeconds !== undefined) details.push(`${formatSeconds(item.durationSeconds * 1000)}s`);
  return details.length > 0 ? `${item.name} (${details.join(', ')})` : item.name;
}
