// Draft JSON (§5) -> Timeline model. The segment keys are undocumented (§16 U9), so every field is
// read from several candidate keys and anything unreadable becomes "?" instead of an error.
import { normalizeDraft, tracksExportable } from '../jobs/draftReady';
import type { Segment, Timeline, Track, TrackKind } from './model';
import { firstMs, firstText, flatMeta, isRecord, prop, readArray, readHttpUrl, readNumber, readText } from './read';

export { formatRange, summarizeTimeline } from './summary';

/** Caps on what we read: a tree view and a summary line gain nothing from more, and a hostile draft may be huge. */
export const MAX_TRACKS = 100;
export const MAX_SEGMENTS_PER_TRACK = 2000;
export const MAX_SEGMENTS_TOTAL = 10000;

const START_KEYS = ['s', 'st', 'start', 'b'] as const;
const LABEL_KEYS = ['name', 'title', 'text', 'desc'] as const;
const VOLUME_KEYS = ['volume', 'v'] as const;
const URL_KEYS = ['url', 'src'] as const;
/** Keys that may say what a track or segment is for ("voice-over", "subtitle"); names only on the track itself. */
const ROLE_KEYS = ['type', 'role', 'kind', 'category', 'source', 'usage'] as const;
const TRACK_NAME_KEYS = ['name', 'title', 'label', ...ROLE_KEYS] as const;

const VOICE_OVER = /voice[\s_-]*over|narrat|\bvo\b|\btts\b|旁白|配音|解说|朗读/i;
const SUBTITLES = /subtitle|caption|\bsubs?\b|字幕/i;

export function buildTimeline(draft: unknown): Timeline {
  try {
    return buildFrom(normalizeDraft(draft));
  } catch {
    // The readers never throw; this is the last line of defence for the "never throws" promise.
    return { tracks: [], exportable: false };
  }
}

function buildFrom(draft: unknown): Timeline {
  const rawTracks = prop(draft, 't');
  const tracks = readTracks(rawTracks);
  const meta = prop(draft, 'm');
  const timeline: Timeline = { tracks, exportable: tracksExportable(rawTracks) };

  const title = firstText(meta, ['title', 'name']);
  if (title !== undefined) timeline.title = title;
  const durationMs = firstMs(draft, ['d']) ?? latestEnd(tracks);
  if (durationMs !== undefined) timeline.durationMs = durationMs;
  const width = readPixels(prop(meta, 'width'));
  const height = readPixels(prop(meta, 'height'));
  if (width !== undefined) timeline.width = width;
  if (height !== undefined) timeline.height = height;
  return timeline;
}

function readTracks(rawTracks: unknown): Track[] {
  const tracks: Track[] = [];
  const titleCounts = new Map<string, number>();
  let textTracksSeen = 0;
  let segmentBudget = MAX_SEGMENTS_TOTAL;

  readArray(rawTracks, MAX_TRACKS).forEach((raw, index) => {
    if (!isRecord(raw)) return; // nulls and strings inside `t` carry nothing to show
    const trackType = readTrackType(prop(raw, 'tt'));
    const kind = kindOf(trackType);
    const rawSegments = readArray(prop(raw, 'sg'), Math.min(MAX_SEGMENTS_PER_TRACK, segmentBudget));
    const segments = rawSegments.filter(isRecord).map((s) => readSegment(s, kind));
    segmentBudget -= rawSegments.length;

    const baseTitle = titleFor(kind, trackType, raw, rawSegments, textTracksSeen);
    if (kind === 'text') textTracksSeen++;
    const seen = (titleCounts.get(baseTitle) ?? 0) + 1;
    titleCounts.set(baseTitle, seen);
    // Kinds with a fixed name get numbered when repeated ("Video 2"); "Track (type 5)" already says what it is.
    const title = seen > 1 && kind !== 'other' ? `${baseTitle} ${seen}` : baseTitle;

    tracks.push({ index, kind, trackType, title, segments });
  });
  return tracks;
}

