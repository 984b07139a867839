// Turns an edit request ("add music", "make the intro shorter", "change the title
// to X", "make it red") into edit tool calls and the draft change each one makes.
import { HOSTILE } from './hostile';
import {
  type Draft,
  DEFAULT_BGM_VOLUME,
  TRACK_AUDIO,
  TRACK_TEXT,
  TRACK_VIDEO,
  durationHintMs,
  musicStyleFrom,
  musicUrl,
  removeTrack,
  setDuration,
  setMusic,
  setTitle,
  track,
} from './draft';

export interface EditOp {
  tool: string;
  args: Record<string, unknown>;
  /** What the agent says it will do: "add background music". */
  intent: string;
  /** What the agent says it did: `Added "Upbeat Pop" background music (35% volume)`. */
  done: string;
  apply(d: Draft): void;
}

export interface EditContext {
  baseUrl: string;
  hostile: boolean;
}

const COLORS = ['red', 'blue', 'green', 'yellow', 'white', 'black', 'orange', 'purple', 'pink', 'gold'];
const EDIT_WORDS =
  /\b(add|remove|delete|drop|change|replace|swap|set|make (it|the)|shorter|longer|trim|cut|extend|title|music|bgm|soundtrack|song|volume|louder|quieter|softer|subtitles?|captions?|transition|fade|effect|filter|intro|outro|colou?r|red|blue|green|yellow|white|black|orange|purple|pink|gold)\b|字幕|音乐|配乐|标题|颜色|缩短|加长/i;

export function looksLikeEdit(text: string): boolean {
  return EDIT_WORDS.test(text);
}

/** Text in quotes, or after "to"/"called"/"titled": change the title to "Paradise Found". */
export function quotedOrNamed(text: string): string | undefined {
  // A quote mark not glued to a letter on its left, so "video's" is not an opening quote.
  const q = /(?<![\p{L}\d])["“”'‘’「『]([^"“”‘’」』]{1,80}?)["“”'‘’」』](?![\p{L}\d])/u.exec(text);
  if (q) return q[1].trim();
  const m = /\b(?:to|called|titled|saying|reads?)\s+(.{1,60}?)\s*[.!?]?$/i.exec(text.trim());
  return m ? m[1].trim() : undefined;
}

function pct(v: number): string {
  return `${Math.round(v * 100)}%`;
}

function musicOps(text: string, d: Draft, ctx: EditContext): EditOp[] {
  if (/\b(remove|delete|drop|no|without|mute)\b.*\b(music|bgm|soundtrack|song)\b/i.test(text)) {
    return [{ tool: 'edit_multitrack', args: { action: 'remove_track', track_type: TRACK_AUDIO }, intent: 'remove the background music', done: 'Removed the background music', apply: (x) => void removeTrack(x, TRACK_AUDIO) }];
  }
  if (/\b(music|bgm|soundtrack|song)\b|音乐|配乐/i.test(text)) {
    const current = track(d, TRACK_AUDIO)?.sg[0]?.m.name;
    const name = ctx.hostile ? HOSTILE.reservedName : musicStyleFrom(text, current === 'Upbeat Pop' ? 'Lo-fi' : 'Upbeat Pop');
    const url = musicUrl(ctx.baseUrl, name);
    return [{
      tool: 'add_background_music',
      args: { style: name, volume: DEFAULT_BGM_VOLUME },
      intent: `add ${name} background music`,
      done: `Added "${name}" background music (${pct(DEFAULT_BGM_VOLUME)} volume)`,
      apply: (x) => setMusic(x, name, url),
    }];
  }
  if (/\b(louder|quieter|softer|volume)\b/i.test(text) && track(d, TRACK_AUDIO)) {
    const seg = track(d, TRACK_AUDIO)?.sg[0];
    const now = typeof seg?.m.volume === 'number' ? seg.m.volume : DEFAULT_BGM_VOLUME;
    const explicit = /(\d{1,3})\s*%/.exec(text);
    const next = explicit ? Math.min(1, Number(explicit[1]) / 100) : /louder/i.test(text) ? Math.min(1, now + 0.15) : Math.max(0.05, now - 0.15);
    const rounded = Math.round(next * 100) / 100;
    return [{
      tool: 'edit_multitrack',
      args: { action: 'set_volume', track_type: TRACK_AUDIO, volume: rounded },
      intent: 'adjust the music volume',
      done: `Set the music volume to ${pct(rounded)}`,
      apply: (x) => {
        for (const s of track(x, TRACK_AUDIO)?.sg ?? []) s.m.volume = rounded;
      },
    }];
  }
  return [];
}

