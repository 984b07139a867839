// Which local files the webview may name: a file dropped on the chat is uploaded, an
// exported video is played inline. The webview is never trusted with a path: a URI it
// sends counts only when it is a plain file: URI that lies inside one of the folders
// the host allows (the workspace folders for a drop, the export folders for the
// player). Pure (no vscode), so the refusals are unit-tested.

/** The file: URI `text` as a path when it lies strictly inside one of `roots` (file: URIs too); else undefined. */
export function fileInside(text: string, roots: readonly string[]): string | undefined {
  const file = filePath(text);
  if (file === undefined) return undefined;
  for (const root of roots) {
    const dir = filePath(root);
    if (dir === undefined) continue;
    const prefix = dir.endsWith('/') ? dir : `${dir}/`;
    if (file.startsWith(prefix) && file.length > prefix.length) return file;
  }
  return undefined;
}

/** The decoded path of a plain local file: URI (no host, query, fragment, `.`/`..` segment or NUL); else undefined. */
export function filePath(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'file:' || url.host !== '' || url.search !== '' || url.hash !== '' || url.username || url.password) return undefined;
  // The URL parser resolves `..`; the raw text must not hold one either, encoded or not.
  let raw: string;
  try {
    raw = decodeURIComponent(text.slice('file://'.length));
  } catch {
    return undefined;
  }
  if (raw.includes('\0') || raw.split(/[\\/]/).some((segment) => segment === '..' || segment === '.')) return undefined;
  try {
    return decodeURIComponent(url.pathname);
  } catch {
    return undefined;
  }
}

/**
 * The exported video a chat message may play inline: the file its Open button names,
 * when it is an MP4 inside one of the export folders the webview may load from. A
 * message of any other kind, or a file anywhere else, plays nothing.
 */
export function playableFile(message: { role: string; actions?: ReadonlyArray<{ id: string; arg?: string }> }, exportRoots: readonly string[]): string | undefined {
  if (message.role !== 'system') return undefined;
  const arg = message.actions?.find((a) => a.id === 'openFile')?.arg;
  if (arg === undefined) return undefined;
  const file = fileInside(arg, exportRoots);
  return file !== undefined && /\.mp4$/i.test(file) ? arg : undefined;
}
