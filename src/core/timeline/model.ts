// The timeline as the UI sees it, built defensively from the draft (§5, §16 U9/U10).

export type TrackKind = 'video' | 'audio' | 'text' | 'other';

export interface Segment {
  /** Label from m.name / m.title / m.text / m.desc, or '?' when none. */
  label: string;
  startMs: number | undefined;
  durationMs: number | undefined;
  /** 0–100 for audio when known. */
  volumePercent?: number;
  url?: string;
  /** The segment's metadata, for tooltips. */
  meta: Record<string, unknown>;
}

export interface Track {
  index: number;
  kind: TrackKind;
  /** The raw `tt` value (0, 1, 7 or anything else). */
  trackType: number | undefined;
  /** "Video", "BGM", "Title", "Track (type 5)" … */
  title: string;
  segments: Segment[];
}

export interface Timeline {
  title?: string;
  durationMs?: number;
  width?: number;
  height?: number;
  tracks: Track[];
  /** §5: ready to export when there is at least one track with a non-empty sg. */
  exportable: boolean;
}
