// Who the client is to the backend: the token it sends and, for anonymous
// tokens, the persisted X-Client-Id (docs/protocol.md §2.1, §2.3, §3.1, §9).
//
// Token order: the user's token (NEMO_TOKEN or SecretStorage, chosen by the
// shell) > the stored anonymous token > a new anonymous token.
// Client id order: NEMO_CLIENT_ID > the store > ~/.config/nemovideo/client_id
// > a new UUID written to both, so the per-client and per-IP limits of §9 are
// not burnt by a fresh id on every start.
import { randomUUID } from 'node:crypto';
import type { NemoConfig } from '../config';
import { STORE_KEYS } from './storeKeys';

/** Keys this client uses in `config.store` (the shell backs the token keys with SecretStorage). */
export interface AnonymousGrant {
  token: string;
  userId?: string;
}

/** §2.3: any unique, stable string of at most 64 characters; printable ASCII so it is a valid header value. */
export function isValidClientId(id: string | undefined): id is string {
  return typeof id === 'string' && /^[\x21-\x7e]{1,64}$/.test(id);
}

export class Identity {
  private userToken: string | undefined;
  private anonToken: string | undefined;
  private anonUserId: string | undefined;
  private sessionUserId: string | undefined;
  private anonLoaded = false;
  private clientIdValue: string | undefined;
  private clientIdPending: Promise<string> | undefined;
  private anonPending: Promise<string> | undefined;

  constructor(
    private readonly config: Pick<NemoConfig, 'store' | 'clientIdOverride' | 'clientIdFile' | 'logger' | 'userToken'>,
    private readonly requestAnonymous: (clientId: string, signal?: AbortSignal) => Promise<AnonymousGrant>,
    private readonly newUuid: () => string = randomUUID,
  ) {
    this.userToken = nonEmpty(config.userToken);
  }

  get anonymous(): boolean {
    return this.userToken === undefined;
  }

  /** `anon_…` for anonymous users (the ?bind= link), or the id a session reply named. */
  get userId(): string | undefined {
    return this.anonymous ? (this.anonUserId ?? this.sessionUserId) : this.sessionUserId;
  }

  setUserToken(token: string | undefined): void {
    this.userToken = nonEmpty(token);
  }

  /** A create-session reply may carry `user_id` (§3.2). */
  rememberUserId(id: string | undefined): void {
    if (!id) return;
    this.sessionUserId = id;
    if (this.anonymous && !this.anonUserId) {
      this.anonUserId = id;
      void this.persist(STORE_KEYS.anonymousUserId, id);
    }
  }

  /** Every secret value the client holds, for redact(). */
  secrets(): string[] {
    return [this.userToken, this.anonToken].filter((x): x is string => !!x);
  }

  /** The token to send; obtains an anonymous one on first use. */
  async token(signal?: AbortSignal): Promise<{ value: string; anonymous: boolean }> {
    if (this.userToken !== undefined) return { value: this.userToken, anonymous: false };
    await this.loadAnonymous();
    if (this.anonToken !== undefined) return { value: this.anonToken, anonymous: true };
    return { value: await this.obtainAnonymous(signal), anonymous: true };
  }

  /**
   * 1001 with an anonymous token: ask for a new one with the same client id.
   * Concurrent callers that saw the same rejected token share one request;
   * a caller whose token was already replaced just gets the new one.
   */
  async renewAnonymous(rejected: string, signal?: AbortSignal): Promise<string> {
    if (this.anonToken !== undefined && this.anonToken !== rejected) return this.anonToken;
    if (this.anonToken === rejected) {
      this.anonToken = undefined;
      await this.remove(STORE_KEYS.anonymousToken);
    }
    return this.obtainAnonymous(signal);
  }

  /** The renewed token was rejected too: drop it so the next action starts clean. */
  async forgetAnonymous(rejected: string): Promise<void> {
    if (this.anonToken !== rejected) return;
    this.anonToken = undefined;
    await this.remove(STORE_KEYS.anonymousToken);
  }

  async clientId(): Promise<string> {
    if (this.clientIdValue) return this.clientIdValue;
    this.clientIdPending ??= this.resolveClientId().finally(() => (this.clientIdPending = undefined));
    return this.clientIdPending;
  }

  /** HTTP 400 on anonymous-token: our id was missing or refused; make, persist and use a new one. */
  async replaceClientId(): Promise<string> {
    const id = this.newUuid();
    this.clientIdValue = id;
    await this.writeClientId(id);
    return id;
  }

  private async resolveClientId(): Promise<string> {
    const override = nonEmpty(this.config.clientIdOverride);
    if (override !== undefined) {
      if (isValidClientId(override)) return (this.clientIdValue = override);
      this.config.logger.warn('NEMO_CLIENT_ID is not a usable client id (1-64 printable characters); ignoring it.');
    }
    const stored = await this.read(STORE_KEYS.clientId);
    if (isValidClientId(stored)) return (this.clientIdValue = stored);
    const fromFile = await this.readClientIdFile();
    if (isValidClientId(fromFile)) {
      this.clientIdValue = fromFile;
      await this.persist(STORE_KEYS.clientId, fromFile);
      return fromFile;
    }
    const id = this.newUuid();
    this.clientIdValue = id;
    await this.writeClientId(id);
    return id;
  }

  private async writeClientId(id: string): Promise<void> {
    await this.persist(STORE_KEYS.clientId, id);
    try {
      await this.config.clientIdFile?.write(id);
    } catch (e) {
      this.config.logger.warn(`Could not write the client id file: ${errorText(e)}`);
    }
  }

  private async readClientIdFile(): Promise<string | undefined> {
    try {
      return nonEmpty((await this.config.clientIdFile?.read())?.trim());
    } catch (e) {
      this.config.logger.warn(`Could not read the client id file: ${errorText(e)}`);
      return undefined;
    }
  }

  private async loadAnonymous(): Promise<void> {
    if (this.anonLoaded) return;
    this.anonLoaded = true;
    this.anonToken ??= nonEmpty(await this.read(STORE_KEYS.anonymousToken));
    this.anonUserId ??= nonEmpty(await this.read(STORE_KEYS.anonymousUserId));
  }

  private obtainAnonymous(signal?: AbortSignal): Promise<string> {
    this.anonPending ??= (async () => {
      const grant = await this.requestAnonymous(await this.clientId(), signal);
      this.anonToken = grant.token;
      this.anonLoaded = true;
      await this.persist(STORE_KEYS.anonymousToken, grant.token);
      if (grant.userId) {
        this.anonUserId = grant.userId;
        await this.persist(STORE_KEYS.anonymousUserId, grant.userId);
      }
      return grant.token;
    })().finally(() => (this.anonPending = undefined));
    return this.anonPending;
  }

  private async read(key: string): Promise<string | undefined> {
    try {
      return await this.config.store.get(key);
    } catch (e) {
      this.config.logger.warn(`Could not read ${key}: ${errorText(e)}`);
      return undefined;
    }
  }

  private async persist(key: string, value: string): Promise<void> {
    try {
      await this.config.store.set(key, value);
    } catch (e) {
      this.config.logger.warn(`Could not save ${key}: ${errorText(e)}`);
    }
  }

  private async remove(key: string): Promise<void> {
    try {
      await this.config.store.delete(key);
    } catch (e) {
      this.config.logger.warn(`Could not delete ${key}: ${errorText(e)}`);
    }
  }
}

function nonEmpty(v: string | undefined): string | undefined {
  return v !== undefined && v.trim() !== '' ? v.trim() : undefined;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
