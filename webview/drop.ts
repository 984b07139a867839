// What a drop on the chat carries: the URIs of the files (text/uri-list, RFC 2483:
// one per line, `#` lines are comments; VS Code's Explorer also gives its own list,
// as lines or as JSON). Only their text is read and bounded here; the host decides which it takes.
import { MAX_ATTACH_FILES } from '../src/protocol';

const MAX_URI_CHARS = 4_096;

export function urisFromDrop(data: Pick<DataTransfer, 'getData'>): string[] {
  const out: string[] = [];
  const add = (uri: string): void => {
    const u = uri.trim();
    if (u === '' || u.startsWith('#') || u.length > MAX_URI_CHARS || out.includes(u) || out.length >= MAX_ATTACH_FILES) return;
    out.push(u);
  };
  for (const type of ['text/uri-list', 'application/vnd.code.uri-list']) {
    const text = data.getData(type);
    if (text.trimStart().startsWith('[')) {
      try {
        const list: unknown = JSON.parse(text);
        if (Array.isArray(list)) for (const item of list) if (typeof item === 'string') add(item);
      } catch {
        // Not a list of URIs: nothing to attach from it.
      }
    } else {
      for (const line of text.split(/\r?\n/)) add(line);
    }
  }
  return out;
}
