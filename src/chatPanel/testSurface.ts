// The chat panel's part of the test API (src/testApi.ts, returned by activate() only
// in the extension host of a test run): the panel itself (onDidPost, onDidReceive,
// onDidDrop, injectForTest, isOpen), the snapshot the webview would get now, and
// where the history is written.
import type { Snapshot } from '../protocol';
import type { ChatPanel } from './chatPanel';

export interface ChatTestSurface {
  readonly chat: ChatPanel;
  snapshot(): Snapshot;
  /** Where the chat history of this workspace is written. */
  historyFile?(): string;
}
