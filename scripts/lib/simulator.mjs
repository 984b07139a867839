// The project's NemoVideo simulator (sim/server.ts, bundled into
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
 * ({ url (no trailing slash), port, close(), addScenario(), stats(), reset(), setOptions(), … }).
 * Throws a clear error when the bundle is missing or does not export startSimulator yet.
 *
 * `options` are startSimulator's SimOptions. The /run_sse wire is `options.adkWire`
 * ('progressive' | 'legacy' | 'v0', see sim/README.md), else NEMO_SIM_ADK_WIRE from the
 * environment, else progressive; likewise `adkCallIds` / NEMO_SIM_ADK_CALL_IDS. So a suite
 * that starts the simulator here runs in one shape with e.g. `NEMO_SIM_ADK_WIRE=legacy`.
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
  const wire = options.adkWire ?? process.env.NEMO_SIM_ADK_WIRE;
  if (wire !== undefined && wire !== '' && !['progressive', 'legacy', 'v0'].includes(wire)) {
    throw new Error(`unknown ADK wire "${wire}" (adkWire / NEMO_SIM_ADK_WIRE): use progressive, legacy or v0`);
  }
  const sim = await mod.startSimulator({ quiet: true, ...options });
  if (!sim || typeof sim.url !== 'string') throw new Error('startSimulator() did not return an object with a url');
  const url = sim.url.replace(/\/$/, '');
  if (wire) {
    // A stale bundle ignores options it does not know: make that loud instead of testing the wrong wire.
    const seen = await fetch(`${url}/__sim/options`).then((r) => r.json()).catch(() => ({}));
    if (seen.adkWire !== wire) {
      await sim.close();
      throw new Error(`${path.relative(process.cwd(), SIM_MODULE)} does not speak the ADK wire "${wire}" (it reports ${JSON.stringify(seen.adkWire)}): run \`npm run build\``);
    }
  }
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
    setOptions: (o) => sim.setOptions(o),
    instance: sim,
  };
}
