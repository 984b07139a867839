// resolveSettings on its own: which level of a setting counts (scope and trust),
// what the environment adds, and what an invalid value falls back to.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_ATTRIBUTION_PLATFORM, DEFAULT_ATTRIBUTION_SOURCE, projectLanguage, resolveSettings, type SettingInspection, type SettingsEnv } from '../../../src/settingsResolver';

const DEFAULT_API = 'https://mega-api-prod.nemovideo.ai';
const DEFAULT_WEB = 'https://nemovideo.com';

function resolve(inspections: Record<string, SettingInspection>, { env = {}, trusted = true }: { env?: SettingsEnv; trusted?: boolean } = {}) {
  return resolveSettings((k) => inspections[k], env, trusted);
}

describe('resolveSettings', () => {
  it('with nothing set: the documented defaults, no warnings', () => {
    const s = resolve({});
    assert.equal(s.apiBaseUrl, DEFAULT_API);
    assert.equal(s.webBaseUrl, DEFAULT_WEB);
    assert.equal(s.apiSource, 'default');
    assert.equal(s.apiIsDefault, true);
    assert.equal(s.attributionSource, DEFAULT_ATTRIBUTION_SOURCE);
    assert.equal(s.attributionPlatform, DEFAULT_ATTRIBUTION_PLATFORM);
    assert.equal(s.exportFolder, 'videos');
    assert.equal(s.autoExport, true);
    assert.equal(s.askOptions, true);
    assert.equal(s.confirmBeforeSpending, true);
    assert.equal(s.language, 'auto');
    assert.equal(s.pollSeconds, 5);
    assert.equal(s.uploadWarnSizeMB, 500);
    assert.equal(s.maxDownloadBytes, 4 * 1024 ** 3);
    assert.deepEqual(s.trustedApiOrigins, []);
    assert.equal(s.trusted, true);
    assert.deepEqual(s.warnings, []);
  });

  it('origins: the user setting beats NEMO_API_URL, which beats the default', () => {
    const env = { NEMO_API_URL: 'https://env.example.com', NEMO_WEB_URL: 'https://web-env.example.com' };
    const fromEnv = resolve({}, { env });
    assert.equal(fromEnv.apiBaseUrl, 'https://env.example.com');
    assert.equal(fromEnv.apiSource, 'env');
    assert.equal(fromEnv.apiIsDefault, false);
    assert.equal(fromEnv.webBaseUrl, 'https://web-env.example.com');
    const fromSetting = resolve({ apiBaseUrl: { globalValue: 'https://set.example.com/' }, webBaseUrl: { globalValue: 'https://web.example.com' } }, { env });
    assert.equal(fromSetting.apiBaseUrl, 'https://set.example.com');
    assert.equal(fromSetting.apiSource, 'setting');
    assert.equal(fromSetting.webBaseUrl, 'https://web.example.com');
  });

  it('origins: an empty or blank setting counts as unset', () => {
    const s = resolve({ apiBaseUrl: { globalValue: '   ' } }, { env: { NEMO_API_URL: 'https://env.example.com' } });
    assert.equal(s.apiBaseUrl, 'https://env.example.com');
    assert.deepEqual(s.warnings, []);
  });

  it('origins: an unusable address is refused with a warning and the next source is used', () => {
    const s = resolve({ apiBaseUrl: { globalValue: 'https://user:pw@evil.example.com' } }, { env: { NEMO_API_URL: 'file:///etc' } });
    assert.equal(s.apiBaseUrl, DEFAULT_API);
    assert.equal(s.warnings.length, 2);
    assert.ok(s.warnings.some((w) => w.startsWith('nemoVideo.apiBaseUrl')));
    assert.ok(s.warnings.some((w) => w.startsWith('NEMO_API_URL')));
  });

  for (const key of ['apiBaseUrl', 'webBaseUrl', 'attribution.source', 'attribution.platform', 'render.pollSeconds', 'askOptions', 'confirmBeforeSpending', 'upload.warnSizeMB', 'download.maxSizeGB', 'trustedApiOrigins']) {
    it(`${key}: a workspace value is ignored even in a trusted workspace, with a warning`, () => {
      const value = key.endsWith('Url') ? 'https://evil.example.com' : key === 'trustedApiOrigins' ? ['https://evil.example.com'] : key.startsWith('attribution') ? 'evil' : typeof resolve({})[keyOf(key)] === 'boolean' ? false : 0.5;
      const s = resolve({ [key]: { workspaceValue: value, workspaceFolderValue: value } });
      assert.deepEqual(s[keyOf(key)], resolve({})[keyOf(key)], `${key} took the workspace's value`);
      assert.ok(s.warnings.some((w) => w.includes(`nemoVideo.${key} is set in the workspace settings`)), s.warnings.join('\n'));
    });
  }

  it('resource settings: the workspace folder beats the workspace, which beats the user, when trusted', () => {
    const inspections = {
      exportFolder: { globalValue: 'user-videos', workspaceValue: 'ws-videos', workspaceFolderValue: 'folder-videos' },
      autoExport: { globalValue: true, workspaceValue: false },
    };
    const s = resolve(inspections);
    assert.equal(s.exportFolder, 'folder-videos');
    assert.equal(s.autoExport, false);
    assert.equal(resolve({ exportFolder: { globalValue: 'user-videos', workspaceValue: 'ws-videos' } }).exportFolder, 'ws-videos');
    assert.deepEqual(s.warnings, []);
  });

  it('resource settings: an untrusted workspace counts only the user value, with a warning', () => {
    const s = resolve({ exportFolder: { globalValue: 'user-videos', workspaceFolderValue: '../outside' }, autoExport: { workspaceValue: false } }, { trusted: false });
    assert.equal(s.exportFolder, 'user-videos');
    assert.equal(s.autoExport, true);
    assert.equal(s.trusted, false);
    assert.ok(s.warnings.some((w) => w.includes('nemoVideo.exportFolder is set in the settings of an untrusted workspace')));
    assert.ok(s.warnings.some((w) => w.includes('nemoVideo.autoExport is set in the settings of an untrusted workspace')));
  });

  it('window settings (language) come from any level, trusted or not', () => {
    assert.equal(resolve({ language: { globalValue: 'en', workspaceValue: 'zh-CN' } }, { trusted: false }).language, 'zh-CN');
  });

  it('invalid values fall back to the default with a warning', () => {
    const s = resolve({
      exportFolder: { globalValue: '' },
      autoExport: { globalValue: 'yes' },
      language: { globalValue: 'klingon!' },
      'render.pollSeconds': { globalValue: 0.2 },
      'upload.warnSizeMB': { globalValue: 0 },
      'download.maxSizeGB': { globalValue: 5000 },
      'attribution.source': { globalValue: 'bad\nvalue' },
    });
    assert.equal(s.exportFolder, 'videos');
    assert.equal(s.autoExport, true);
    assert.equal(s.language, 'auto');
    assert.equal(s.pollSeconds, 5);
    assert.equal(s.uploadWarnSizeMB, 500);
    assert.equal(s.maxDownloadBytes, 4 * 1024 ** 3);
    assert.equal(s.attributionSource, DEFAULT_ATTRIBUTION_SOURCE);
    assert.equal(s.warnings.filter((w) => w.includes('invalid value')).length, 7);
  });

  it('valid user values are taken as they are', () => {
    const s = resolve({
      'render.pollSeconds': { globalValue: 1 },
      'upload.warnSizeMB': { globalValue: 1 },
      'download.maxSizeGB': { globalValue: 0.5 },
      askOptions: { globalValue: false },
      confirmBeforeSpending: { globalValue: false },
      'attribution.source': { globalValue: 'my-source' },
      'attribution.platform': { globalValue: 'my-platform' },
      trustedApiOrigins: { globalValue: ['https://staging.example.com/'] },
    });
    assert.equal(s.pollSeconds, 1);
    assert.equal(s.uploadWarnSizeMB, 1);
    assert.equal(s.maxDownloadBytes, 512 * 1024 ** 2);
    assert.equal(s.askOptions, false);
    assert.equal(s.confirmBeforeSpending, false);
    assert.equal(s.attributionSource, 'my-source');
    assert.equal(s.attributionPlatform, 'my-platform');
    assert.deepEqual(s.trustedApiOrigins, ['https://staging.example.com']);
    assert.deepEqual(s.warnings, []);
  });

  it('no poll interval below one second is offered or accepted: faster polls are for tests (NEMO_TEST_RENDER_POLL_SECONDS)', () => {
    const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as {
      contributes: { configuration: Array<{ properties: Record<string, { minimum?: number }> }> };
    };
    const poll = manifest.contributes.configuration.map((c) => c.properties['nemoVideo.render.pollSeconds']).find((p) => p !== undefined);
    assert.equal(poll?.minimum, 1);
    assert.equal(resolve({ 'render.pollSeconds': { globalValue: 0.99 } }).pollSeconds, 5);
    assert.equal(resolve({ 'render.pollSeconds': { globalValue: 1 } }).pollSeconds, 1);
  });

  it('SKILL_SOURCE sets the platform header unless the setting does; an invalid one is ignored', () => {
    assert.equal(resolve({}, { env: { SKILL_SOURCE: 'cursor' } }).attributionPlatform, 'cursor');
    assert.equal(resolve({ 'attribution.platform': { globalValue: 'mine' } }, { env: { SKILL_SOURCE: 'cursor' } }).attributionPlatform, 'mine');
    const bad = resolve({}, { env: { SKILL_SOURCE: 'bad\u0001value' } });
    assert.equal(bad.attributionPlatform, DEFAULT_ATTRIBUTION_PLATFORM);
    assert.ok(bad.warnings.some((w) => w.startsWith('SKILL_SOURCE')));
  });
});

describe('projectLanguage', () => {
  it('auto follows the display language, written the way the backend documents it', () => {
    assert.equal(projectLanguage('auto', 'zh-cn'), 'zh-CN');
    assert.equal(projectLanguage('', 'pt-br'), 'pt-BR');
    assert.equal(projectLanguage('auto', 'en'), 'en');
    assert.equal(projectLanguage('zh_hans', 'en'), 'zh-Hans');
    assert.equal(projectLanguage('de', 'zh-cn'), 'de');
    assert.equal(projectLanguage('auto', '1234'), 'en');
  });
});

type Resolved = ReturnType<typeof resolve>;
function keyOf(setting: string): keyof Resolved {
  const map: Record<string, keyof Resolved> = {
    'attribution.source': 'attributionSource',
    'attribution.platform': 'attributionPlatform',
    'render.pollSeconds': 'pollSeconds',
    'upload.warnSizeMB': 'uploadWarnSizeMB',
    'download.maxSizeGB': 'maxDownloadBytes',
  };
  return map[setting] ?? (setting as keyof Resolved);
}
