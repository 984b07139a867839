// P2/P3: one 500 MB upload or download through the core client, with the
// process's peak RSS growth sampled during the transfer.
// Usage: node out/bench/transfer.js upload <apiUrl> <file>
//        node out/bench/transfer.js download <apiUrl> <url> <outFile>
//        node out/bench/transfer.js bare-download <apiUrl> <url> <outFile>   (reference, bareGet.ts)
//        node out/bench/transfer.js bare-parse <apiUrl> <url>                (reference: HTTP only, no file)
// The bare reference runs in the same process state (client made, token fetched),
// so its RSS growth compares with the client's.
import { stat } from 'node:fs/promises';
import { bareDownload, bareParse } from './bareGet';
import { benchClient } from './benchClient';

async function main(): Promise<void> {
  // The core's clock unrefs its timers (a pending poll must not keep a host alive), so a
  // standalone process needs its own reason to stay up while the flow waits on one.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  const [mode, apiBaseUrl, a, b] = process.argv.slice(2);
  const client = benchClient(apiBaseUrl, { uploadWarnBytes: Number.MAX_SAFE_INTEGER });
  await client.ensureToken();
  const session = mode === 'upload' ? await client.createSession('bench') : undefined;

  // Baseline after the client, token and session exist: what follows is the transfer alone.
  global.gc?.();
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const sampler = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss > peak) peak = rss;
  }, 5);

  const started = process.hrtime.bigint();
  let bytes: number;
  if (mode === 'upload') {
    await client.uploadFile(session!.sessionId, a);
    bytes = (await stat(a)).size;
  } else if (mode === 'bare-download') {
    bytes = await bareDownload(a, b);
  } else if (mode === 'bare-parse') {
    bytes = await bareParse(a);
  } else {
    bytes = (await client.download(a, b, { auth: false })).bytes;
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  clearInterval(sampler);
  const rss = process.memoryUsage.rss();
  if (rss > peak) peak = rss;
  clearInterval(keepAlive);
  process.stdout.write(JSON.stringify({ mode, bytes, ms, rssGrowthMB: (peak - baseline) / 1048576 }) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
