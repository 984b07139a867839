// A pass-through wrapper around the real global fetch, handed to the core as
// `config.fetch`. It does three things and nothing else:
//  - records every request the core makes (method, URL, outcome, body bytes read);
//  - counts requests in flight (until their body is fully read or cancelled), so
//    a test can tell "waiting on the network" from "waiting on a timer";
//  - injects transport faults the simulator cannot produce from its side: a real
//    connection refusal (the request is sent to a closed loopback port), a proxy
//    that strips a header, and a host that dies after sending (no answer ever);
//  - resolves a made-up origin to a real one (a hosts-file entry), so the core can
//    be configured with a remote-looking API origin that is the simulator.
// Replies are never altered: status, headers and bytes are the simulator's own.

export type RequestMatcher = (url: URL, method: string) => boolean;

export type TapOutcome = number | 'refused' | 'network-error' | 'aborted' | 'host-died';

export interface TapRecord {
  method: string;
  url: string;
  path: string;
  headers: Record<string, string>;
  outcome: TapOutcome | 'pending';
  /** Body bytes the core actually read from the reply. */
  bodyBytes: number;
  /** True once the reply was fully read or cancelled (or the fetch failed): the connection is released. */
  released: boolean;
}

type Fault =
  | { kind: 'refuse' }
  | { kind: 'hostDies' }
  | { kind: 'headers'; edit: (h: Record<string, string>) => Record<string, string> };

interface Rule {
  match: RequestMatcher;
  remaining: number;
  fault: Fault;
}

export const pathIs = (p: string): RequestMatcher => (u) => u.pathname === p;
export const pathStarts = (p: string): RequestMatcher => (u) => u.pathname.startsWith(p);

export class NetTap {
  readonly records: TapRecord[] = [];
  private rules: Rule[] = [];
  private readonly aliases = new Map<string, string>();
  private active = 0;
  private waiters: Array<() => void> = [];

  /** @param closedOrigin `http://127.0.0.1:<port>` where nothing listens (refusals go there). */
  constructor(
    private readonly closedOrigin: string,
    private readonly inner: typeof fetch = globalThis.fetch,
  ) {}

  get inFlight(): number {
    return this.active;
  }

  /** The next `times` matching requests meet a closed port: a real ECONNREFUSED. */
  refuse(match: RequestMatcher, times = Infinity): this {
    this.rules.push({ match, remaining: times, fault: { kind: 'refuse' } });
    return this;
  }

  /** The request reaches the server, but the process that sent it never sees the answer (window reload). */
  hostDiesOn(match: RequestMatcher, times = Infinity): this {
    this.rules.push({ match, remaining: times, fault: { kind: 'hostDies' } });
    return this;
  }

  /** A proxy on the way edits the request headers. */
  editHeaders(match: RequestMatcher, edit: (h: Record<string, string>) => Record<string, string>, times = Infinity): this {
    this.rules.push({ match, remaining: times, fault: { kind: 'headers', edit } });
    return this;
  }

  /**
   * Requests to `fromOrigin` (e.g. `https://api.nemovideo.test`) go to `toOrigin` (the
   * simulator), like a hosts-file entry; they are recorded under the URL the core asked for.
   */
  alias(fromOrigin: string, toOrigin: string): this {
    this.aliases.set(new URL(fromOrigin).origin, new URL(toOrigin).origin);
    return this;
  }

  /** Requests whose path starts with `prefix`. */
  to(prefix: string): TapRecord[] {
    return this.records.filter((r) => r.path.startsWith(prefix));
  }

  /** Resolves as soon as one request in flight settles (its body read, cancelled, or the fetch failed). */
  nextSettle(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const rawUrl = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
    const url = new URL(rawUrl);
    const method = (init?.method ?? 'GET').toUpperCase();
    let headers = plainHeaders(init?.headers);
    const fault = this.take(url, method);
    if (fault?.kind === 'headers') headers = fault.edit({ ...headers });
    const record: TapRecord = { method, url: url.toString(), path: url.pathname, headers, outcome: 'pending', bodyBytes: 0, released: false };
    this.records.push(record);

    const aliased = this.aliases.get(url.origin);
    const target =
      fault?.kind === 'refuse' ? `${this.closedOrigin}${url.pathname}${url.search}`
      : aliased !== undefined ? `${aliased}${url.pathname}${url.search}`
      : url.toString();
    if (fault?.kind === 'hostDies') {
      // The bytes go out and the server acts on them; the reply is never read by anyone.
      void this.inner(target, { ...init, headers })
        .then((res) => res.body?.cancel())
        .catch(() => undefined);
      record.outcome = 'host-died';
      return new Promise<Response>(() => undefined);
    }

    this.active++;
    let res: Response;
    try {
      res = await this.inner(target, { ...init, headers });
    } catch (e) {
      record.outcome = init?.signal?.aborted ? 'aborted' : fault?.kind === 'refuse' ? 'refused' : 'network-error';
      this.settle(record);
      throw e;
    }
    record.outcome = res.status;
    if (res.body === null || [101, 204, 205, 304].includes(res.status)) {
      this.settle(record);
      return res;
    }
    return new Response(this.counted(res.body, record), { status: res.status, statusText: res.statusText, headers: res.headers });
  };

  private counted(body: ReadableStream<Uint8Array>, record: TapRecord): ReadableStream<Uint8Array> {
    const reader = body.getReader();
    let open = true;
    const finish = () => {
      if (!open) return;
      open = false;
      this.settle(record);
    };
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            finish();
            controller.close();
            return;
          }
          record.bodyBytes += value.byteLength;
          controller.enqueue(value);
        } catch (e) {
          finish();
          controller.error(e);
        }
      },
      cancel(reason) {
        finish();
        return reader.cancel(reason);
      },
    });
  }

  private take(url: URL, method: string): Fault | undefined {
    const rule = this.rules.find((r) => r.remaining > 0 && r.match(url, method));
    if (!rule) return undefined;
    rule.remaining -= 1;
    return rule.fault;
  }

  /** Replies the core neither finished reading nor cancelled (a leaked connection when nothing is running). */
  unreleased(): TapRecord[] {
    return this.records.filter((r) => !r.released && r.outcome !== 'host-died');
  }

  private settle(record: TapRecord): void {
    record.released = true;
    this.active--;
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }
}

function plainHeaders(h: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (h === undefined) return out;
  new Headers(h).forEach((value, key) => (out[key] = value));
  return out;
}
