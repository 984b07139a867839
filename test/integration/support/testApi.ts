// The extension's test API (what activate() returns), from its one definition
// in src/testApi.ts, so the suites and the extension cannot drift.
export type { NemoVideoTestApi } from '../../../src/testApi';
