// The chat panel put together: its history file, its transcript, the controller that
// follows the jobs of its project, and the webview panel (restored after a window
// reload by the serializer).
import type * as vscode from 'vscode';
import { ChatController, type ChatControllerDeps } from './chatController';
import { ChatPanel, registerChatPanelSerializer } from './chatPanel';
import { HistoryStore } from './historyStore';
import { Transcript } from './transcript';

export interface ChatPanelParts {
  panel: ChatPanel;
  controller: ChatController;
  history: HistoryStore;
  disposables: vscode.Disposable[];
}

/** `historyDir` holds the chat history of this workspace. */
export function createChatPanel(extensionUri: vscode.Uri, historyDir: string, d: Omit<ChatControllerDeps, 'transcript' | 'history'>): ChatPanelParts {
  const history = new HistoryStore(historyDir, (what, e) => d.log.failure(what, e));
  const transcript = new Transcript(history);
  const controller = new ChatController({ ...d, transcript, history });
  const panel = new ChatPanel(extensionUri, d.log, controller);
  transcript.attach(panel);
  return {
    panel,
    controller,
    history,
    disposables: [controller, panel, registerChatPanelSerializer(panel), { dispose: () => void history.flush() }],
  };
}
