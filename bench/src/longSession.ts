// P10, the half inside the extension host (bench/longSession.mjs loads it as the
// extension tests path): 200 chat runs and 20 exports in one host against the simulator
// at zero delay. After run 20 and at the end it forces a GC, appends
// {phase, heapUsed, externalBytes} to $NEMO_BENCH_P10_FILE and waits for the harness to
// count the webview's DOM nodes (it creates <file>.<phase>.done).
import * as fs from 'fs';
import * as v8 from 'v8';
import * as vm from 'vm';
import * as vscode from 'vscode';
import type { NemoVideoTestApi } from '../../src/testApi';

const RUNS = 200;
const EXPORTS = 20;
const FIRST = 20;

function forcedGc(): () => void {
  // --expose-gc cannot be passed to code-server's extension host; the flag can be set at run time.
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

async function checkpoint(file: string, phase: string, gc: () => void, runs: number, exports: number): Promise<void> {
  // Twice: the first pass can leave finalizers and weak callbacks for the second.
  gc();
  await new Promise((r) => setTimeout(r, 100));
  gc();
  const m = process.memoryUsage();
  fs.appendFileSync(file, JSON.stringify({ phase, runs, exports, heapUsed: m.heapUsed, external: m.external }) + '\n');
  const done = `${file}.${phase}.done`;
  while (!fs.existsSync(done)) await new Promise((r) => setTimeout(r, 100));
}

export async function run(): Promise<void> {
  const file = process.env.NEMO_BENCH_P10_FILE!;
  const admin = process.env.NEMO_SIM_ADMIN!;
  const api = (await vscode.extensions.getExtension('nemovideo.nemovideo-vscode')!.activate()) as NemoVideoTestApi;
  const res = await fetch(new URL('/__sim/user-token', admin), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ credits: 1_000_000 }) });
  await api.tokenStore.set(((await res.json()) as { token: string }).token);
  await vscode.commands.executeCommand('nemoVideo.openChat');
  const gc = forcedGc();
  let n = 0;
  const send = async (text: string) => {
    await api.chat.injectForTest({ type: 'send', requestId: `p10-${++n}`, text });
    await api.idle();
  };
  let exports = 0;
  for (let i = 1; i <= RUNS; i++) {
    await send(i === 1 ? 'Generate a 15-second video about the sea at dawn' : `Make scene ${i % 3 + 1} a little warmer and add the title "Take ${i}"`);
    if (i % (RUNS / EXPORTS) === 0 && exports < EXPORTS) {
      await vscode.commands.executeCommand('nemoVideo.export');
      await api.idle();
      exports++;
    }
    if (i === FIRST) await checkpoint(file, 'first', gc, i, exports);
  }
  await checkpoint(file, 'end', gc, RUNS, exports);
  const lines = api.snapshot().messages.length;
  fs.appendFileSync(file, JSON.stringify({ phase: 'summary', hostMessages: lines, lastExport: api.lastExport()?.toString() ?? null }) + '\n');
}
