// Upload Media: the host reads the file from disk and streams it to the backend
// (bytes never cross postMessage). The type is checked first against the 13
// accepted types plus .jpeg (§8); big files get a soft warning; in an untrusted
// workspace the user confirms first. A progress notification has Cancel.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ACCEPTED_FORMATS_TEXT, UPLOAD_MIME_TYPES, uploadMimeType } from '../core/api/uploadTypes';
import type { NemoApi, UploadedFile } from '../core/api/types';
import type { Settings } from '../settings';

export class UploadProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UploadProblem';
  }
}

export class UploadService {
  constructor(
    private readonly globalStorage: vscode.Uri,
    private readonly settings: Settings,
  ) {}

  /**
   * The interactive part, before anything is queued: pick a file (unless given),
   * check its type, warn about size, and ask in an untrusted workspace.
   * Returns undefined when the user backed out.
   */
  async prepare(given?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const uri = given ?? (await this.pick());
    if (!uri) return undefined;
    const name = path.posix.basename(uri.path);
    if (!uploadMimeType(name)) {
      throw new UploadProblem(vscode.l10n.t('{0} cannot be uploaded. NemoVideo accepts {1}.', name, ACCEPTED_FORMATS_TEXT));
    }
    let size: number;
    try {
      size = (await vscode.workspace.fs.stat(uri)).size;
    } catch {
      throw new UploadProblem(vscode.l10n.t('{0} could not be read.', name));
    }
    const s = this.settings.current();
    if (size > s.uploadWarnSizeMB * 1024 * 1024) {
      const go = vscode.l10n.t('Upload anyway');
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t('{0} is {1} MB. Large files take long to upload and may be refused; compressing or trimming it first helps.', name, (size / 1048576).toFixed(0)),
        { modal: true },
        go,
      );
      if (answer !== go) return undefined;
    }
    if (!s.trusted) {
      const go = vscode.l10n.t('Upload');
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t('Upload {0} to NemoVideo?', name),
        { modal: true, detail: vscode.l10n.t('This workspace is not trusted, so NemoVideo asks before uploading files.') },
        go,
      );
      if (answer !== go) return undefined;
    }
    return uri;
  }

  /** Upload by URL reads nothing local; an untrusted workspace still asks first, as for a file. */
  async confirmUrl(url: string): Promise<boolean> {
    if (this.settings.current().trusted) return true;
    const go = vscode.l10n.t('Upload');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Upload {0} to NemoVideo?', url),
      { modal: true, detail: vscode.l10n.t('This workspace is not trusted, so NemoVideo asks before uploading files.') },
      go,
    );
    return answer === go;
  }

  /** Uploads into the project's session with a cancellable progress notification; `onPercent` sees the same steps. */
  async upload(api: NemoApi, sessionId: string, uri: vscode.Uri, signal: AbortSignal, onPercent?: (percent: number) => void): Promise<UploadedFile[]> {
    const name = path.posix.basename(uri.path);
    const { filePath, cleanup } = await this.localCopy(uri, name);
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Uploading {0}', name), cancellable: true },
        async (progress, token) => {
          const abort = new AbortController();
          const onOuter = () => abort.abort();
          if (signal.aborted) abort.abort();
          signal.addEventListener('abort', onOuter, { once: true });
          const sub = token.onCancellationRequested(() => abort.abort());
          let shown = 0;
          try {
            return await api.uploadFile(sessionId, filePath, {
              signal: abort.signal,
              onProgress: (sent, total) => {
                const percent = total > 0 ? Math.min(100, (sent / total) * 100) : 0;
                if (percent - shown >= 1 || percent === 100) {
                  progress.report({ increment: percent - shown, message: `${Math.round(percent)}%` });
                  shown = percent;
                  onPercent?.(percent);
                }
              },
            });
          } finally {
            sub.dispose();
            signal.removeEventListener('abort', onOuter);
          }
        },
      );
    } finally {
      await cleanup();
    }
  }

  private async pick(): Promise<vscode.Uri | undefined> {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      openLabel: vscode.l10n.t('Upload'),
      title: vscode.l10n.t('Upload media to the video project'),
      filters: { [vscode.l10n.t('Video, image or audio')]: Object.keys(UPLOAD_MIME_TYPES) },
    });
    return picked?.[0];
  }

  /** The core streams from a local path; files on other file systems are copied to a temporary file first. */
  private async localCopy(uri: vscode.Uri, name: string): Promise<{ filePath: string; cleanup: () => Promise<void> }> {
    if (uri.scheme === 'file') return { filePath: uri.fsPath, cleanup: async () => undefined };
    const dir = path.join(this.globalStorage.fsPath, 'uploads');
    await fs.mkdir(dir, { recursive: true });
    const filePath = path.join(dir, `${Date.now().toString(36)}-${name.replace(/[^\w.-]/g, '_')}`);
    await fs.writeFile(filePath, await vscode.workspace.fs.readFile(uri));
    return { filePath, cleanup: () => fs.rm(filePath, { force: true }) };
  }
}

/** "video.mp4 (video, 30.5 s, 1920×1080)" */
export function describeUpload(f: UploadedFile): string {
  const parts = [f.fileType];
  if (f.duration !== undefined) parts.push(`${Math.round(f.duration * 10) / 10} s`);
  if (f.width && f.height) parts.push(`${f.width}×${f.height}`);
  return `${f.filename} (${parts.filter(Boolean).join(', ')})`;
}
