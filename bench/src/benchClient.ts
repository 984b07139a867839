// The core client as the bench processes use it: real clock, no logging, an
// in-memory store, attribution headers like the extension's.
import { createNemoClient, type NemoClient } from '../../src/core/api/client';
import { systemClock } from '../../src/core/clock';
import { silentLogger, type KeyValueStore, type NemoConfig } from '../../src/core/config';

export function memoryStore(): KeyValueStore {
  const m = new Map<string, string>();
  return {
    get: async (k) => m.get(k),
    set: async (k, v) => void m.set(k, v),
    delete: async (k) => void m.delete(k),
  };
}

export function benchClient(apiBaseUrl: string, extra: Partial<NemoConfig> = {}): NemoClient {
  return createNemoClient({
    apiBaseUrl,
    webBaseUrl: apiBaseUrl,
    attribution: { source: 'nemo-video-vscode', version: 'bench', platform: 'vscode' },
    language: 'en',
    store: memoryStore(),
    clock: systemClock,
    logger: silentLogger,
    ...extra,
  });
}
