// The chat panel's transcript over a real history file in a fresh temporary folder,
// with every message it posts to the webview kept in `posted`.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { HistoryStore } from '../../src/chatPanel/historyStore';
import { Transcript } from '../../src/chatPanel/transcript';
import type { HostToWebview } from '../../src/protocol';

export interface TranscriptFixture<H extends HistoryStore = HistoryStore> {
  dir: string;
  history: H;
  transcript: Transcript;
  posted: HostToWebview[];
  /** Waits for the history file, then removes the folder. */
  close(): Promise<void>;
}

/** `history` makes the store (a subclass that counts, say); the default is a plain HistoryStore. */
export async function openTranscript<H extends HistoryStore = HistoryStore>(history?: (dir: string) => H): Promise<TranscriptFixture<H>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'nemo-transcript-'));
  const store = history ? history(dir) : (new HistoryStore(dir, () => undefined, 'chat-history.ndjson') as H);
  await store.load();
  const transcript = new Transcript(store);
  const posted: HostToWebview[] = [];
  transcript.attach({ post: (m) => posted.push(m) });
  return {
    dir,
    history: store,
    transcript,
    posted,
    close: async () => {
      await store.flush();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
