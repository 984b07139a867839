// Getting at the extension under test and its test API.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { NemoVideoTestApi } from './testApi';

export const EXTENSION_ID = 'nemovideo.nemovideo-vscode';

export function getExtension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded in this extension host`);
  return ext;
}

/** Activates the extension (idempotent) and returns whatever activate() returned. */
export async function activateExtension(): Promise<unknown> {
  const ext = getExtension();
  const exports = await ext.activate();
  assert.ok(ext.isActive, 'the extension did not activate');
  return exports;
}

/**
 * Activates the extension and returns its test API, failing with a message
 * that names the missing part when activate() does not return it (yet).
 */
export async function getTestApi(...required: Array<keyof NemoVideoTestApi>): Promise<NemoVideoTestApi> {
  const exports = await activateExtension();
  assert.ok(exports && typeof exports === 'object', 'activate() returned no test API (NemoVideoTestApi, src/testApi.ts)');
  const api = exports as Partial<NemoVideoTestApi>;
  for (const key of required) {
    assert.ok(api[key] !== undefined, `the test API returned by activate() has no \`${key}\``);
  }
  return api as NemoVideoTestApi;
}

/** The commands the manifest contributes (package.json `contributes.commands`). */
export function contributedCommands(): string[] {
  const manifest = getExtension().packageJSON as { contributes?: { commands?: Array<{ command: string }> } };
  return (manifest.contributes?.commands ?? []).map((c) => c.command);
}

/** In a suite's before hook: skips the suite where this VS Code lacks `api` (the only reason to skip one), and says so. */
export function skipWithout(ctx: Mocha.Context, available: boolean, api: string): void {
  if (available) return;
  console.log(`    (skipped: VS Code ${vscode.version} has no ${api})`);
  ctx.skip();
}

/** The test API with every part the host suites use. */
export function hostApi(): Promise<NemoVideoTestApi> {
  return getTestApi('chat', 'timeline', 'tokenStore', 'idle', 'snapshot', 'lastExport', 'apiBaseUrl');
}

let requests = 0;
/** A fresh requestId for a message the suites inject as the webview would send it. */
export function requestId(): string {
  return `test-${Date.now()}-${++requests}`;
}

/** The chat as text, one `role: text` line per message (for matching, and for failure messages). */
export function chatText(api: NemoVideoTestApi): string {
  return api
    .snapshot()
    .messages.map((m) => `${m.role}: ${m.text}`)
    .join('\n');
}
