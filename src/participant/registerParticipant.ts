// Registers `@nemo` at activation (VS Code must know the participant before the
// user types it); the handler it is given loads the participant's code on first use.
import * as vscode from 'vscode';
import type { NemoLog } from '../log';
import { followupsFor } from './followups';

export const PARTICIPANT_ID = 'nemoVideo.nemo';

/** Registers `@nemo` where VS Code has the chat participant API; elsewhere the extension works without it. */
export function registerNemoParticipant(extensionUri: vscode.Uri, handler: vscode.ChatRequestHandler, log: NemoLog): vscode.Disposable | undefined {
  // Not in every host (older VS Code, some forks, code-server builds without chat): look before calling.
  const chat = (vscode as { chat?: Partial<typeof vscode.chat> }).chat;
  if (typeof chat?.createChatParticipant !== 'function') {
    log.info('This VS Code has no chat participant API: @nemo is not available here.');
    return undefined;
  }
  try {
    const participant = chat.createChatParticipant(PARTICIPANT_ID, handler);
    // An SVG shown as an image does not follow the theme's colours, so each theme has its own.
    participant.iconPath = {
      light: vscode.Uri.joinPath(extensionUri, 'media', 'nemo-chat-light.svg'),
      dark: vscode.Uri.joinPath(extensionUri, 'media', 'nemo-chat-dark.svg'),
    };
    participant.followupProvider = { provideFollowups: (result) => followupsFor(result.metadata) };
    return participant;
  } catch (e) {
    log.failure('Could not register the @nemo chat participant', e);
    return undefined;
  }
}
