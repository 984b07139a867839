// Builds the core NemoClient lazily, on first use, from the settings and the
// token store, and rebuilds it when the API origin, the token or the backend
// (real or the bundled simulator) changes. Runs already in progress keep the
// client they started with.
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NemoClient } from '../core/api/client';
import { systemClock } from '../core/clock';
import type { NemoConfig } from '../core/config';
import { memoryStore, type TokenStore } from '../auth/tokenStore';
import { confirmModal } from '../dialogs/prompts';
import { mayCarryToken, tokenOrigin, userTokenDecision } from '../core/api/tokenBinding';
import { DEFAULT_API_BASE_URL } from '../core/config';
import { NemoError } from '../core/errors';
import { loadApiClient } from '../lazy/chunks';
import type { NemoLog } from '../log';
import type { Settings } from '../settings';

export interface Backend {
  apiBaseUrl: string;
  webBaseUrl: string;
  /** True when the bundled simulator is in use (this window only). */
  simulator: boolean;
  /** True when the API origin is the documented production default. */
  isDefault: boolean;
}

export class ClientProvider implements vscode.Disposable {
  private client: NemoClient | undefined;
  private building: Promise<NemoClient> | undefined;
  private generation = 0;
  private simulatorUrl: string | undefined;
  /** Origins the user declined to send their token to, in this window. */
  private readonly declinedOrigins = new Set<string>();
  private readonly simulatorStore = memoryStore();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the client was dropped (origin, token or backend changed). */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly settings: Settings,
    private readonly tokens: TokenStore,
    private readonly log: NemoLog,
    private readonly extensionVersion: string,
  ) {
    this.subscriptions = [
      this.changed,
      settings.onDidChange((e) => {
        if (e.originChanged) this.invalidate('settings changed');
      }),
      tokens.onDidChangeUserToken(() => {
        // A new token is a new question: ask again for the origins declined with the old one.
        this.declinedOrigins.clear();
        this.invalidate('token changed');
      }),
    ];
  }

  /** The backend requests go to, after settings, env, trust and the simulator switch. */
  backend(): Backend {
    if (this.simulatorUrl) return { apiBaseUrl: this.simulatorUrl, webBaseUrl: this.settings.current().webBaseUrl, simulator: true, isDefault: false };
    const s = this.settings.current();
    return { apiBaseUrl: s.apiBaseUrl, webBaseUrl: s.webBaseUrl, simulator: false, isDefault: s.apiIsDefault };
  }

  /** The client for the current backend, created on first use. */
  async get(): Promise<NemoClient> {
    if (this.client) return this.client;
    if (!this.building) {
      const generation = this.generation;
      this.building = this.build().then(
        (c) => {
          // A change while building means this client is already stale: build again.
          if (generation !== this.generation) {
            this.building = undefined;
            return this.get();
          }
          this.client = c;
          this.building = undefined;
          return c;
        },
        (e: unknown) => {
          this.building = undefined;
          throw e;
        },
      );
    }
    return this.building;
  }

  /** The client if one was already made (no I/O). */
  peek(): NemoClient | undefined {
    return this.client;
  }

  /** Switches this window to the bundled simulator (never written to settings), or back with undefined. */
  useSimulator(url: string | undefined): void {
    this.simulatorUrl = url;
    this.invalidate(url ? `using the simulator at ${url}` : 'simulator stopped');
  }

  invalidate(reason: string): void {
    if (!this.client && !this.building) {
      this.changed.fire();
      return;
    }
    this.log.info(`API client reset: ${reason}.`);
    this.generation++;
    this.client = undefined;
    this.building = undefined;
    this.changed.fire();
  }

  /**
   * The user's token for this origin, or undefined (the origin then issues its own
   * anonymous token). See core/api/tokenBinding.ts for the rules; an origin the user
   * declines is not asked about again in this window.
   */
  private async userTokenFor(apiBaseUrl: string): Promise<string | undefined> {
    const token = await this.tokens.effectiveUserToken();
    if (!token) return undefined;
    const origin = tokenOrigin(apiBaseUrl)!;
    switch (userTokenDecision(apiBaseUrl, this.settings.current().trustedApiOrigins, this.declinedOrigins)) {
      case 'send':
        return token;
      case 'withhold':
        this.log.info(`Your own token is not sent to ${origin}: it was not confirmed for this address (nemoVideo.trustedApiOrigins).`);
        return undefined;
      case 'ask': {
        const allow = vscode.l10n.t('Send My Token to {0}', origin);
        const question = vscode.l10n.t('Send your NemoVideo token to {0}?', origin);
        const detail = vscode.l10n.t(
          'NemoVideo is set to use {0}, which is not the NemoVideo service ({1}). Allow this only if you set this address yourself: a Dev Container, a remote machine or an environment variable may have set it. Otherwise NemoVideo continues as a guest there, without your token.',
          origin,
          DEFAULT_API_ORIGIN,
        );
        if (await confirmModal(question, allow, detail)) {
          await this.settings.trustApiOrigin(origin);
          this.log.info(`You confirmed ${origin} for your token (saved in nemoVideo.trustedApiOrigins).`);
          return token;
        }
        this.declinedOrigins.add(origin);
        this.log.info(`Your own token is not sent to ${origin} (declined); continuing as a guest there.`);
        return undefined;
      }
    }
  }

  private async build(): Promise<NemoClient> {
    const s = this.settings.current();
    const backend = this.backend();
    if (!mayCarryToken(backend.apiBaseUrl)) {
      throw new NemoError({
        kind: 'insecureOrigin',
        message: vscode.l10n.t(
          'NemoVideo does not send tokens over plain http to another machine ({0}). Use an https:// address in nemoVideo.apiBaseUrl or NEMO_API_URL.',
          originOf(backend.apiBaseUrl),
        ),
        action: 'none',
      });
    }
    // The simulator gets neither the user's token nor the stored anonymous ones.
    const userToken = backend.simulator ? undefined : await this.userTokenFor(backend.apiBaseUrl);
    const config: NemoConfig = {
      apiBaseUrl: backend.apiBaseUrl,
      webBaseUrl: backend.webBaseUrl,
      attribution: { source: s.attributionSource, version: this.extensionVersion, platform: s.attributionPlatform },
      language: this.settings.projectLanguage(),
      userToken,
      clientIdOverride: process.env.NEMO_CLIENT_ID?.trim() || undefined,
      store: backend.simulator ? this.simulatorStore : this.tokens.coreStore(new URL(backend.apiBaseUrl).origin),
      clientIdFile: backend.simulator ? undefined : clientIdFile,
      clock: systemClock,
      logger: this.log,
      uploadWarnBytes: s.uploadWarnSizeMB * 1024 * 1024,
      maxDownloadBytes: s.maxDownloadBytes,
    };
    this.log.info(`API client ready for ${backend.apiBaseUrl} (${backend.simulator ? 'simulator' : userToken ? 'user token' : 'anonymous token'}).`);
    // The client's code (requests, the SSE reader, downloads) loads here, not at activation.
    return (await loadApiClient()).createNemoClient(config);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

/**
 * Imports the client id that NemoVideo's skills keep in ~/.config/nemovideo/client_id
 * (§2.3), so the extension counts as the same client for the per-IP limit.
 * Writing is left to the skills: the extension keeps its id in globalState.
 */
const DEFAULT_API_ORIGIN = new URL(DEFAULT_API_BASE_URL).origin;

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

const clientIdFile: NonNullable<NemoConfig['clientIdFile']> = {
  async read() {
    try {
      const text = (await fs.readFile(path.join(os.homedir(), '.config', 'nemovideo', 'client_id'), 'utf8')).trim();
      return /^[\x21-\x7e]{1,64}$/.test(text) ? text : undefined;
    } catch {
      return undefined;
    }
  },
  async write() {
    // Deliberately nothing: see above.
  },
};
