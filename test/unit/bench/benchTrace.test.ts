// src/benchTrace.ts: marks for `npm run bench` (P9), written only when the bench asks.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const modulePath = require.resolve('../../../src/benchTrace');

/** The module reads NEMO_BENCH_TRACE_FILE when it loads: a fresh copy per environment. */
function loadWith(file: string | undefined): typeof import('../../../src/benchTrace') {
  const saved = process.env.NEMO_BENCH_TRACE_FILE;
  if (file === undefined) delete process.env.NEMO_BENCH_TRACE_FILE;
  else process.env.NEMO_BENCH_TRACE_FILE = file;
  delete require.cache[modulePath];
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh copy that reads the environment again
    return require(modulePath) as typeof import('../../../src/benchTrace');
  } finally {
    delete require.cache[modulePath];
    if (saved === undefined) delete process.env.NEMO_BENCH_TRACE_FILE;
    else process.env.NEMO_BENCH_TRACE_FILE = saved;
  }
}

describe('benchTrace: marks for the P9 bench', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nemo-bench-trace-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes nothing in a window the bench did not start', () => {
    const file = path.join(dir, 'trace.log');
    loadWith(undefined).benchMark('received send');
    assert.equal(fs.existsSync(file), false);
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('appends one "<wall-clock ms> <mark>" line per mark when the bench names a file', () => {
    const file = path.join(dir, 'trace.log');
    const { benchMark } = loadWith(file);
    const before = Date.now();
    benchMark('received send');
    benchMark('posted streamDelta');
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    assert.equal(lines.length, 2);
    const [at, ...mark] = lines[0]!.split(' ');
    assert.equal(mark.join(' '), 'received send');
    assert.ok(Math.abs(Number(at) - before) < 5_000, `a wall-clock time, not ${at}`);
    assert.match(lines[1]!, /^\d+(\.\d)? posted streamDelta$/);
  });

  it('does not throw when the file cannot be written', () => {
    const { benchMark } = loadWith(path.join(dir, 'missing', 'trace.log'));
    assert.doesNotThrow(() => benchMark('received send'));
  });
});
