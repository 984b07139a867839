// The chat panel put together: the controller that keeps every project's chat and
// the webview panel that shows the active one (restored after a window reload by the
// serializer).
import type * as vscode from 'vscode';
import { ChatController, type ChatControllerDeps } from './chatController';
import { ChatPanel, registerChatPanelSerializer } from './chatPanel';

export interface ChatPanelParts {
  panel: ChatPanel;
  controller: ChatController;
  disposables: vscode.Disposable[];
}

export function createChatPanel(extensionUri: vscode.Uri, d: ChatControllerDeps): ChatPanelParts {
  const controller = new ChatController(d);
  const panel = new ChatPanel(extensionUri, d.log, controller);
  controller.attach(panel);
  return {
    panel,
    controller,
    disposables: [controller, panel, registerChatPanelSerializer(panel), { dispose: () => void controller.flush() }],
  };
}
