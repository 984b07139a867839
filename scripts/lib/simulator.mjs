// The project's NemoVideo simulator (team SIM's sim/server.ts, bundled into
// dist/sim.js by `npm run build`), started inside the calling process on a free
// loopback port. Tests in other processes (the extension host, the e2e journeys)
// reach it over HTTP, including its admin API under /__sim/.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { DIST_DIR } from './paths.mjs';
import { onCleanup } from './cleanup.mjs';

// NEMO_SIM_MODULE: another CommonJS module with the same startSimulator export
// (used to test the harness itself); default dist/sim.js.
const SIM_MODULE = process.env.NEMO_SIM_MODULE ? path.resolve(process.env.NEMO_SIM_MODULE) : path.join(DIST_DIR, 'sim.js');

/**
 * Starts the simulator and returns the contract's Simulator methods
 * ({ url (no trailing slash), port, close(), addScenario(), stats(), reset(), … }). Throws a clear
 * error when the bundle is missing or does not export startSimulator yet.
 */
export async function startProjectSimulator(options = {}) {
  if (!fs.existsSync(SIM_MODULE)) {
    throw new Error(`${SIM_MODULE} does not exist: run \`npm run build\` first`);
  }
  const requireHere = createRequire(import.meta.url);
  const mod = requireHere(SIM_MODULE);
  if (typeof mod.startSimulator !== 'function') {
    throw new Error(
      `${path.relative(process.cwd(), SIM_MODULE)} does not export startSimulator() yet ` +
      '(sim/cli.ts must re-export startSimulator from sim/server.ts); the harness needs it to run the tests against the simulator',
    );
  }
  const sim = await mod.startSimulator({ quiet: true, ...options });
  if (!sim || typeof sim.url !== 'string') throw new Error('startSimulator() did not return an object with a url');
  const url = sim.url.replace(/\/$/, '');
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    unregister();
    await sim.close();
  };
  const unregister = onCleanup(close);
  // A plain wrapper (not the instance itself): `close` must also unregister.
  return {
    url,
    port: sim.port,
    close,
    addScenario: (spec) => sim.addScenario(spec),
    clearScenarios: () => sim.clearScenarios(),
    createUserToken: (credits) => sim.createUserToken(credits),
    stats: () => sim.stats(),
    reset: () => sim.reset(),
    instance: sim,
  };
}
