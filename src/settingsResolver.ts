// Turns raw setting inspections, the environment and the workspace trust flag
// into the settings the extension acts on. Kept free of the `vscode` import so
// the security rules (README, Security) can be tested with a fake trust flag and fake
// inspections.
//
// Rules, per setting:
// - apiBaseUrl, webBaseUrl, attribution.*, render.pollSeconds: machine scope.
//   Only the user/machine value (inspect().globalValue) counts; a value in a
//   cloned repository's .vscode/settings.json is ignored, so it can never send
//   the token elsewhere. Precedence: explicit user setting > env > default.
// - askOptions, confirmBeforeSpending, upload.warnSizeMB, download.maxSizeGB,
//   trustedApiOrigins: application scope. Only the user value counts: a
//   workspace can never turn the questions off or vouch for an origin.
// - exportFolder, autoExport: resource scope. Workspace-folder > workspace >
//   user > default, but in an untrusted workspace only the user value counts.
// - language: window scope, any level.
// Values that fail validation fall back to the default with a warning.
import * as z from 'zod/mini';
import { lengthBetween, rule } from './core/zodRule';
import { resolveEndpoints } from './core/api/endpoints';
import { parseTrustedOrigins } from './core/api/tokenBinding';

/** The subset of vscode.WorkspaceConfiguration.inspect() that the resolver reads. */
export interface SettingInspection {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

export type Inspector = (key: string) => SettingInspection | undefined;

export interface SettingsEnv {
  NEMO_API_URL?: string;
  NEMO_WEB_URL?: string;
  /** Sets the X-Skill-Platform value (docs/protocol.md §2.2: the official variable name is swapped). */
  SKILL_SOURCE?: string;
}

export interface ResolvedSettings {
  apiBaseUrl: string;
  webBaseUrl: string;
  apiSource: 'setting' | 'env' | 'default';
  /** True when the API origin is the documented production default. */
  apiIsDefault: boolean;
  attributionSource: string;
  attributionPlatform: string;
  exportFolder: string;
  autoExport: boolean;
  askOptions: boolean;
  confirmBeforeSpending: boolean;
  /** `auto` or a language code as the user wrote it. */
  language: string;
  pollSeconds: number;
  uploadWarnSizeMB: number;
  /** Downloads larger than this are refused (from Content-Length up front, else as they arrive). */
  maxDownloadBytes: number;
  /** API origins the user confirmed for their own token (tokenBinding.ts). */
  trustedApiOrigins: string[];
  trusted: boolean;
  /** Values that were ignored or rejected, in plain language, for the log. */
  warnings: string[];
}

export const DEFAULT_ATTRIBUTION_SOURCE = 'nemo-video-vscode';
export const DEFAULT_ATTRIBUTION_PLATFORM = 'vscode';

// Header values must be short printable ASCII: a newline would make fetch throw on every request.
// (Rules via rule(), not z.regex/z.gte/z.lte: see src/core/zodRule.ts.)
const headerValue = z.string().check(rule((s) => /^[\x21-\x7e][\x20-\x7e]{0,63}$/.test(s)));
const folderSetting = z.string().check(lengthBetween(1, 260));
const languageCode = z.string().check(rule((s) => /^(auto|[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8}){0,2})$/.test(s)));
// Below one second is for tests against the simulator only, and they set it another way (ExportService.pollFasterForTests).
const pollSeconds = z.number().check(rule((n) => n >= 1 && n <= 60));
const warnSize = z.number().check(rule((n) => n >= 1 && n <= 1_000_000));
const maxSizeGB = z.number().check(rule((n) => n >= 0.01 && n <= 1024));

type Level = 'user' | 'workspace';

function userOnly(i: SettingInspection | undefined): { value: unknown; level: Level } | undefined {
  return i?.globalValue !== undefined ? { value: i.globalValue, level: 'user' } : undefined;
}

function anyLevel(i: SettingInspection | undefined, allowWorkspace: boolean): { value: unknown; level: Level } | undefined {
  if (allowWorkspace) {
    if (i?.workspaceFolderValue !== undefined) return { value: i.workspaceFolderValue, level: 'workspace' };
    if (i?.workspaceValue !== undefined) return { value: i.workspaceValue, level: 'workspace' };
  }
  return userOnly(i);
}

function hasWorkspaceValue(i: SettingInspection | undefined): boolean {
  return i?.workspaceValue !== undefined || i?.workspaceFolderValue !== undefined;
}

