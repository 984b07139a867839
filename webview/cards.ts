// The extension's own system messages as cards, built from their text with
// createElement/textContent only (the text carries backend names, so it is
// untrusted like everything else):
//  - the timeline summary (core/timeline/summary.ts, docs/protocol.md §5):
//      "Timeline (3 tracks): 1. Video: city timelapse (0-10s) 2. BGM: Lo-fi (0-10s, 35%) …"
//    becomes a title and an ordered list of tracks, each "name: segments";
//  - the saved video ("✅ Video saved: videos/x.mp4 (12.3 MB)", or its translation)
//    becomes a title and a file chip that opens the file (its openFile action).
// Text that does not parse falls back to the ordinary rendering.
import type { ChatMessage } from '../src/protocol';
import { icon } from './icons';
import { t } from './l10n';

export type CardKind = 'timeline' | 'saved';

export interface TimelineSummary {
  title: string;
  tracks: Array<{ name: string; details: string }>;
}

export interface SavedFile {
  title: string;
  file: string;
  size?: string;
}

const TIMELINE = /^(Timeline \((\d+) tracks?\)):\s+([\s\S]+)$/;

/** The §5 summary line split into its tracks, or undefined if `text` is not one. */
export function parseTimelineSummary(text: string): TimelineSummary | undefined {
  const m = TIMELINE.exec(text.trim());
  if (!m) return undefined;
  const count = Number(m[2]);
  const body = m[3]!;
  if (!(count >= 1 && count <= 500) || !body.startsWith('1. ')) return undefined;
  const tracks: TimelineSummary['tracks'] = [];
  let start = 3;
  for (let i = 1; i <= count; i++) {
    const end = i === count ? body.length : body.indexOf(` ${i + 1}. `, start);
    if (end === -1) return undefined;
    const item = body.slice(start, end).trim();
    const colon = item.indexOf(': ');
    tracks.push(colon > 0 ? { name: item.slice(0, colon), details: item.slice(colon + 2) } : { name: '', details: item });
    start = end + ` ${i + 1}. `.length;
  }
  return { title: m[1]!, tracks };
}

// "✅ Video saved: videos/a.mp4 (12.3 MB)" and "✅ 视频已保存：videos/a.mp4（12.3 MB）".
const SAVED = /^✅\s*([^:：]+?)\s*[:：]\s*(.+?)\s*(?:[(（]\s*([\d.,]+\s*[KMG]B)\s*[)）])?\s*$/;

/** The saved-video line, when `m` is one (it starts with ✅ and offers to open the file). */
export function parseSavedFile(m: ChatMessage): SavedFile | undefined {
  if (!m.text.startsWith('✅ Video saved:') && !m.actions?.some((a) => a.id === 'openFile')) return undefined;
  const match = SAVED.exec(m.text.trim());
  if (!match) return undefined;
  return { title: match[1]!, file: match[2]!, size: match[3] };
}

/** Fills `body` with the card for `m` and returns its kind, or undefined for an ordinary message. */
export function renderCard(m: ChatMessage, body: HTMLElement): CardKind | undefined {
  if (m.role !== 'system') return undefined;
  const timeline = parseTimelineSummary(m.text);
  if (timeline) {
    body.append(el('div', 'card-title', timeline.title));
    const list = el('ol', 'tracks');
    for (const track of timeline.tracks) {
      const item = el('li', 'track');
      if (track.name) item.append(el('span', 'track-name', track.name), document.createTextNode(': '));
      item.append(el('span', 'track-details', track.details));
      list.append(item);
    }
    body.append(list);
    return 'timeline';
  }
  const saved = parseSavedFile(m);
  if (saved) {
    body.append(el('div', 'card-title', saved.title));
    const openIndex = m.actions?.findIndex((a) => a.id === 'openFile') ?? -1;
    // The chip opens the file when the host offered that (the same action as its Open button).
    const chip = openIndex >= 0 ? document.createElement('button') : document.createElement('span');
    chip.className = 'file-chip';
    if (chip instanceof HTMLButtonElement) {
      chip.type = 'button';
      chip.tabIndex = -1;
      chip.setAttribute('data-index', String(openIndex));
      chip.title = t('Open {0}', saved.file);
    }
    chip.append(icon('video', 'icon file-icon'), el('span', 'file-name', saved.file));
    if (saved.size) chip.append(el('span', 'file-size', saved.size));
    body.append(chip);
    return 'saved';
  }
  return undefined;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}
