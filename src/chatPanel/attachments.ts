// Files into the project from the chat: the Attach button picks several at once, files
// dropped on the chat (the webview's text/uri-list) are taken only from inside the
// workspace, and a message that is only a media file's https address is uploaded by URL
// (docs/protocol.md §3.5). Each file is an upload job of its own, so each gets the
// upload's questions (type, size, untrusted workspace) and its own line in the chat.
import * as vscode from 'vscode';
import { UPLOAD_MIME_TYPES } from '../core/api/uploadTypes';
import type { JobRunner } from '../jobs/runner';
import type { NemoLog } from '../log';
import type { ProjectId } from '../projects/projects';
import { MAX_ATTACH_FILES, type RequestReply } from '../protocol';
import { fileInside } from './filePolicy';

export interface AttachmentDeps {
  runner: Pick<JobRunner, 'submit'>;
  /** The project the chat shows: the files go into it. */
  projectId(): ProjectId;
  log: Pick<NemoLog, 'warn'>;
}

export class Attachments {
  constructor(private readonly d: AttachmentDeps) {}

  /** The Attach button (no `uris`: the file dialog) or files dropped on the chat. */
  async attach(uris: readonly string[] | undefined): Promise<RequestReply> {
    if (uris === undefined) {
      const picked = await vscode.window.showOpenDialog({
        canSelectMany: true,
        openLabel: vscode.l10n.t('Upload'),
        title: vscode.l10n.t('Upload media to the video project'),
        filters: { [vscode.l10n.t('Video, image or audio')]: Object.keys(UPLOAD_MIME_TYPES) },
      });
      if (!picked?.length) return { ok: true };
      if (picked.length > MAX_ATTACH_FILES) return { ok: false, error: tooMany() };
      this.upload(picked);
      return { ok: true };
    }
    const roots = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.toString());
    const files = uris.map((text) => (fileInside(text, roots) !== undefined ? vscode.Uri.parse(text, true) : undefined));
    if (files.some((f) => f === undefined)) {
      this.d.log.warn(`Refused ${files.filter((f) => f === undefined).length} dropped file(s) from outside the workspace.`);
      return { ok: false, error: vscode.l10n.t('Only files from this workspace can be dropped here. Use Attach to pick other files.') };
    }
    this.upload(files as vscode.Uri[]);
    return { ok: true };
  }

  /** A media file's https address typed or pasted as the whole message. */
  uploadUrl(url: string): void {
    this.d.runner.submit({ kind: 'upload', projectId: this.d.projectId(), url });
  }

  private upload(files: readonly vscode.Uri[]): void {
    for (const file of files) this.d.runner.submit({ kind: 'upload', projectId: this.d.projectId(), file });
  }
}

function tooMany(): string {
  return vscode.l10n.t('Attach at most {0} files at once.', MAX_ATTACH_FILES);
}
