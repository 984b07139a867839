// `video_infos` / `generated_media` items (§6), read like upload `files[]` items (§16 U20):
// filename, file_type, cdn_url, duration (seconds), width, height. Other keys are ignored.
import { firstText, isRecord, prop, readNumber } from './read';

export interface MediaItem {
  /** Identity used to tell new items from old ones (the CDN URL when there is one). */
  key: string;
  name: string;
  fileType?: string;
  durationSeconds?: number;
}

export const MAX_MEDIA_ITEMS = 1000;

const NAME_KEYS = ['filename', 'file_name', 'fileName', 'name', 'title'] as const;
const TYPE_KEYS = ['file_type', 'fileType', 'media_type', 'mediaType', 'type'] as const;
const URL_KEYS = ['cdn_url', 'cdnUrl', 'url', 'src'] as const;

const UNNAMED = 'unnamed item';

/** Objects and bare strings (a URL or a name) count as items; null, numbers and arrays do not. */
export function readMediaItems(list: unknown): MediaItem[] {
  if (!Array.isArray(list)) return [];
  return list
    .slice(0, MAX_MEDIA_ITEMS)
    .map(readMediaItem)
    .filter((item): item is MediaItem => item !== undefined);
}

function readMediaItem(raw: unknown, index: number): MediaItem | undefined {
  if (typeof raw === 'string') {
    const text = firstText({ v: raw }, ['v'], 2048);
    return text === undefined ? undefined : { key: text, name: urlFileName(text) ?? firstText({ v: text }, ['v'], 80) ?? UNNAMED };
  }
  if (!isRecord(raw)) return undefined;
  const url = firstText(raw, URL_KEYS, 2048);
  const fileType = firstText(raw, TYPE_KEYS, 40);
  const duration = readNumber(prop(raw, 'duration'));
  const name = firstText(raw, NAME_KEYS, 80) ?? (url !== undefined ? urlFileName(url) : undefined) ?? UNNAMED;
  // Without a URL or a name, position is the only identity we have.
  const key = url ?? `${name}|${fileType ?? ''}|${duration ?? ''}|${name === UNNAMED ? index : ''}`;
  const item: MediaItem = { key, name };
  if (fileType !== undefined) item.fileType = fileType;
  if (duration !== undefined && duration > 0 && duration < 1e6) item.durationSeconds = duration;
  return item;
}

/** The last path segment of a URL ("…/xxx/video.mp4" -> "video.mp4"), decoded when possible. */
function urlFileName(url: string): string | undefined {
  const path = url.split(/[?#]/, 1)[0] ?? '';
  const last = path.split('/').filter((p) => p !== '').pop();
  if (last === undefined || /^https?:$/i.test(last)) return undefined;
  let decoded = last;
  try {
    decoded = decodeURIComponent(last);
  } catch {
    // keep the raw segment
  }
  return firstText({ v: decoded }, ['v'], 80);
}

/** Items of `after` that `before` did not have, counting duplicates (two identical uploads are two items). */
export function newMediaItems(before: MediaItem[], after: MediaItem[]): MediaItem[] {
  const remaining = new Map<string, number>();
  for (const item of before) remaining.set(item.key, (remaining.get(item.key) ?? 0) + 1);
  return after.filter((item) => {
    const left = remaining.get(item.key) ?? 0;
    if (left > 0) {
      remaining.set(item.key, left - 1);
      return false;
    }
    return true;
  });
}
