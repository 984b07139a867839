// `npm run sim -- --port N` (bundled to dist/sim.js). Re-exports the library so
// tests can import either file; runs the CLI only when executed directly.
import { type SimOptions, startSimulator } from './server';
import { isAdkCallIds, isAdkWire } from './wire';

export * from './server';

const USAGE = `Usage: node dist/sim.js [--port N] [--realistic] [--adk-wire progressive|legacy|v0]
                          [--adk-call-ids shared|distinct] [--snake] [--silent-rate X] [--seed N]
                          [--padding-bytes N] [--max-upload-bytes N] [--per-ip-limit N]
                          [--http-errors] [--quiet]`;

export function parseArgs(argv: string[]): SimOptions {
  const o: SimOptions = {};
  const num = (i: number, flag: string): number => {
    const v = Number(argv[i]);
    if (argv[i] === undefined || !Number.isFinite(v)) throw new Error(`${flag} needs a number`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port') o.port = num(++i, a);
    else if (a === '--realistic') o.realistic = true;
    else if (a === '--adk-wire') {
      const v = argv[++i];
      if (!isAdkWire(v)) throw new Error(`${a} needs progressive, legacy or v0`);
      o.adkWire = v;
    } else if (a === '--adk-call-ids') {
      const v = argv[++i];
      if (!isAdkCallIds(v)) throw new Error(`${a} needs shared or distinct`);
      o.adkCallIds = v;
    } else if (a === '--snake') o.adkWire = 'v0'; // the ADK 0.x wire (snake_case envelope)
    else if (a === '--silent-rate') o.silentRate = num(++i, a);
    else if (a === '--seed') o.seed = num(++i, a);
    else if (a === '--padding-bytes' || a === '--render-padding-bytes') o.renderPaddingBytes = num(++i, a);
    else if (a === '--max-upload-bytes') o.maxUploadBytes = num(++i, a);
    else if (a === '--per-ip-limit') o.anonymousPerIpLimit = num(++i, a);
    else if (a === '--http-errors') o.envelopeErrorsAsHttp = true;
    else if (a === '--quiet') o.quiet = true;
    else throw new Error(`unknown argument: ${a}`);
  }
  return o;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  let opts: SimOptions;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n${USAGE}\n`);
    process.exit(2);
  }
  const sim = await startSimulator(opts);
  process.stdout.write(`NemoVideo simulator listening on ${sim.url}\n`);
  process.stderr.write(`Point VS Code at it with NEMO_API_URL=${sim.url} (or the user setting nemoVideo.apiBaseUrl). Ctrl+C stops it.\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // `npm run sim` puts a shell between npm and node; on SIGTERM npm stops that shell,
  // which does not pass the signal on. Exit when orphaned so no simulator is left behind.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop();
  }, 500).unref();
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`NemoVideo simulator failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
