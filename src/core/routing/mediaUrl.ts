// A message that is nothing but the https address of a media file is an upload by
// URL (docs/protocol.md §3.5, §8), done by the client like the other commands of
// §13.1: the backend fetches the file, nothing is sent to the agent.
import { uploadMimeType } from '../api/uploadTypes';

/** Longer addresses are not worth sending to the backend. */
export const MAX_MEDIA_URL_CHARS = 2_048;

/** The URL when `text` is one https address of an accepted file type (no credentials in it); else undefined. */
export function mediaUrlIn(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed.length > MAX_MEDIA_URL_CHARS || /\s/.test(trimmed)) return undefined;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.hostname === '') return undefined;
  let name: string;
  try {
    name = decodeURIComponent(url.pathname.split('/').pop() ?? '');
  } catch {
    return undefined;
  }
  return uploadMimeType(name) ? url.toString() : undefined;
}
