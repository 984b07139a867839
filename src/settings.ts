// Reads nemoVideo.* through VS Code and applies the rules of settingsResolver.ts
// (setting scopes, workspace trust, env fallbacks, validation). The resolved
// settings are cached and re-read when the configuration or the trust changes.
import * as vscode from 'vscode';
import { projectLanguage, resolveSettings, type ResolvedSettings } from './settingsResolver';

export type { ResolvedSettings } from './settingsResolver';

const SECTION = 'nemoVideo';

/** Settings the API client is built from: a change rebuilds it. */
const CLIENT_KEYS = ['apiBaseUrl', 'webBaseUrl', 'attribution.source', 'attribution.platform', 'render.pollSeconds', 'language', 'trustedApiOrigins', 'download.maxSizeGB'];

export class Settings implements vscode.Disposable {
  private cached: ResolvedSettings | undefined;
  private readonly loggedWarnings = new Set<string>();
  private readonly changed = new vscode.EventEmitter<{ originChanged: boolean }>();
  /** Fires after any nemoVideo.* or trust change; `originChanged` when the client must be rebuilt. */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly warn: (message: string) => void) {
    this.subscriptions = [
      this.changed,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration(SECTION)) return;
        const before = this.cached;
        this.cached = undefined;
        const after = this.current();
        this.changed.fire({ originChanged: !before || CLIENT_KEYS.some((k) => e.affectsConfiguration(`${SECTION}.${k}`)) || before.apiBaseUrl !== after.apiBaseUrl });
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.cached = undefined;
        this.changed.fire({ originChanged: false });
      }),
    ];
  }

  /** The window-level settings (resource settings as seen for the first workspace folder). */
  current(): ResolvedSettings {
    if (!this.cached) this.cached = this.read(undefined);
    return this.cached;
  }

  /** Settings as they apply to one workspace folder (exportFolder and autoExport are resource-scoped). */
  forFolder(folder: vscode.Uri | undefined): ResolvedSettings {
    return folder ? this.read(folder) : this.current();
  }

  /** The language code for new projects. */
  projectLanguage(): string {
    return projectLanguage(this.current().language, vscode.env.language);
  }

  /** Adds an origin the user confirmed for their token to their user settings (never a workspace's). */
  async trustApiOrigin(origin: string): Promise<void> {
    const config = vscode.workspace.getConfiguration(SECTION);
    const raw = config.inspect<unknown>('trustedApiOrigins')?.globalValue;
    const list = Array.isArray(raw) ? raw : [];
    if (list.includes(origin)) return;
    await config.update('trustedApiOrigins', [...list, origin], vscode.ConfigurationTarget.Global);
    this.cached = undefined;
  }

  private read(scope: vscode.Uri | undefined): ResolvedSettings {
    const config = vscode.workspace.getConfiguration(SECTION, scope ?? vscode.workspace.workspaceFolders?.[0]?.uri);
    const resolved = resolveSettings((key) => config.inspect(key), { NEMO_API_URL: process.env.NEMO_API_URL, NEMO_WEB_URL: process.env.NEMO_WEB_URL, SKILL_SOURCE: process.env.SKILL_SOURCE }, vscode.workspace.isTrusted);
    for (const w of resolved.warnings) {
      if (this.loggedWarnings.has(w)) continue;
      this.loggedWarnings.add(w);
      this.warn(w);
    }
    return resolved;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
