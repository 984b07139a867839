// P2/P3 reference: the least a Node.js process does to save the same 500 MB, with
// none of the client's rules: http.get, 1 MB batches written with one writev in
// flight, no fsync, no size checks, no temporary file. The extension host is
// Node.js, so this shows how much of the gap to curl (and of the RSS growth) is
// the runtime's own. transfer.ts runs it as mode `bare-download`.
import * as http from 'node:http';
import { open } from 'node:fs/promises';

/**
 * The HTTP layer alone: the same http.get and stream iteration as bareDownload, the body
 * dropped instead of written. transfer.ts runs it as mode `bare-parse`; beside the raw
 * socket read and bareDownload it splits the time into socket, HTTP and file writes.
 */
export async function bareParse(url: string): Promise<number> {
  const res: http.IncomingMessage = await new Promise((resolve, reject) => http.get(url, resolve).on('error', reject));
  if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
  let bytes = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) bytes += chunk.length;
  return bytes;
}

export async function bareDownload(url: string, outFile: string): Promise<number> {
  const res: http.IncomingMessage = await new Promise((resolve, reject) => http.get(url, resolve).on('error', reject));
  if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
  const file = await open(outFile, 'w');
  let batch: Buffer[] = [];
  let batched = 0;
  let bytes = 0;
  let pending: Promise<unknown> = Promise.resolve();
  for await (const chunk of res as AsyncIterable<Buffer>) {
    batch.push(chunk);
    batched += chunk.length;
    bytes += chunk.length;
    if (batched >= 1 << 20) {
      await pending;
      pending = file.writev(batch);
      batch = [];
      batched = 0;
    }
  }
  await pending;
  if (batched) await file.writev(batch);
  await file.close();
  return bytes;
}
