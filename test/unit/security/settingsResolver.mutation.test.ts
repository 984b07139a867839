// Edges of resolveSettings and projectLanguage that mutation testing (issue 12) found
// unguarded: the documented defaults by value, the ends of every numeric range, the
// shape of a language code, and whitespace around user-typed values.
import * as assert from 'node:assert/strict';
import { DEFAULT_ATTRIBUTION_PLATFORM, DEFAULT_ATTRIBUTION_SOURCE, projectLanguage, resolveSettings, type SettingInspection, type SettingsEnv } from '../../../src/settingsResolver';

function resolve(inspections: Record<string, SettingInspection>, env: SettingsEnv = {}) {
  return resolveSettings((k) => inspections[k], env, true);
}

function user(key: string, value: unknown) {
  return resolve({ [key]: { globalValue: value } });
}

describe('resolveSettings: edges (mutation tests)', () => {
  it('the attribution defaults are the documented header values', () => {
    // README: attribution.source empty -> nemo-video-vscode; attribution.platform empty -> SKILL_SOURCE -> vscode.
    assert.equal(DEFAULT_ATTRIBUTION_SOURCE, 'nemo-video-vscode');
    assert.equal(DEFAULT_ATTRIBUTION_PLATFORM, 'vscode');
    const s = resolve({});
    assert.equal(s.attributionSource, 'nemo-video-vscode');
    assert.equal(s.attributionPlatform, 'vscode');
  });

  const ranges: Array<{ key: string; field: 'pollSeconds' | 'uploadWarnSizeMB' | 'maxDownloadBytes'; fallback: number; ok: number[]; bad: number[]; scale?: number }> = [
    { key: 'render.pollSeconds', field: 'pollSeconds', fallback: 5, ok: [1, 60], bad: [0.999, 0.2, 60.001, 61] },
    { key: 'upload.warnSizeMB', field: 'uploadWarnSizeMB', fallback: 500, ok: [1, 1_000_000], bad: [0.999, 1_000_001] },
    { key: 'download.maxSizeGB', field: 'maxDownloadBytes', fallback: 4, ok: [0.01, 1024], bad: [0.0099, 1024.5, 1025], scale: 1024 ** 3 },
  ];
  for (const { key, field, fallback, ok, bad, scale = 1 } of ranges) {
    it(`${key}: both ends of the range are accepted, anything past them falls back with a warning`, () => {
      for (const v of ok) {
        const s = user(key, v);
        assert.equal(s[field], scale === 1 ? v : Math.round(v * scale), `${key} = ${v}`);
        assert.deepEqual(s.warnings, [], `${key} = ${v}`);
      }
      for (const v of bad) {
        const s = user(key, v);
        assert.equal(s[field], fallback * scale, `${key} = ${v}`);
        assert.deepEqual(s.warnings, [`nemoVideo.${key} has an invalid value, so the default is used.`], `${key} = ${v}`);
      }
    });
  }

  it('language: a bare code, a region and a script plus region are valid; anything around a code is not', () => {
    for (const code of ['en', 'de', 'fil', 'zh-CN', 'pt_BR', 'zh-Hant-TW', 'auto']) {
      const s = user('language', code);
      assert.equal(s.language, code, code);
      assert.deepEqual(s.warnings, [], code);
    }
    for (const code of ['en us', 'x!en', 'english', 'en-', 'zh-Hant-TW-x1', 'auto!', 'my auto']) {
      const s = user('language', code);
      assert.equal(s.language, 'auto', code);
      assert.equal(s.warnings.length, 1, code);
    }
  });

  it('attribution values: surrounding spaces are trimmed, a blank value means unset (no warning)', () => {
    const s = resolve({ 'attribution.source': { globalValue: '  my-source  ' }, 'attribution.platform': { globalValue: '\tmy-platform ' } });
    assert.equal(s.attributionSource, 'my-source');
    assert.equal(s.attributionPlatform, 'my-platform');
    assert.deepEqual(s.warnings, []);
    const blank = resolve({ 'attribution.source': { globalValue: '   ' }, 'attribution.platform': { globalValue: ' ' } });
    assert.equal(blank.attributionSource, DEFAULT_ATTRIBUTION_SOURCE);
    assert.equal(blank.attributionPlatform, DEFAULT_ATTRIBUTION_PLATFORM);
    assert.deepEqual(blank.warnings, []);
  });

  it('SKILL_SOURCE: surrounding spaces are trimmed; a blank one is unset, without a warning', () => {
    assert.equal(resolve({}, { SKILL_SOURCE: '  jetbrains \n' }).attributionPlatform, 'jetbrains');
    const blank = resolve({}, { SKILL_SOURCE: '   ' });
    assert.equal(blank.attributionPlatform, DEFAULT_ATTRIBUTION_PLATFORM);
    assert.deepEqual(blank.warnings, []);
  });
});

describe('projectLanguage: edges (mutation tests)', () => {
  it('a display language that is not a 2-3 letter code becomes en, wherever the extra characters are', () => {
    assert.equal(projectLanguage('auto', 'english'), 'en');
    assert.equal(projectLanguage('auto', 'x-en'), 'en');
    assert.equal(projectLanguage('auto', 'e1n'), 'en');
    assert.equal(projectLanguage('FR', 'en'), 'fr');
  });
});

describe('resolveSettings: a trusted-origins list that is not right is said (mutation tests)', () => {
  it('an entry that is not an https address is ignored with a warning naming the setting', () => {
    const s = user('trustedApiOrigins', ['https://staging.example.com', 'ftp://files.example.com']);
    assert.deepEqual(s.trustedApiOrigins, ['https://staging.example.com']);
    assert.equal(s.warnings.length, 1);
    assert.match(s.warnings[0]!, /nemoVideo\.trustedApiOrigins: "ftp:\/\/files\.example\.com" is not an https address/);
  });
});
