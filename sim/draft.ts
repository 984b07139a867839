// The draft (timeline) the simulated agent builds, in the §5 short-key format
// the simulator assumes: {"t":[{"tt":0,"sg":[{"s":0,"d":…,"m":{"name","url"}}]},
// {"tt":1,…volume…},{"tt":7,…"m":{"text"}}],"d":…,"m":{"title","width","height"}}.
import { HOSTILE } from './hostile';
import { isRecord } from './http';

export type Segment = { s: number; d: number; m: Record<string, unknown> };
export type Track = { tt: number; sg: Segment[] };
export type Draft = { t: Track[]; d: number; m: { title: string; width: number; height: number } & Record<string, unknown> };

export const TRACK_VIDEO = 0;
export const TRACK_AUDIO = 1;
export const TRACK_TEXT = 7;
export const DEFAULT_BGM_VOLUME = 0.35;
export const TITLE_MS = 3_000;

export type Aspect = '16:9' | '9:16' | '1:1';

export interface GenerationBrief {
  /** Clip label, derived from the user's words ("city timelapse at night"). */
  label: string;
  title: string;
  durationMs: number;
  aspect: Aspect;
  width: number;
  height: number;
  music: string;
}

const SIZES: Record<Aspect, { width: number; height: number }> = {
  '16:9': { width: 1920, height: 1080 },
  '9:16': { width: 1080, height: 1920 },
  '1:1': { width: 1080, height: 1080 },
};

const MUSIC_STYLES: Array<[RegExp, string]> = [
  [/lo-?fi/i, 'Lo-fi'],
  [/upbeat|happy|energetic|pop/i, 'Upbeat Pop'],
  [/epic|cinematic|dramatic|orchestral/i, 'Epic Cinematic'],
  [/calm|piano|relax|soft|ambient/i, 'Calm Piano'],
  [/jazz/i, 'Smooth Jazz'],
  [/rock|guitar/i, 'Indie Rock'],
  [/electro|edm|techno|synth/i, 'Electronic'],
];

export function musicStyleFrom(text: string, fallback: string): string {
  for (const [re, name] of MUSIC_STYLES) if (re.test(text)) return name;
  return fallback;
}

export function durationHintMs(text: string): number | undefined {
  if (/\b(one|1)[\s-]*min(ute)?s?\b/i.test(text) || /一分钟/.test(text)) return 60_000;
  const m = /(\d{1,3})\s*(?:-|\s)?\s*(?:s|sec|secs|second|seconds|秒)(?![a-z])/i.exec(text);
  if (!m) return undefined;
  const seconds = Math.min(60, Math.max(5, Number(m[1])));
  return seconds * 1000;
}

export function aspectHint(text: string): Aspect | undefined {
  if (/9\s*:\s*16|vertical|portrait|tiktok|reels?\b|shorts\b|竖/i.test(text)) return '9:16';
  if (/1\s*:\s*1|square|方形/i.test(text)) return '1:1';
  if (/16\s*:\s*9|horizontal|landscape|widescreen|横/i.test(text)) return '16:9';
  return undefined;
}

const SMALL_WORDS = new Set(['a', 'an', 'the', 'at', 'of', 'in', 'on', 'and', 'or', 'to', 'for', 'with', 'by']);

function titleCase(words: string[]): string {
  return words
    .map((w, i) => (i > 0 && SMALL_WORDS.has(w.toLowerCase()) ? w.toLowerCase() : w.charAt(0).toUpperCase() + w.slice(1)))
    .join(' ');
}

