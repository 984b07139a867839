// The door every webview message comes through: a token bucket against floods,
// then schema validation. Whatever is refused is reported to the caller (for
// onDidDrop) and logged at most once per second, so a misbehaving or hostile
// webview can neither crash the host nor flood the log. Pure (no vscode).
import type { Clock } from '../core/clock';
import { parseWebviewToHost, type WebviewToHost } from '../protocol';

export const FLOOD_MESSAGES_PER_SECOND = 50;
const LOG_INTERVAL_MS = 1_000;

export type Admission = { ok: true; message: WebviewToHost } | { ok: false; reason: 'flood' | 'invalid' };

/** Allows `ratePerSecond` events per second on average, with bursts up to `burst`. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly clock: Clock,
    private readonly ratePerSecond: number,
    private readonly burst: number = ratePerSecond,
  ) {
    this.tokens = burst;
    this.last = clock.now();
  }

  take(): boolean {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1_000) * this.ratePerSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export class InboundGate {
  private readonly bucket: TokenBucket;
  private lastLog = -Infinity;
  private unlogged = { flood: 0, invalid: 0 };

  constructor(
    private readonly clock: Clock,
    private readonly warn: (line: string) => void,
    ratePerSecond = FLOOD_MESSAGES_PER_SECOND,
  ) {
    this.bucket = new TokenBucket(clock, ratePerSecond);
  }

  admit(raw: unknown): Admission {
    if (!this.bucket.take()) return this.refuse('flood', raw);
    const message = parseWebviewToHost(raw);
    if (!message) return this.refuse('invalid', raw);
    return { ok: true, message };
  }

  private refuse(reason: 'flood' | 'invalid', raw: unknown): Admission {
    this.unlogged[reason]++;
    const now = this.clock.now();
    if (now - this.lastLog >= LOG_INTERVAL_MS) {
      this.lastLog = now;
      const { flood, invalid } = this.unlogged;
      this.unlogged = { flood: 0, invalid: 0 };
      // Only the message type is logged: the rest may hold user text.
      this.warn(`chat webview: dropped ${invalid} invalid and ${flood} flood-limited message(s); last was ${reason} (type: ${describeType(raw)})`);
    }
    return { ok: false, reason };
  }
}

function describeType(raw: unknown): string {
  if (typeof raw !== 'object' || raw === null) return raw === null ? 'null' : typeof raw;
  const type = (raw as { type?: unknown }).type;
  return typeof type === 'string' ? JSON.stringify(type.slice(0, 40)) : 'none';
}
