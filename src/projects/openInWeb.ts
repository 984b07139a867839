// Open Project in NemoVideo Web: a claim token (never the API token) in the link (docs/protocol.md §10).
import * as vscode from 'vscode';
import type { ClientProvider } from '../client/clientProvider';
import { openExternal } from '../util/external';
import { sessionOf, type ProjectRecord } from './projects';

/** Opens the project in the browser; says so in a notification when there is none. Throws when the link cannot be made. */
export async function openProjectInWeb(clients: ClientProvider, project: ProjectRecord | undefined): Promise<void> {
  if (!project) {
    void vscode.window.showInformationMessage(vscode.l10n.t('There is no video project yet. Generate a video first.'));
    return;
  }
  const api = await clients.get();
  const { claimToken } = await api.claimToken(sessionOf(project));
  openExternal(vscode.Uri.parse(api.claimLink(claimToken), true));
}
