// P4: parse and classify 100,000 SSE events (~20 MB: heartbeats, tool calls,
// text) through the client's agentEvents(), against bare eventsource-parser
// over the same bytes and the same chunking, in one process, interleaved.
// Prints JSON: {events, bytes, clientMs[], bareMs[], floorMs[], ratio, …}; *Cpu: the same runs
// in process CPU time (user + system), which other processes on a shared machine disturb less.
import { createParser } from 'eventsource-parser';
import { agentEvents } from '../../src/core/sse/parse';

const EVENTS = 100_000;
const CHUNK = 64 * 1024;

function recordedStream(): Uint8Array {
  const inv = 'e-3f6d7765-5287-419e-9991-5fffa1a75565';
  const actions = '"actions":{"stateDelta":{},"artifactDelta":{},"requestedAuthConfigs":{},"requestedToolConfirmations":{}}';
  const parts: string[] = [];
  const filler = 'Neon signs flicker. ';
  for (let i = 0; i < EVENTS; i++) {
    switch (i % 10) {
      case 0: parts.push(': keep-alive\n\n'); break;
      case 1: parts.push('data: {"type":"heartbeat"}\n\n'); break;
      case 2: parts.push('data:\n\n'); break;
      case 3:
        parts.push(`data: {"content":{"parts":[{"functionCall":{"id":"adk-${i}","args":{"prompt":"city skyline timelapse at dusk","duration":10,"aspect_ratio":"16:9"},"name":"generate_video_with_seedance"}}],"role":"model"},"invocationId":"${inv}","author":"nemo_agent",${actions},"longRunningToolIds":[],"id":"ev${i}","timestamp":1773423600.512}\n\n`);
        break;
      case 4:
        parts.push(`data: {"content":{"parts":[{"functionResponse":{"id":"adk-${i}","name":"generate_video_with_seedance","response":{"status":"success","video_url":"https://static1.nemovideo.ai/gen/abc.mp4","duration":10}}}],"role":"user"},"invocationId":"${inv}","author":"nemo_agent","actions":{"stateDelta":{"generated_media":[{"type":"video","url":"https://static1.nemovideo.ai/gen/abc.mp4"}]},"artifactDelta":{},"requestedAuthConfigs":{},"requestedToolConfirmations":{}},"id":"ev${i}","timestamp":1773423784.377}\n\n`);
        break;
      default:
        parts.push(`data: {"content":{"parts":[{"text":"${filler}${i}"}],"role":"model"},"partial":true,"invocationId":"${inv}","author":"nemo_agent",${actions},"id":"ev${i}","timestamp":1773423785.101}\n\n`);
    }
  }
  return new TextEncoder().encode(parts.join(''));
}

function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + CHUNK));
      offset += CHUNK;
    },
  });
}

async function client(bytes: Uint8Array): Promise<number> {
  let n = 0;
  for await (const batch of agentEvents(streamOf(bytes))) n += batch.length;
  return n;
}

/**
 * Bare eventsource-parser over the same chunks. With `decodeJson`, also JSON.parse
 * every data payload that is not a heartbeat: the floor for any classifier, which
 * shows how much of the gap to the bare parser is intrinsic and how much is ours.
 */
async function bare(bytes: Uint8Array, decodeJson = false): Promise<number> {
  let n = 0;
  const parser = createParser({
    onEvent: (e) => {
      const d = e.data;
      if (decodeJson && d.length > 1 && d.charCodeAt(0) === 123 && !d.startsWith('{"type":"heartbeat"')) JSON.parse(d);
      n++;
    },
  });
  const decoder = new TextDecoder();
  const reader = streamOf(bytes).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parser.feed(decoder.decode(value, { stream: true }));
  }
  parser.feed(decoder.decode());
  return n;
}

/** Wall-clock and CPU milliseconds of one run. */
async function time(fn: () => Promise<number>): Promise<[number, number]> {
  const t = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(cpu);
  return [Number(process.hrtime.bigint() - t) / 1e6, (used.user + used.system) / 1e3];
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 7);
  const bytes = recordedStream();
  const clientEvents = await client(bytes); // warm-up, and the count
  await bare(bytes);
  const clientMs: number[] = [], bareMs: number[] = [], floorMs: number[] = [];
  const clientCpu: number[] = [], floorCpu: number[] = [];
  await bare(bytes, true);
  for (let i = 0; i < runs; i++) {
    bareMs.push((await time(() => bare(bytes)))[0]);
    const [fw, fc] = await time(() => bare(bytes, true));
    const [cw, cc] = await time(() => client(bytes));
    floorMs.push(fw);
    floorCpu.push(fc);
    clientMs.push(cw);
    clientCpu.push(cc);
  }
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
  process.stdout.write(JSON.stringify({ events: EVENTS, classified: clientEvents, bytes: bytes.length, clientMs, bareMs, floorMs, clientCpu, floorCpu, ratio: med(clientMs) / med(bareMs), floorRatio: med(floorMs) / med(bareMs), overFloor: med(clientMs) / med(floorMs), overFloorCpu: med(clientCpu) / med(floorCpu) }) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
