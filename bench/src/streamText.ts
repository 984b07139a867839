// P8, host half: one chat run whose reply arrives as many small partial SSE events,
// through the code the extension host runs for it: the SSE reader and the run
// (runMessage), the RunPresenter, the Transcript with its HistoryStore, and the
// schema check ChatPanel.post applies to every message before posting it.
// bench/streamText.mjs serves the stream on loopback and carries the posted
// messages to the real webview in Chromium. It runs this file in a worker thread,
// as VS Code runs the extension host in its own process: the host's heap holds only
// what the host holds, and messages the webview has not applied yet wait outside it.
import { readFileSync } from 'node:fs';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { NemoApi, SessionState } from '../../src/core/api/types';
import { systemClock } from '../../src/core/clock';
import { runMessage } from '../../src/core/conversation/run';
import { HistoryStore } from '../../src/chatPanel/historyStore';
import { Transcript } from '../../src/chatPanel/transcript';
import { RunPresenter } from './runPresenter';
import { parseHostToWebview, type HostToWebview } from '../../src/protocol';

const WORDS = ['the', 'city', 'skyline', 'glows', 'at', 'dusk,', 'and', 'a', 'lo-fi', 'beat', 'fades', 'in;', 'title', 'cards', 'slide', 'over', 'the', 'timelapse.'];

/** `chars` of ASCII prose with a line break every dozen words or so (one UTF-8 byte per char). */
export function replyText(chars: number): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < chars; i++) {
    const word = WORDS[(i * 7) % WORDS.length] + (i % 13 === 12 ? '\n' : ' ');
    parts.push(word);
    length += word.length;
  }
  return parts.join('').slice(0, chars);
}

/**
 * A /run_sse body as ADK streams it (§4.5): the reply in `partialChars`-sized partial
 * events, then the one aggregated event with the whole text.
 */
export function sseBody(text: string, partialChars: number): Buffer {
  const events: string[] = [];
  const tail = ',"role":"model"},"partial":true,"invocationId":"e-bench","author":"nemo_agent"}\n\n';
  for (let i = 0; i < text.length; i += partialChars) {
    events.push(`data: {"content":{"parts":[{"text":${JSON.stringify(text.slice(i, i + partialChars))}}]${tail}`);
  }
  events.push(`data: ${JSON.stringify({ content: { parts: [{ text }], role: 'model' }, invocationId: 'e-bench', author: 'nemo_agent' })}\n\n`);
  return Buffer.from(events.join(''), 'utf8');
}

const STATE: SessionState = { draft: undefined, videoInfos: [], generatedMedia: [], raw: {} };

export interface HostRun {
  status: string;
  /** From the POST to the run's end (its `done`). */
  ms: number;
  /** From the POST to the last streamDelta posted. */
  lastDeltaMs: number;
  posts: number;
  deltas: number;
  deltaChars: number;
  /** CPU time of the host's thread for the run (set by the worker). */
  cpuMs?: number;
}

/** Runs one message against `url` (a /run_sse stand-in) and posts what the chat panel would post. */
export async function runHost(opts: { url: string; dir: string; runId: string; post: (m: HostToWebview) => void }): Promise<HostRun> {
  const history = new HistoryStore(opts.dir, (what, e) => console.error(what, e), 'chat-history.ndjson');
  await history.load();
  const transcript = new Transcript(history);
  let posts = 0;
  let deltas = 0;
  let deltaChars = 0;
  let lastDelta = 0;
  const t0 = performance.now();
  transcript.attach({
    post: (m) => {
      // ChatPanel.post validates every message before it is delivered.
      const valid = parseHostToWebview(m);
      if (!valid) throw new Error(`invalid ${m.type} message`);
      posts++;
      if (valid.type === 'streamDelta') {
        deltas++;
        deltaChars += valid.text.length;
        lastDelta = performance.now();
      }
      opts.post(valid);
    },
  });
  const presenter = new RunPresenter(transcript, opts.runId);
  const api = {
    async openRunStream(_sessionId: string, text: string, signal?: AbortSignal): Promise<ReadableStream<Uint8Array>> {
      const res = await fetch(opts.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ new_message: { parts: [{ text }] } }),
        signal,
      });
      if (!res.ok || !res.body) throw new Error(`run_sse: HTTP ${res.status}`);
      return res.body;
    },
    state: async () => STATE,
  } as unknown as NemoApi;
  const outcome = await runMessage({
    api,
    sessionId: 'bench',
    text: 'Write the longest reply you can',
    clock: systemClock,
    runId: opts.runId,
    stateBefore: STATE,
    onEvent: (e) => presenter.handle(e),
  });
  const ms = performance.now() - t0;
  await history.flush();
  return { status: outcome.status, ms, lastDeltaMs: lastDelta - t0, posts, deltas, deltaChars };
}

/** What the worker sends to the driver: posted messages as JSON, the final text of the streamed message apart, and the result. */
export type WorkerMessage = { batch: string; count: number } | { final: string } | { result: HostRun } | { error: string };

/** What the driver asks the worker: one run. */
export interface RunRequest {
  url: string;
  dir: string;
  runId: string;
  /** Send the posted messages (false: only count them). */
  forward: boolean;
  batch: number;
}

/**
 * Worker entry: for each request, runs one message and sends what the panel would post,
 * serialised as postMessage does (JSON), in batches of up to `batch` messages per turn of
 * the event loop. One worker serves every run, so its code is as warm as a running host's.
 */
function workerMain(): void {
  const port = parentPort!;
  port.on('message', (req: RunRequest) => void runForDriver(port, req));
}

async function runForDriver(port: NonNullable<typeof parentPort>, req: RunRequest): Promise<void> {
  let lines: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (lines.length === 0) return;
    port.postMessage({ batch: lines.join(','), count: lines.length } satisfies WorkerMessage);
    lines = [];
  };
  let streamingId: string | undefined;
  let finalSent = false;
  const post = (m: HostToWebview) => {
    if (m.type === 'messageAdded' && m.message.status === 'streaming') streamingId ??= m.message.id;
    if (!req.forward) return;
    if (!finalSent && m.type === 'messageUpdated' && m.message.id === streamingId && m.message.status !== 'streaming') {
      finalSent = true;
      // The final text replaces the streamed one: the driver reads the DOM just before it.
      flush();
      port.postMessage({ final: JSON.stringify(m) } satisfies WorkerMessage);
      return;
    }
    lines.push(JSON.stringify(m));
    if (lines.length >= req.batch) flush();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
  try {
    const cpu0 = threadCpuMs();
    const result = await runHost({ url: req.url, dir: req.dir, runId: req.runId, post });
    flush();
    result.cpuMs = threadCpuMs() - cpu0;
    port.postMessage({ result } satisfies WorkerMessage);
  } catch (e) {
    port.postMessage({ error: String((e as Error)?.stack ?? e) } satisfies WorkerMessage);
  }
}

/**
 * CPU time of the calling thread in ms (Linux: utime + stime of /proc/thread-self, in clock
 * ticks of 10 ms), or NaN elsewhere. Unlike wall time, it does not grow when other processes
 * compete for the CPU.
 */
function threadCpuMs(): number {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

if (!isMainThread && (workerData as { p8?: boolean } | undefined)?.p8) workerMain();
