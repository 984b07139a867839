// The buttons on chat messages. The webview only names the button it shows: what it
// does comes from the message the host posted (a link counts when the host offered it
// or it is in the text), so a webview cannot make the host open any file or link.
import * as vscode from 'vscode';
import type { ExportService } from '../export/exportService';
import { openExported, revealExported } from '../export/openExported';
import type { NemoLog } from '../log';
import type { MessageAction, RequestReply } from '../protocol';
import { openExternal } from '../util/external';
import type { Transcript } from './transcript';

export type ClientCommand = 'export' | 'credits' | 'status' | 'upload' | 'newProject';

export interface MessageButtonDeps {
  transcript: Transcript;
  exporter: Pick<ExportService, 'isExported'>;
  log: NemoLog;
  /** Sends a message's text again: a new, explicit request. */
  resend(text: string): void;
  /** What the client does itself (the toolbar's buttons and typed intents). */
  clientCommand(kind: ClientCommand): Promise<RequestReply>;
  openInWeb(): Promise<void>;
}

export class MessageButtons {
  constructor(private readonly d: MessageButtonDeps) {}

  /** A button pressed in the webview: done only when the host offered it on that message. */
  press(messageId: string, requested: MessageAction): Promise<RequestReply> {
    // The webview only names a button: what it does comes from the message the host
    // posted. A link counts when the host offered it as a button or it is in the text.
    const message = this.d.transcript.get(messageId);
    const action = message?.actions?.find((a) => a.id === requested.id && a.arg === requested.arg && a.url === requested.url);
    const linkInText = requested.id === 'openLink' && !!requested.url && !!message?.text.includes(requested.url);
    if (!action && !linkInText) {
      this.d.log.warn(`Refused a "${requested.id}" action the host did not offer on message ${messageId}.`);
      return Promise.resolve({ ok: false, error: vscode.l10n.t('That button is no longer available.') });
    }
    return this.run(action ?? requested);
  }

  private async run(action: MessageAction): Promise<RequestReply> {
    switch (action.id) {
      case 'edit':
        // The webview edits in its composer and sends an `edit` request; the button does nothing here.
        return { ok: true };
      case 'retry': {
        // A new, explicit request with the same text: never an automatic resend.
        const original = action.arg ? this.d.transcript.get(action.arg) : undefined;
        if (!original || original.role !== 'user') return { ok: false, error: vscode.l10n.t('The original message is no longer available.') };
        this.d.resend(original.text);
        return { ok: true };
      }
      case 'export':
      case 'credits':
      case 'newProject':
        return this.d.clientCommand(action.id);
      case 'status':
        await this.d.clientCommand('status');
        void vscode.commands.executeCommand('nemoVideo.timeline.focus');
        return { ok: true };
      case 'setToken':
        void vscode.commands.executeCommand('nemoVideo.setToken');
        return { ok: true };
      case 'openInWeb':
        void this.d.openInWeb();
        return { ok: true };
      case 'openLink':
        return this.openLink(action.url);
      case 'openFile':
      case 'revealFile':
      case 'openExternally': {
        // Only videos this extension exported (or MP4s in the workspace, for buttons in an older
        // session's history): the webview must not be able to open arbitrary paths.
        const uri = action.arg ? parseUri(action.arg) : undefined;
        if (!uri || !(this.d.exporter.isExported(uri.toString()) || (vscode.workspace.getWorkspaceFolder(uri) && /\.mp4$/i.test(uri.path)))) {
          return { ok: false, error: vscode.l10n.t('That file is not available any more.') };
        }
        if (action.id === 'openExternally') openExternal(uri);
        else void (action.id === 'openFile' ? openExported(uri) : revealExported(uri));
        return { ok: true };
      }
    }
  }

  /** Links from backend text or error cards: https only, opened by VS Code (which asks the user). */
  private openLink(url: string | undefined): RequestReply {
    let parsed: URL;
    try {
      parsed = new URL(url ?? '');
    } catch {
      return { ok: false, error: vscode.l10n.t('That link is not valid.') };
    }
    if (parsed.protocol !== 'https:' || parsed.username || parsed.password) {
      this.d.log.warn(`Refused to open a non-https link (${parsed.protocol}).`);
      return { ok: false, error: vscode.l10n.t('Only https links can be opened.') };
    }
    openExternal(vscode.Uri.parse(parsed.toString(), true));
    return { ok: true };
  }
}

/** A URI from the webview, refused when its path climbs out with `..`. */
function parseUri(text: string): vscode.Uri | undefined {
  try {
    const uri = vscode.Uri.parse(text, true);
    return uri.path.split('/').some((segment) => segment === '..' || segment === '.') ? undefined : uri;
  } catch {
    return undefined;
  }
}
