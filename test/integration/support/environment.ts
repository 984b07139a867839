// What the harness hands the extension host (see scripts/run-integration.mjs
// and scripts/run-electron.mjs): the simulator, the fixture workspaces.
import * as assert from 'assert';

function required(name: string): string {
  const value = process.env[name];
  assert.ok(value, `${name} is not set: run the suites through npm run test:integration or npm run test:electron`);
  return value;
}

export const testEnvironment = {
  /** The simulator the extension talks to (NEMO_API_URL). */
  apiUrl: (): string => required('NEMO_API_URL'),
  /** Origin of the simulator's admin API (/__sim/...). */
  simAdminUrl: (): string => required('NEMO_SIM_ADMIN'),
  /** A copy of test/fixtures/hostile-workspace (its .vscode/settings.json names another apiBaseUrl etc.). */
  hostileWorkspace: (): string => required('NEMO_HOSTILE_WORKSPACE'),
};
