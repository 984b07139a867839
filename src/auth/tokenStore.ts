// Where the tokens live (docs/protocol.md §9):
//   user token:       NEMO_TOKEN env  >  SecretStorage `nemoVideo.token`
//   anonymous token:  SecretStorage, one per API origin (a token is only ever
//                     sent to the origin that issued it)
//   client id:        globalState (not a secret); an existing
//                     ~/.config/nemovideo/client_id is imported by the core.
// The token never goes to the webview, logs, globalState, settings or history:
// globalState only holds the NAMES of the secrets we wrote, so that sign-out can
// delete them and so that a secret store that forgets everything on restart
// (memory-only, no OS keyring) can be detected and explained once.
import * as vscode from 'vscode';
import { STORE_KEYS } from '../core/api/storeKeys';
import type { KeyValueStore } from '../core/config';

export const USER_TOKEN_KEY = 'nemoVideo.token';
const CORE_PREFIX = 'nemoVideo.core.';
/** Names (never values) of the secrets this extension wrote and expects to find after a restart. */
const WRITTEN_SECRETS_KEY = 'nemoVideo.writtenSecrets';

/** Loose shape check for Set API Token: tokens look like `nmv_usr_…`, but other prefixes may exist. */
export function tokenShapeProblem(value: string): { message: string; severity: 'error' | 'warning' } | undefined {
  const v = value.trim();
  if (v === '') return { message: vscode.l10n.t('Paste your NemoVideo API token.'), severity: 'error' };
  if (/\s/.test(v)) return { message: vscode.l10n.t('A token has no spaces.'), severity: 'error' };
  if (v.length < 12 || v.length > 512) return { message: vscode.l10n.t('This does not look like a NemoVideo token.'), severity: 'error' };
  if (!/^[\x21-\x7e]+$/.test(v)) return { message: vscode.l10n.t('A token has only plain letters, digits and symbols.'), severity: 'error' };
  if (!v.startsWith('nmv_')) return { message: vscode.l10n.t('NemoVideo tokens usually start with nmv_usr_. Press Enter to use it anyway.'), severity: 'warning' };
  return undefined;
}

