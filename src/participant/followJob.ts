// Runs one job of the shared queue (a generation, a chat edit, an export) for a
// front end other than the chat panel, and reports what the panel would show
// while it runs. The queue runs one job at a time, so the transcript's messages
// between the job's start and its end are that job's. A cancellation token
// stops this job only (queued work of the panel goes on).
import type * as vscode from 'vscode';
import type { JobHooks } from '../conversation/workflows';
import type { ExportResult } from '../export/exportService';
import { FeedReader, type FeedPiece, type TranscriptFeed } from './transcriptFeed';

export interface FollowDeps {
  feed: TranscriptFeed;
  exporter: { readonly onDidExport: vscode.Event<ExportResult> };
}

export interface FollowedJob {
  /** The file this job exported, if it did. */
  exported?: ExportResult;
  /** Error cards the job showed (plain text). */
  errors: string[];
  /** True when the token was cancelled before the job ended. */
  cancelled: boolean;
}

export async function followJob(
  d: FollowDeps,
  start: (hooks: JobHooks) => Promise<void>,
  token: vscode.CancellationToken,
  onPiece: (piece: FeedPiece) => void = () => undefined,
): Promise<FollowedJob> {
  const abort = new AbortController();
  const result: FollowedJob = { errors: [], cancelled: false };
  const reader = new FeedReader();
  let running = false;
  const subscriptions = [
    token.onCancellationRequested(() => abort.abort()),
    d.feed.onDidPost((msg) => {
      if (!running) return;
      for (const piece of reader.read(msg)) {
        if (piece.kind === 'text' && piece.role === 'error') result.errors.push(piece.text);
        onPiece(piece);
      }
    }),
    d.exporter.onDidExport((r) => {
      if (running) result.exported = r;
    }),
  ];
  if (token.isCancellationRequested) abort.abort();
  try {
    await start({
      signal: abort.signal,
      onStart: () => {
        running = true;
      },
    });
  } finally {
    running = false;
    for (const s of subscriptions) s.dispose();
  }
  result.cancelled = abort.signal.aborted;
  return result;
}
