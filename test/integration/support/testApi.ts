// The extension's test API (what activate() returns), from its one definition
// in src/testApi.ts (team HOST), so the suites and the extension cannot drift.
export type { NemoVideoTestApi } from '../../../src/testApi';
