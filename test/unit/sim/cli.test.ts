import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from '../../../sim/cli';

const ROOT = resolve(__dirname, '../../..');

describe('simulator: CLI', function () {
  // Real loopback HTTP and real (short) simulator delays: generous under a loaded CI machine.
  this.timeout(20_000);
  it('prints the listening line first, serves, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', 'sim/cli.ts', '--port', '0', '--quiet', '--adk-wire', 'legacy'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    let out = '';
    const firstLine = await new Promise<string>((done, fail) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString('utf8');
        if (out.includes('\n')) done(out.split('\n')[0]);
      });
      child.on('exit', () => fail(new Error(`exited early: ${out}`)));
    });
    const m = /^NemoVideo simulator listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(firstLine);
    assert.ok(m, firstLine);
    const r = await fetch(`${m[1]}/api/auth/anonymous-token`, { method: 'POST', headers: { 'X-Client-Id': 'cli' } });
    assert.equal(r.status, 200);
    await r.text();
    const options = (await (await fetch(`${m[1]}/__sim/options`)).json()) as { adkWire: string; casing: string };
    assert.equal(options.adkWire, 'legacy');
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });

  it('parses the documented flags', () => {
    assert.deepEqual(parseArgs(['--port', '8123', '--realistic', '--snake', '--silent-rate', '0.5', '--seed', '9']), {
      port: 8123,
      realistic: true,
      adkWire: 'v0',
      silentRate: 0.5,
      seed: 9,
    });
    for (const wire of ['progressive', 'legacy', 'v0'] as const) assert.deepEqual(parseArgs(['--adk-wire', wire]), { adkWire: wire });
    assert.deepEqual(parseArgs(['--adk-wire', 'progressive', '--adk-call-ids', 'distinct']), { adkWire: 'progressive', adkCallIds: 'distinct' });
    assert.throws(() => parseArgs(['--adk-wire', 'v1']));
    assert.throws(() => parseArgs(['--adk-wire']));
    assert.throws(() => parseArgs(['--adk-call-ids', 'same']));
    assert.deepEqual(parseArgs(['--padding-bytes', '100', '--http-errors', '--quiet']), { renderPaddingBytes: 100, envelopeErrorsAsHttp: true, quiet: true });
    assert.throws(() => parseArgs(['--port']));
    assert.throws(() => parseArgs(['--bogus']));
  });
});
