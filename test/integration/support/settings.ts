// User (Global) settings for a test, restored afterwards.
import * as vscode from 'vscode';

/** Sets `nemoVideo.*` settings globally for the duration of `fn`, then restores the previous values. */
export async function withSettings<T>(values: Record<string, unknown>, fn: () => Promise<T>): Promise<T> {
  const config = vscode.workspace.getConfiguration('nemoVideo');
  const previous = Object.keys(values).map((key) => [key, config.inspect(key)?.globalValue] as const);
  for (const [key, value] of Object.entries(values)) await config.update(key, value, vscode.ConfigurationTarget.Global);
  try {
    return await fn();
  } finally {
    for (const [key, value] of previous) await config.update(key, value, vscode.ConfigurationTarget.Global);
  }
}
