// Text renderings of the Timeline model: the documented §5 summary line and its pieces,
// shared by the chat (summary), the state diff and the tree view (ranges).
import type { Segment, Timeline, Track } from './model';

/** Seconds with at most one decimal and no trailing ".0": 10000 -> "10", 2500 -> "2.5". */
export function formatSeconds(ms: number): string {
  const tenths = Math.round(ms / 100);
  return tenths % 10 === 0 ? String(tenths / 10) : (tenths / 10).toFixed(1);
}

/** "0-10s" (or "0–10s" with an en dash for display); "?" when either bound is unknown. */
export function formatRange(startMs: number | undefined, durationMs: number | undefined, dash: '-' | '–' = '-'): string {
  if (!isUsableMs(startMs) || !isUsableMs(durationMs)) return '?';
  return `${formatSeconds(startMs)}${dash}${formatSeconds(startMs + durationMs)}s`;
}

function isUsableMs(ms: number | undefined): ms is number {
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0;
}

/** Text segments are quoted (they are the words on screen); a missing label stays a bare "?". */
export function segmentLabel(track: Pick<Track, 'kind'>, segment: Segment): string {
  return track.kind === 'text' && segment.label !== '?' ? `"${segment.label}"` : segment.label;
}

/** `city timelapse (0-10s)`, `Lo-fi (0-10s, 35%)`, `"Urban Dreams" (0-3s)`. */
export function describeSegment(track: Pick<Track, 'kind'>, segment: Segment, dash: '-' | '–' = '-'): string {
  const details = [formatRange(segment.startMs, segment.durationMs, dash)];
  if (track.kind === 'audio' && segment.volumePercent !== undefined) details.push(`${segment.volumePercent}%`);
  return `${segmentLabel(track, segment)} (${details.join(', ')})`;
}

/** How many segments one summary line lists before "+N more": subtitle tracks can hold hundreds. */
export const SEGMENTS_PER_LINE = 3;

/** `city timelapse (0-10s)`; longer tracks list three segments and "+N more"; "(empty)" without any. */
export function describeSegments(track: Track): string {
  if (track.segments.length === 0) return '(empty)';
  const shown = track.segments.slice(0, SEGMENTS_PER_LINE).map((s) => describeSegment(track, s));
  const more = track.segments.length - shown.length;
  return `${shown.join(', ')}${more > 0 ? ` +${more} more` : ''}`;
}

/** `Video: city timelapse (0-10s)`. */
export function describeTrack(track: Track): string {
  return `${track.title}: ${describeSegments(track)}`;
}

/**
 * The documented one-line summary (§5), e.g.
 * `Timeline (3 tracks): 1. Video: city timelapse (0-10s) 2. BGM: Lo-fi (0-10s, 35%) 3. Title: "Urban Dreams" (0-3s)`.
 */
export function summarizeTimeline(t: Timeline): string {
  const tracks = Array.isArray(t?.tracks) ? t.tracks : [];
  if (tracks.length === 0) return 'Timeline is empty.';
  const count = `${tracks.length} ${tracks.length === 1 ? 'track' : 'tracks'}`;
  const lines = tracks.map((track, i) => `${i + 1}. ${describeTrack(track)}`);
  return `Timeline (${count}): ${lines.join(' ')}`;
}