function titleOps(text: string, d: Draft, ctx: EditContext): EditOp[] {
  const ops: EditOp[] = [];
  if (/\b(remove|delete|drop|no)\b.*\btitle\b/i.test(text)) {
    return [{ tool: 'edit_multitrack', args: { action: 'remove_track', track_type: TRACK_TEXT }, intent: 'remove the title', done: 'Removed the title', apply: (x) => void removeTrack(x, TRACK_TEXT) }];
  }
  if (/\btitle\b|\bheading\b|标题/i.test(text)) {
    const named = quotedOrNamed(text);
    const title = ctx.hostile ? HOSTILE.scriptBreakout : named ?? (d.m.title || 'My Video');
    ops.push({
      tool: 'edit_multitrack',
      args: { action: 'set_text', track_type: TRACK_TEXT, text: title, start: 0, duration: 3000 },
      intent: 'update the title',
      done: `Title set to "${title}" (0-3s)`,
      apply: (x) => setTitle(x, title),
    });
  }
  const color = COLORS.find((c) => new RegExp(`\\b${c}\\b`, 'i').test(text));
  if (color) {
    ops.push({
      tool: 'edit_multitrack',
      args: { action: 'set_style', track_type: TRACK_TEXT, color },
      intent: `make the title ${color}`,
      done: `The title is now ${color}`,
      apply: (x) => {
        if (!track(x, TRACK_TEXT)) setTitle(x, x.m.title || 'My Video');
        for (const s of track(x, TRACK_TEXT)?.sg ?? []) s.m.color = color;
      },
    });
  }
  return ops;
}

function timingOps(text: string, d: Draft): EditOp[] {
  if (/\b(intro|opening|beginning)\b|开头/i.test(text) && /\b(shorter|longer|trim|cut|extend|faster|quicker)\b|缩短|加长/i.test(text)) {
    const longer = /\b(longer|extend)\b|加长/i.test(text);
    return [{
      tool: 'edit_multitrack',
      args: { action: 'set_duration', track_type: TRACK_TEXT, segment: 0, delta_ms: longer ? 1000 : -1000 },
      intent: `make the intro ${longer ? 'longer' : 'shorter'}`,
      done: `The intro title now lasts ${longer ? 'one second longer' : 'one second less'}`,
      apply: (x) => {
        const seg = track(x, TRACK_TEXT)?.sg[0];
        if (seg) seg.d = Math.min(x.d, Math.max(1000, seg.d + (longer ? 1000 : -1000)));
      },
    }];
  }
  const explicit = durationHintMs(text);
  const shorter = /\b(shorter|trim|cut)\b|缩短/i.test(text);
  const longer = /\b(longer|extend)\b|加长/i.test(text);
  if (!explicit && !shorter && !longer) return [];
  const target = explicit ?? Math.round(Math.min(60_000, Math.max(3_000, d.d * (shorter ? 0.75 : 1.25))) / 1000) * 1000;
  return [{
    tool: 'edit_multitrack',
    args: { action: 'set_duration', duration_ms: target },
    intent: `change the length to ${target / 1000} seconds`,
    done: `The video is now ${target / 1000} seconds long`,
    apply: (x) => setDuration(x, target),
  }];
}

function decorationOps(text: string, d: Draft, ctx: EditContext): EditOp[] {
  const ops: EditOp[] = [];
  if (/\b(subtitles?|captions?)\b|字幕/i.test(text)) {
    const label = String(track(d, TRACK_VIDEO)?.sg[0]?.m.name ?? 'your video');
    const words = (ctx.hostile ? HOSTILE.controlChars : label).split(' ');
    ops.push({
      tool: 'edit_multitrack',
      args: { action: 'add_captions', track_type: TRACK_TEXT },
      intent: 'add captions',
      done: 'Added captions',
      apply: (x) => {
        const n = Math.max(1, Math.ceil(x.d / 3000));
        const sg = Array.from({ length: n }, (_, i) => ({ s: i * 3000, d: Math.min(3000, x.d - i * 3000), m: { text: words.slice(i * 3, i * 3 + 3).join(' ') || '…', kind: 'caption' } }));
        x.t.push({ tt: TRACK_TEXT, sg });
      },
    });
  }
  if (/\b(transition|fade|effect|filter)\b/i.test(text)) {
    const effect = /\bfade\b/i.test(text) ? 'fade' : /\bfilter\b/i.test(text) ? 'warm' : 'crossfade';
    ops.push({
      tool: 'edit_multitrack',
      args: { action: 'add_effect', track_type: TRACK_VIDEO, effect },
      intent: `add a ${effect} effect`,
      done: `Added a ${effect} effect`,
      apply: (x) => {
        for (const s of track(x, TRACK_VIDEO)?.sg ?? []) s.m.effect = effect;
      },
    });
  }
  return ops;
}

/** The edit operations one message asks for, in a stable order; a generic one when nothing specific matched. */
export function planEdits(text: string, d: Draft, ctx: EditContext): EditOp[] {
  const ops = [...musicOps(text, d, ctx), ...titleOps(text, d, ctx), ...timingOps(text, d), ...decorationOps(text, d, ctx)];
  if (ops.length > 0) return ops;
  return [{ tool: 'edit_multitrack', args: { instruction: text }, intent: 'apply your change', done: 'Applied your change', apply: () => undefined }];
}
