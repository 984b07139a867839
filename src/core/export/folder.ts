// `nemoVideo.exportFolder` must resolve inside the workspace folder (README, Security): a cloned repository's
// .vscode/settings.json must not make exports land elsewhere. checkExportFolder() judges the setting
// text; symlinks need the file system: assertInsideOnDisk() resolves real paths and then asks isInside().
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export type FolderCheck = { ok: true; segments: string[] } | { ok: false; reason: 'absolute' | 'parent' | 'empty' | 'invalid'; message: string };

export const DEFAULT_EXPORT_FOLDER = 'videos';
const MAX_SETTING_CHARS = 1000;
const MAX_DEPTH = 32;
const MAX_SEGMENT_BYTES = 255;

const WINDOWS_RESERVED = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(?:\..*)?$/i;
// Characters Windows refuses in names (":" would also open an NTFS alternate data stream).
const WINDOWS_FORBIDDEN = /[<>:"|?*]/;
const CONTROL_CHARS = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;
// Look-alike separators: harmless to Node, but some Windows "best fit" code pages turn them into / and \.
const LOOKALIKE_SEPARATORS = /[\uFF0F\uFF3C\u2215\u2044\u29F8\u29F9\uFE68\u2216]/;
const WORKSPACE_VARIABLE = /^\$\{workspaceFolder\}(?=[\\/]|$)/;

/**
 * Checks the setting and returns the folder as path segments relative to the workspace folder.
 * - "" (or only spaces) means "not set": the default `videos` folder, as VS Code shows for a cleared field.
 * - "." means the workspace folder itself (segments []).
 * - `${workspaceFolder}/x` is accepted as `x`, since that is what people expect it to mean.
 * - Refused: absolute POSIX paths, drive paths (`C:\x`, `C:x`), UNC paths, `~`, URIs, any `..`
 *   segment (also Windows' "..." and full-width look-alikes), control characters, names Windows cannot
 *   hold (`<>:"|?*`, trailing dot or space, con/nul/com1…), other `${…}`/`%VAR%` variables.
 */
export function checkExportFolder(setting: string): FolderCheck {
  if (typeof setting !== 'string') return refuse('invalid', String(setting), 'is not text');
  const raw = setting.trim();
  if (raw === '') return { ok: true, segments: [DEFAULT_EXPORT_FOLDER] };
  if (raw.length > MAX_SETTING_CHARS) return refuse('invalid', raw, 'is too long');
  if (CONTROL_CHARS.test(raw)) return refuse('invalid', raw, 'contains control characters');
  if (LOOKALIKE_SEPARATORS.test(raw)) return refuse('invalid', raw, 'contains characters that look like path separators');

  // Judge the compatibility-normalised form too: full-width "．．" becomes "..", "Ｃ：" becomes "C:".
  const withoutVariable = raw.replace(WORKSPACE_VARIABLE, '.');
  for (const form of new Set([withoutVariable, withoutVariable.normalize('NFKC')])) {
    const problem = findProblem(form, raw);
    if (problem !== undefined) return problem;
  }
  const segments = splitSegments(withoutVariable).map((s) => s.normalize('NFC'));
  return { ok: true, segments };
}

function splitSegments(value: string): string[] {
  return value.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
}

function findProblem(value: string, shown: string): FolderCheck | undefined {
  if (/^[\\/]/.test(value)) return refuse('absolute', shown, 'is an absolute path');
  if (/^[a-z]:/i.test(value)) return refuse('absolute', shown, 'is a drive path');
  if (/^[a-z][a-z0-9+.-]+:/i.test(value)) return refuse('absolute', shown, 'is a URI, not a folder name');
  if (/^~(?:[\\/]|$|[\w.-]+(?:[\\/]|$))/.test(value)) return refuse('absolute', shown, 'points into a home folder');
  if (/^\$|[\\/]\$|%[^%]+%/.test(value)) return refuse('invalid', shown, 'uses a variable, and variables are not expanded here');

  const segments = splitSegments(value);
  if (segments.length > MAX_DEPTH) return refuse('invalid', shown, 'is nested too deeply');
  for (const segment of segments) {
    // ".." climbs out; Windows trims trailing dots, so "..." or ".. " can act as ".." there.
    if (/^\.{2,}[\s.]*$/.test(segment)) return refuse('parent', shown, 'points outside it');
    if (WINDOWS_FORBIDDEN.test(segment)) return refuse('invalid', shown, 'contains a character that is not allowed in folder names (< > : " | ? *)');
    if (/[.\s]$/.test(segment)) return refuse('invalid', shown, 'has a folder name ending in a dot or space, which Windows cannot keep');
    if (WINDOWS_RESERVED.test(segment.trim())) return refuse('invalid', shown, `contains '${segment}', a folder name Windows reserves`);
    if (Buffer.byteLength(segment, 'utf8') > MAX_SEGMENT_BYTES) return refuse('invalid', shown, 'has a folder name longer than 255 bytes');
  }
  return undefined;
}

function refuse(reason: 'absolute' | 'parent' | 'empty' | 'invalid', value: string, why: string): FolderCheck {
  const where = reason === 'absolute' || reason === 'parent' ? 'The export folder must be inside the workspace folder' : 'The export folder setting cannot be used';
  return {
    ok: false,
    reason,
    message: `${where}: '${printable(value)}' ${why}. Change nemoVideo.exportFolder to a relative path such as '${DEFAULT_EXPORT_FOLDER}'.`,
  };
}

/** The setting as the user can read it in a message: control characters escaped, length capped. */
function printable(value: string): string {
  const escaped = value.replace(/[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.length > 80 ? `${escaped.slice(0, 79)}…` : escaped;
}

export interface InsideOptions {
  /** Path rules to apply; by default win32 when either path looks like a Windows path (drive or UNC). */
  platform?: 'posix' | 'win32';
  /**
   * posix only (default false): pass true for a case-insensitive macOS volume when the paths are not
   * canonical. win32 always compares case-insensitively, as NTFS and path.win32 do.
   */
  caseInsensitive?: boolean;
}

/**
 * True when `childPath` is `parentPath` itself or lies below it. Both must be absolute, already
 * resolved with realpath by the caller (symlinks are followed there, not here). "/ws-evil" is not
 * inside "/ws". A relative or empty path is never inside anything.
 */
export function isInside(parentPath: string, childPath: string, opts: InsideOptions = {}): boolean {
  if (typeof parentPath !== 'string' || typeof childPath !== 'string' || parentPath === '' || childPath === '') return false;
  if (CONTROL_CHARS.test(parentPath + childPath)) return false;
  const platform = opts.platform ?? (looksWindows(parentPath) || looksWindows(childPath) ? 'win32' : 'posix');
  const p = platform === 'win32' ? path.win32 : path.posix;
  const parent = canonical(parentPath, platform);
  const child = canonical(childPath, platform);
  if (!p.isAbsolute(parent) || !p.isAbsolute(child)) return false;
  const fold = platform === 'win32' || opts.caseInsensitive === true;
  const rel = fold ? p.relative(parent.toLowerCase(), child.toLowerCase()) : p.relative(parent, child);
  if (rel === '') return true;
  // Another drive or share comes back absolute; outside comes back as "..", "../x" (but "..x" is a name inside).
  return !p.isAbsolute(rel) && !/^\.\.(?:[\\/]|$)/.test(rel);
}

function looksWindows(value: string): boolean {
  return /^[a-z]:[\\/]/i.test(value) || /^\\\\/.test(value);
}

/** Normalises separators, "." and "..", trailing separators, and Windows' \\?\ long-path prefixes. */
function canonical(value: string, platform: 'posix' | 'win32'): string {
  if (platform === 'posix') return path.posix.normalize(value).replace(/(.)\/+$/, '$1');
  let v = value.replace(/\//g, '\\');
  if (/^\\\\\?\\UNC\\/i.test(v)) v = '\\\\' + v.slice(8);
  else if (/^\\\\[?.]\\/.test(v)) v = v.slice(4);
  const normalized = path.win32.normalize(v);
  const root = path.win32.parse(normalized).root;
  return normalized.length > root.length ? normalized.replace(/\\+$/, '') : normalized;
}

/** A folder whose real location is outside its workspace folder (a symbolic link pointing out). Nothing was written. */
export class OutsideWorkspaceError extends Error {
  constructor(
    /** Where the folder really is (or where the link points). */
    readonly realPath: string,
    readonly root: string,
  ) {
    super(`The export folder is really at ${realPath}, outside the workspace folder ${root}`);
    this.name = 'OutsideWorkspaceError';
  }
}

/**
 * Refuses `dirPath` when its real location leaves `rootPath` (both absolute local paths): the
 * deepest part of `dirPath` that exists is resolved with realpath and must lie inside the real
 * path of `rootPath`; anything below it will be created as plain folders. A dangling symbolic
 * link on the way is refused as well (creating the folder would follow it). A lexical escape
 * (`dirPath` not under `rootPath` at all) is refused before the disk is asked.
 */
export async function assertInsideOnDisk(dirPath: string, rootPath: string): Promise<void> {
  const dir = path.resolve(dirPath);
  const root = path.resolve(rootPath);
  if (!isInside(root, dir)) throw new OutsideWorkspaceError(dir, root);
  const realRoot = await fs.realpath(root).catch(() => root);
  let probe = dir;
  for (;;) {
    let real: string | undefined;
    try {
      real = await fs.realpath(probe);
    } catch {
      const link = await fs.lstat(probe).then((st) => st.isSymbolicLink(), () => false);
      if (link) {
        const target = await fs.readlink(probe).catch(() => '?');
        throw new OutsideWorkspaceError(path.resolve(path.dirname(probe), target), realRoot);
      }
    }
    if (real !== undefined) {
      if (!isInside(realRoot, real)) throw new OutsideWorkspaceError(real, realRoot);
      return;
    }
    const parent = path.dirname(probe);
    if (parent === probe) return;
    probe = parent;
  }
}

/**
 * Re-checks a saved folder target (URI strings, as persisted with a render job) before a resumed
 * export lands in it: the folder must still lie inside its workspace folder, lexically and, for
 * local (file:) folders, on disk, so a symbolic link swapped in since the job started is refused.
 * Other schemes (Remote, virtual file systems) get the lexical check on the same scheme and host.
 */
export async function recheckSavedFolder(dirUri: string, rootUri: string): Promise<void> {
  let dir: URL;
  let root: URL;
  try {
    dir = new URL(dirUri);
    root = new URL(rootUri);
  } catch {
    throw new OutsideWorkspaceError(dirUri, rootUri);
  }
  if (dir.protocol === 'file:' && root.protocol === 'file:') {
    let dirPath: string;
    let rootPath: string;
    try {
      dirPath = fileURLToPath(dir);
      rootPath = fileURLToPath(root);
    } catch {
      throw new OutsideWorkspaceError(dirUri, rootUri);
    }
    return assertInsideOnDisk(dirPath, rootPath);
  }
  const sameHost = dir.protocol === root.protocol && dir.host === root.host;
  // A path that does not decode is refused: read as '' it would make the root the host's '/'.
  const decode = (p: string): string | undefined => {
    try {
      return decodeURIComponent(p);
    } catch {
      return undefined;
    }
  };
  const rootPath = decode(root.pathname);
  const dirPath = decode(dir.pathname);
  if (!sameHost || rootPath === undefined || dirPath === undefined || !isInside(rootPath || '/', dirPath, { platform: 'posix' })) throw new OutsideWorkspaceError(dirUri, rootUri);
}