export class TokenStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the user token changed, in this window or another one (secrets.onDidChange). */
  readonly onDidChangeUserToken = this.changed.event;
  private readonly anyChanged = new vscode.EventEmitter<void>();
  /** Fires when the user token or a guest token changed, here or in another window (the Accounts menu follows both). */
  readonly onDidChangeStoredTokens = this.anyChanged.event;
  /** Last values seen, only so the log can redact them. */
  private readonly seen = new Set<string>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly context: vscode.ExtensionContext) {
    const env = this.envToken();
    if (env) this.seen.add(env);
    this.subscription = context.secrets.onDidChange((e) => {
      if (e.key === USER_TOKEN_KEY) this.changed.fire();
      if (e.key === USER_TOKEN_KEY || e.key.startsWith(CORE_PREFIX)) this.anyChanged.fire();
    });
  }

  /** NEMO_TOKEN from the environment, which beats the stored token (headless and remote setups). */
  envToken(): string | undefined {
    const v = process.env.NEMO_TOKEN?.trim();
    return v ? v : undefined;
  }

  /** The token the user stored with Set API Token (SecretStorage only). */
  async get(): Promise<string | undefined> {
    const v = await this.context.secrets.get(USER_TOKEN_KEY);
    if (v) this.seen.add(v);
    return v || undefined;
  }

  /** The user token in effect: NEMO_TOKEN, else the stored one; undefined means anonymous. */
  async effectiveUserToken(): Promise<string | undefined> {
    return this.envToken() ?? (await this.get());
  }

  async set(value: string): Promise<void> {
    const v = value.trim();
    this.seen.add(v);
    await this.context.secrets.store(USER_TOKEN_KEY, v);
    await this.remember(USER_TOKEN_KEY);
    this.changed.fire();
    this.anyChanged.fire();
  }

  async delete(): Promise<void> {
    await this.context.secrets.delete(USER_TOKEN_KEY);
    await this.forget(USER_TOKEN_KEY);
    this.changed.fire();
    this.anyChanged.fire();
  }

  /** Sign Out: the user token and every anonymous token we stored. The client id stays (§2.3: it must be stable). */
  async signOut(): Promise<void> {
    for (const key of this.writtenSecrets()) {
      if (key !== USER_TOKEN_KEY) await this.context.secrets.delete(key);
    }
    this.updateState(WRITTEN_SECRETS_KEY, this.writtenSecrets().filter((k) => k === USER_TOKEN_KEY));
    // The anonymous user ids that went with those tokens (not secret, but no longer ours).
    for (const key of this.context.globalState.keys()) {
      if (key.startsWith(CORE_PREFIX) && !/clientId/i.test(key)) this.updateState(key, undefined);
    }
    await this.delete();
  }

  /** The guest (anonymous) token the core stored for `origin`, if any. */
  guestToken(origin: string): Promise<string | undefined> {
    return this.coreStore(origin).get(STORE_KEYS.anonymousToken);
  }

  /**
   * The KeyValueStore the core client uses for its client id and anonymous token.
   * Keys that name a token go to SecretStorage, scoped to `origin`; the rest go to globalState.
   */
  coreStore(origin: string): KeyValueStore {
    const isSecret = (key: string) => /token|secret/i.test(key);
    const secretKey = (key: string) => `${CORE_PREFIX}${origin}.${key}`;
    // The client id is one per installation (§2.3); everything else belongs to one backend.
    const stateKey = (key: string) => (/clientId/i.test(key) ? `${CORE_PREFIX}${key}` : `${CORE_PREFIX}${origin}.${key}`);
    return {
      get: async (key) => {
        if (!isSecret(key)) return this.context.globalState.get<string>(stateKey(key));
        const v = await this.context.secrets.get(secretKey(key));
        if (v) this.seen.add(v);
        return v || undefined;
      },
      set: async (key, value) => {
        if (!isSecret(key)) return this.updateState(stateKey(key), value);
        this.seen.add(value);
        await this.context.secrets.store(secretKey(key), value);
        await this.remember(secretKey(key));
        this.anyChanged.fire();
      },
      delete: async (key) => {
        if (!isSecret(key)) return this.updateState(stateKey(key), undefined);
        await this.context.secrets.delete(secretKey(key));
        await this.forget(secretKey(key));
        this.anyChanged.fire();
      },
    };
  }

  /** Every token value seen in this session, for log redaction. */
  knownSecrets(): string[] {
    return [...this.seen];
  }

  /**
   * True when a secret we stored in an earlier session is gone: the secret store
   * keeps values in memory only (no OS keyring, some browser-hosted servers).
   * Forgets the lost names so the user is told only once.
   */
  async detectLostSecrets(): Promise<boolean> {
    const names = this.writtenSecrets();
    if (names.length === 0) return false;
    const lost: string[] = [];
    for (const name of names) if (!(await this.context.secrets.get(name))) lost.push(name);
    if (lost.length === 0) return false;
    this.updateState(WRITTEN_SECRETS_KEY, names.filter((n) => !lost.includes(n)));
    return true;
  }

  private writtenSecrets(): string[] {
    return this.context.globalState.get<string[]>(WRITTEN_SECRETS_KEY) ?? [];
  }

  private async remember(name: string): Promise<void> {
    const names = this.writtenSecrets();
    if (!names.includes(name)) this.updateState(WRITTEN_SECRETS_KEY, [...names, name]);
  }

  private async forget(name: string): Promise<void> {
    const names = this.writtenSecrets();
    if (names.includes(name)) this.updateState(WRITTEN_SECRETS_KEY, names.filter((n) => n !== name));
  }

  /**
   * globalState.get sees a new value at once, but persisting it can take seconds
   * (code-server), so nobody waits for it. A failed write only costs a re-import later.
   */
  private updateState(key: string, value: unknown): void {
    void Promise.resolve(this.context.globalState.update(key, value)).then(undefined, () => undefined);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
    this.anyChanged.dispose();
  }
}

/** An in-memory KeyValueStore: the simulator's tokens must never be persisted next to real ones. */
export function memoryStore(): KeyValueStore {
  const values = new Map<string, string>();
  return {
    get: async (key) => values.get(key),
    set: async (key, value) => void values.set(key, value),
    delete: async (key) => void values.delete(key),
  };
}