function readTrackType(value: unknown): number | undefined {
  const n = readNumber(value);
  return n !== undefined && Number.isInteger(n) ? n : undefined;
}

function kindOf(trackType: number | undefined): TrackKind {
  switch (trackType) {
    case 0:
      return 'video';
    case 1:
      return 'audio';
    case 7:
      return 'text';
    default:
      return 'other';
  }
}

function titleFor(kind: TrackKind, trackType: number | undefined, raw: Record<string, unknown>, rawSegments: unknown[], textTracksBefore: number): string {
  switch (kind) {
    case 'video':
      return 'Video';
    case 'audio':
      return describes(raw, rawSegments, VOICE_OVER) ? 'Voice-over' : 'BGM';
    case 'text':
      // The first text track of a generated video is its title card; later ones with several
      // timed segments are captions. Explicit metadata wins over that guess.
      if (describes(raw, rawSegments, SUBTITLES)) return 'Subtitles';
      if (textTracksBefore === 0) return 'Title';
      return rawSegments.length > 1 ? 'Subtitles' : 'Text';
    default:
      return `Track (type ${trackType ?? '?'})`;
  }
}

/** True when the track's own name/role, or a segment's role, matches `pattern`. Segment *labels* are content, not roles. */
function describes(raw: Record<string, unknown>, rawSegments: unknown[], pattern: RegExp): boolean {
  const trackMeta = prop(raw, 'm');
  const texts: Array<string | undefined> = [];
  for (const key of TRACK_NAME_KEYS) texts.push(readText(prop(raw, key)), readText(prop(trackMeta, key)));
  for (const segment of rawSegments.slice(0, 20)) {
    const segmentMeta = prop(segment, 'm');
    for (const key of ROLE_KEYS) texts.push(readText(prop(segment, key)), readText(prop(segmentMeta, key)));
  }
  return texts.some((t) => t !== undefined && pattern.test(t));
}

function readSegment(raw: Record<string, unknown>, kind: TrackKind): Segment {
  const meta = prop(raw, 'm');
  const segment: Segment = {
    label: firstText(meta, LABEL_KEYS) ?? firstText(raw, LABEL_KEYS) ?? '?',
    startMs: firstMs(raw, START_KEYS),
    durationMs: firstMs(raw, ['d']),
    meta: flatMeta(meta),
  };
  if (kind === 'audio') {
    const volume = readVolumePercent(meta) ?? readVolumePercent(raw);
    if (volume !== undefined) segment.volumePercent = volume;
  }
  const url = firstUrl(meta) ?? firstUrl(raw);
  if (url !== undefined) segment.url = url;
  return segment;
}

/** Volume as a whole percent: 0–1 is a fraction (0.35 -> 35), above 1 up to 100 is already a percent. */
function readVolumePercent(obj: unknown): number | undefined {
  for (const key of VOLUME_KEYS) {
    const v = readNumber(prop(obj, key));
    if (v === undefined || v < 0 || v > 100) continue;
    return Math.round(v <= 1 ? v * 100 : v);
  }
  return undefined;
}

function firstUrl(obj: unknown): string | undefined {
  for (const key of URL_KEYS) {
    const url = readHttpUrl(prop(obj, key));
    if (url !== undefined) return url;
  }
  return undefined;
}

function readPixels(value: unknown): number | undefined {
  const n = readNumber(value);
  return n !== undefined && n > 0 && n <= 100_000 ? Math.round(n) : undefined;
}

/** When the draft has no `d`, the end of its last segment is the best length we have. */
function latestEnd(tracks: Track[]): number | undefined {
  let end: number | undefined;
  for (const track of tracks) {
    for (const s of track.segments) {
      if (s.startMs !== undefined && s.durationMs !== undefined) end = Math.max(end ?? 0, s.startMs + s.durationMs);
    }
  }
  return end;
}
