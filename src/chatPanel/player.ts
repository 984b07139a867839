// The inline player's side of the host: the folders the webview may load videos from
// (the export folder of each workspace folder, as nemoVideo.exportFolder resolves it)
// and, per message, the exported file it may play (filePolicy.ts decides). The
// webview gets the file only as webview.asWebviewUri makes it, added to the message as
// it is posted and never stored; the CSP's media-src allows webview.cspSource only.
import * as vscode from 'vscode';
import { exportDirFor } from '../export/exportTarget';
import type { ChatMessage } from '../protocol';
import type { Settings } from '../settings';
import { playableFile } from './filePolicy';

export interface MediaSource {
  /** Extra localResourceRoots: where exported videos are. */
  roots(): vscode.Uri[];
  /** The roots may have changed (the export folder setting, the workspace folders). */
  readonly onDidChange: vscode.Event<unknown>;
  /** The file `message` may play inline when it lies in `roots` (as set on the webview). */
  file(message: ChatMessage, roots: readonly vscode.Uri[]): vscode.Uri | undefined;
}

export function exportedVideos(settings: Pick<Settings, 'forFolder' | 'onDidChange'>): MediaSource {
  return {
    onDidChange: (listener, thisArgs, disposables) => {
      const subs = [settings.onDidChange(listener, thisArgs), vscode.workspace.onDidChangeWorkspaceFolders(listener, thisArgs)];
      const sub = { dispose: () => subs.forEach((d) => d.dispose()) };
      disposables?.push(sub);
      return sub;
    },
    roots: () =>
      (vscode.workspace.workspaceFolders ?? []).flatMap((folder) => {
        try {
          return [exportDirFor(folder, settings.forFolder(folder.uri).exportFolder).dir];
        } catch {
          // A refused export folder setting: nothing from that folder plays inline.
          return [];
        }
      }),
    file: (message, roots) => {
      const file = playableFile(message, roots.map((r) => r.toString()));
      return file !== undefined ? vscode.Uri.parse(file, true) : undefined;
    },
  };
}