/** "Make a 30 second vertical video about a city timelapse at night" -> "city timelapse at night". */
export function labelFrom(text: string): string {
  // "Make a 30-second 16:9 video … from this text:\n\n<script>": the subject is the script,
  // not the instruction in front of it (the way a real agent reads such a request).
  const quoted = /^[^\n]{0,200}:\s*\r?\n\s*\r?\n([\s\S]*\S[\s\S]*)$/.exec(text);
  if (quoted) text = quoted[1];
  const firstLine = text.split(/\r?\n/).map((l) => l.replace(/^[#>*\-\s]+/, '').trim()).find((l) => l.length > 0) ?? '';
  let t = firstLine.split(/(?<=[.!?。！？])\s/)[0] ?? firstLine;
  t = t
    .replace(/^(please\s+)?(can|could|would)?\s*(you\s+)?(please\s+)?/i, '')
    .replace(/^(generate|create|make|produce|build|render|do)\s+(me\s+|us\s+)?/i, '')
    .replace(/^(a|an|the)\s+/i, '')
    .replace(/\b\d{1,3}\s*(?:-|\s)?\s*(?:s|sec|secs|second|seconds)\b(?:-long|\s+long)?/gi, ' ')
    .replace(/\b(one|1)[\s-]*minute\b/gi, ' ')
    .replace(/\b(vertical|portrait|horizontal|landscape|square|widescreen)\b|\b(16|9|1)\s*:\s*(9|16|1)\b/gi, ' ')
    .replace(/\b(video|clip|movie|film|reel)\b/i, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(about|of|showing|on|featuring|for|with)\s+/i, '')
    .replace(/^(a|an|the)\s+/i, '')
    .replace(/[\s.,;:!?。！？]+$/u, '')
    .trim();
  const words = t.split(' ').filter(Boolean);
  let label = words.slice(0, 6).join(' ');
  if (label.length > 48) label = label.slice(0, 48).trim();
  return label || 'your idea';
}

export function titleFrom(label: string): string {
  if (!/[a-z]/i.test(label)) return label.slice(0, 12);
  return titleCase(label.split(' ').slice(0, 4));
}

export function briefFromText(text: string, hostile: boolean): GenerationBrief {
  const aspect = aspectHint(text) ?? '16:9';
  const label = hostile ? `${HOSTILE.imgOnerror} ${HOSTILE.longName}` : labelFrom(text);
  return {
    label,
    title: hostile ? HOSTILE.pathTraversal : titleFrom(label),
    durationMs: durationHintMs(text) ?? 10_000,
    aspect,
    ...SIZES[aspect],
    music: hostile ? HOSTILE.reservedName : musicStyleFrom(text, 'Lo-fi'),
  };
}

export function musicUrl(baseUrl: string, name: string): string {
  return `${baseUrl}/cdn/music/${encodeURIComponent(name.toLowerCase().replace(/[^a-z0-9]+/g, '-')) || 'track'}.mp3`;
}

/** Stage 1 of a generation: the raw video only. */
export function rawDraft(b: GenerationBrief, videoUrl: string): Draft {
  return {
    t: [{ tt: TRACK_VIDEO, sg: [{ s: 0, d: b.durationMs, m: { name: b.label, url: videoUrl } }] }],
    d: b.durationMs,
    m: { title: b.title, width: b.width, height: b.height },
  };
}

export function cloneDraft(d: Draft): Draft {
  return structuredClone(d);
}

/** Reads a stored draft back; anything without tracks counts as "no draft". */
export function asDraft(v: unknown): Draft | undefined {
  if (!isRecord(v) || !Array.isArray(v.t) || !isRecord(v.m)) return undefined;
  return v as unknown as Draft;
}

/** §5: exportable when at least one track has segments. */
export function isExportable(v: unknown): boolean {
  return isRecord(v) && Array.isArray(v.t) && v.t.some((t) => isRecord(t) && Array.isArray(t.sg) && t.sg.length > 0);
}

export function track(d: Draft, tt: number): Track | undefined {
  return d.t.find((t) => t.tt === tt);
}

function ensureTrack(d: Draft, tt: number): Track {
  let t = track(d, tt);
  if (!t) {
    t = { tt, sg: [] };
    d.t.push(t);
    d.t.sort((a, b) => order(a.tt) - order(b.tt));
  }
  return t;
}

function order(tt: number): number {
  return tt === TRACK_VIDEO ? 0 : tt === TRACK_AUDIO ? 1 : tt === TRACK_TEXT ? 2 : 3;
}

export function setMusic(d: Draft, name: string, url: string, volume = DEFAULT_BGM_VOLUME): void {
  ensureTrack(d, TRACK_AUDIO).sg = [{ s: 0, d: d.d, m: { name, volume, url } }];
}

export function removeTrack(d: Draft, tt: number): boolean {
  const before = d.t.length;
  d.t = d.t.filter((t) => t.tt !== tt);
  return d.t.length !== before;
}

export function setTitle(d: Draft, text: string, extra: Record<string, unknown> = {}): void {
  const t = ensureTrack(d, TRACK_TEXT);
  const first = t.sg[0];
  if (first) first.m = { ...first.m, text, ...extra };
  else t.sg.push({ s: 0, d: Math.min(TITLE_MS, d.d), m: { text, ...extra } });
  d.m.title = text;
}

/** Changes the total length, keeping every track within it. */
export function setDuration(d: Draft, ms: number): void {
  d.d = ms;
  for (const t of d.t) {
    t.sg = t.sg.filter((s) => s.s < ms);
    t.sg.forEach((s, i) => {
      // Text stays as long as it was; the last video/audio segment stretches or shrinks to the end.
      const last = i === t.sg.length - 1 && t.tt !== TRACK_TEXT;
      s.d = last ? ms - s.s : Math.min(s.d, ms - s.s);
    });
  }
}