export function resolveSettings(inspect: Inspector, env: SettingsEnv, trusted: boolean): ResolvedSettings {
  const warnings: string[] = [];

  function pick<T>(key: string, schema: z.ZodMiniType<T>, fallback: T, scope: 'user' | 'resource' | 'window'): T {
    const inspection = inspect(key);
    const allowWorkspace = scope === 'window' || (scope === 'resource' && trusted);
    if (!allowWorkspace && hasWorkspaceValue(inspection)) {
      warnings.push(
        scope === 'user'
          ? `nemoVideo.${key} is set in the workspace settings; only your user settings may change it, so that value is ignored.`
          : `nemoVideo.${key} is set in the settings of an untrusted workspace, so that value is ignored.`,
      );
    }
    const found = anyLevel(inspection, allowWorkspace);
    if (found === undefined) return fallback;
    const parsed = schema.safeParse(found.value);
    if (parsed.success) return parsed.data;
    warnings.push(`nemoVideo.${key} has an invalid value, so the default is used.`);
    return fallback;
  }

  // Empty strings mean "not set" for the origins and attribution (the manifest default is "").
  const optionalString = (key: string, schema: z.ZodMiniType<string>): string | undefined => {
    const v = pick<string>(key, z.string(), '', 'user').trim();
    if (v === '') return undefined;
    const parsed = schema.safeParse(v);
    if (parsed.success) return parsed.data;
    warnings.push(`nemoVideo.${key} has an invalid value, so the default is used.`);
    return undefined;
  };

  const endpoints = resolveEndpoints({
    setting: { apiBaseUrl: optionalString('apiBaseUrl', z.string()), webBaseUrl: optionalString('webBaseUrl', z.string()) },
    env: { NEMO_API_URL: env.NEMO_API_URL, NEMO_WEB_URL: env.NEMO_WEB_URL },
  });
  warnings.push(...endpoints.problems);

  const envPlatform = env.SKILL_SOURCE?.trim();
  const platformFromEnv = envPlatform && headerValue.safeParse(envPlatform).success ? envPlatform : undefined;
  if (envPlatform && !platformFromEnv) warnings.push('SKILL_SOURCE is not a valid header value, so it was ignored.');

  const trustedOrigins = parseTrustedOrigins(pick<unknown>('trustedApiOrigins', z.unknown(), undefined, 'user'));
  warnings.push(...trustedOrigins.problems);

  return {
    apiBaseUrl: endpoints.apiBaseUrl,
    webBaseUrl: endpoints.webBaseUrl,
    apiSource: endpoints.apiSource,
    apiIsDefault: endpoints.apiIsDefault,
    attributionSource: optionalString('attribution.source', headerValue) ?? DEFAULT_ATTRIBUTION_SOURCE,
    attributionPlatform: optionalString('attribution.platform', headerValue) ?? platformFromEnv ?? DEFAULT_ATTRIBUTION_PLATFORM,
    exportFolder: pick('exportFolder', folderSetting, 'videos', 'resource'),
    autoExport: pick('autoExport', z.boolean(), true, 'resource'),
    askOptions: pick('askOptions', z.boolean(), true, 'user'),
    confirmBeforeSpending: pick('confirmBeforeSpending', z.boolean(), true, 'user'),
    language: pick('language', languageCode, 'auto', 'window'),
    pollSeconds: pick('render.pollSeconds', pollSeconds, 5, 'user'),
    uploadWarnSizeMB: pick('upload.warnSizeMB', warnSize, 500, 'user'),
    maxDownloadBytes: Math.round(pick('download.maxSizeGB', maxSizeGB, 4, 'user') * 1024 ** 3),
    trustedApiOrigins: trustedOrigins.origins,
    trusted,
    warnings,
  };
}

/**
 * The language code for new projects (§3.2): `auto` follows VS Code's display
 * language (`en`, `zh-cn`, `pt-br` …) written the way the backend documents it
 * (`en`, `zh-CN`).
 */
export function projectLanguage(setting: string, displayLanguage: string): string {
  const raw = setting === 'auto' || setting === '' ? displayLanguage : setting;
  const [lang = 'en', ...rest] = raw.split(/[-_]/);
  const base = lang.toLowerCase();
  if (!/^[a-z]{2,3}$/.test(base)) return 'en';
  const region = rest[0];
  if (!region) return base;
  // Script subtags (zh-Hans) keep title case; regions are upper case.
  return `${base}-${region.length === 4 ? region[0]!.toUpperCase() + region.slice(1).toLowerCase() : region.toUpperCase()}`;
}
