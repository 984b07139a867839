// Default delays. Short ones make a whole generation + render + download take
// about a second; realistic ones follow docs/protocol.md §12 for try-outs.
import type { SimDelays } from './types';

export const FAST_DELAYS: SimDelays = {
  heartbeatMs: 25,
  textMs: 60,
  generateMs: 300,
  postProductionMs: 80,
  editMs: 120,
  chunkMs: 5,
  renderPendingMs: 80,
  renderMs: 400,
  slowRenderMs: 3_000,
};

export const REALISTIC_DELAYS: SimDelays = {
  heartbeatMs: 15_000,
  textMs: 8_000,
  generateMs: 150_000,
  postProductionMs: 15_000,
  editMs: 20_000,
  chunkMs: 60,
  renderPendingMs: 3_000,
  renderMs: 30_000,
  slowRenderMs: 150_000,
};

export function resolveDelays(realistic: boolean, overrides: Partial<SimDelays> | undefined): SimDelays {
  const base = realistic ? REALISTIC_DELAYS : FAST_DELAYS;
  const out: SimDelays = { ...base };
  for (const key of Object.keys(base) as Array<keyof SimDelays>) {
    const v = overrides?.[key];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) out[key] = v;
  }
  return out;
}
