// The "NemoVideo" log channel (Output view), adapted to the core Logger.
// Every line passes through redactOut(): server messages, URLs and error details
// may carry a token, and the token must never reach a log.
import * as vscode from 'vscode';
import type { Logger, RequestLogEntry } from './core/config';
import { redactOut } from './redaction';

export class NemoLog implements Logger, vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  constructor() {
    this.channel = vscode.window.createOutputChannel('NemoVideo', { log: true });
  }

  /** Sees each line as written (after redaction); only the test API sets it. */
  tap: ((line: string) => void) | undefined;

  private clean(message: string): string {
    const line = redactOut(message);
    this.tap?.(line);
    return line;
  }

  info(message: string): void {
    this.channel.info(this.clean(message));
  }

  warn(message: string): void {
    this.channel.warn(this.clean(message));
  }

  error(message: string): void {
    this.channel.error(this.clean(message));
  }

  debug(message: string): void {
    this.channel.debug(this.clean(message));
  }

  request(entry: RequestLogEntry): void {
    this.channel.info(this.clean(`${entry.method} ${entry.path} → ${entry.status} (${Math.round(entry.ms)} ms)`));
  }

  /** Logs an unexpected failure with its detail, never the token. */
  failure(what: string, e: unknown): void {
    const detail = e instanceof Error ? `${e.name}: ${e.message}${(e as { detail?: string }).detail ? ` (${(e as { detail?: string }).detail})` : ''}` : String(e);
    this.error(`${what}: ${detail}`);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
