import * as assert from 'node:assert/strict';
import { exportFileName, MAX_NAME_ATTEMPTS, nextFreeName, slugify } from '../../../src/core/export/fileName';

// Local-time constructor: the name uses local time, so this is deterministic in any time zone.
const WHEN = new Date(2026, 10, 24, 5, 12);
const STAMP = '2026-11-24-0512';

const WINDOWS_FORBIDDEN = /[<>:"/\\|?*\p{Cc}]/u;
const WINDOWS_RESERVED_STEM = /^(?:con|prn|aux|nul|com\d|lpt\d)$/i;

/** The properties every export name must have on Windows, macOS and Linux. */
function assertSafe(name: string): void {
  assert.match(name, /\.mp4$/);
  assert.ok(!WINDOWS_FORBIDDEN.test(name), `forbidden character in ${JSON.stringify(name)}`);
  assert.ok(!name.includes('..'), `".." in ${name}`);
  assert.ok(!/^[.\s-]/.test(name), `bad first character in ${name}`);
  assert.ok(!/[.\s]$/.test(name.slice(0, -4)), `bad last character before the extension in ${name}`);
  assert.ok(!WINDOWS_RESERVED_STEM.test(name.split('.')[0] ?? ''), `reserved name ${name}`);
  assert.ok(Buffer.byteLength(name, 'utf8') <= 140, `too long: ${Buffer.byteLength(name, 'utf8')} bytes`);
  assert.equal(name, name.normalize('NFC'));
}

describe('exportFileName', () => {
  const table: Array<[string | undefined, string]> = [
    ['Urban Dreams', `urban-dreams-${STAMP}.mp4`],
    ['  Urban   Dreams  ', `urban-dreams-${STAMP}.mp4`],
    ['../../etc/passwd', `etc-passwd-${STAMP}.mp4`],
    ['/etc/passwd', `etc-passwd-${STAMP}.mp4`],
    ['C:\\x', `c-x-${STAMP}.mp4`],
    ['C:\\Windows\\System32\\evil', `c-windows-system32-evil-${STAMP}.mp4`],
    ['\\\\server\\share\\x', `server-share-x-${STAMP}.mp4`],
    ['con', `video-con-${STAMP}.mp4`],
    ['CON', `video-con-${STAMP}.mp4`],
    ['nul', `video-nul-${STAMP}.mp4`],
    ['COM1', `video-com1-${STAMP}.mp4`],
    ['lpt9', `video-lpt9-${STAMP}.mp4`],
    ['NUL.txt', `nul-txt-${STAMP}.mp4`],
    ['a\u0000b\u001bc\nd\u007fe', `a-b-c-d-e-${STAMP}.mp4`],
    ['what?*:"<>|', `what-${STAMP}.mp4`],
    ['...', `nemovideo-${STAMP}.mp4`],
    ['. hidden .', `hidden-${STAMP}.mp4`],
    ['🎬🎬', `nemovideo-${STAMP}.mp4`],
    ['🎬 Urban Dreams 🌃', `urban-dreams-${STAMP}.mp4`],
    ['', `nemovideo-${STAMP}.mp4`],
    [undefined, `nemovideo-${STAMP}.mp4`],
    ["Tom's Trip: Part 1/2", `toms-trip-part-1-2-${STAMP}.mp4`],
    ['Café déjà vu', `café-déjà-vu-${STAMP}.mp4`],
    ['城市之夜', `城市之夜-${STAMP}.mp4`],
    ['Ｕｒｂａｎ　Ｄｒｅａｍｓ', `urban-dreams-${STAMP}.mp4`],
    ['\u202Egnp.exe', `gnp-exe-${STAMP}.mp4`],
    ['<script>alert(1)</script>', `script-alert-1-script-${STAMP}.mp4`],
  ];
  for (const [title, name] of table) {
    it(`${JSON.stringify(title)} -> ${name}`, () => {
      const actual = exportFileName(title, WHEN);
      assert.equal(actual, name);
      assertSafe(actual);
    });
  }

  it('caps a 300-character name', () => {
    const name = exportFileName('a'.repeat(300), WHEN);
    assertSafe(name);
    assert.equal(name, `${'a'.repeat(60)}-${STAMP}.mp4`);
  });

  it('caps a 300-CJK-character name by UTF-8 bytes', () => {
    const name = exportFileName('城'.repeat(300), WHEN);
    assertSafe(name);
    assert.equal(name, `${'城'.repeat(33)}-${STAMP}.mp4`);
  });

  it('never cuts an emoji or an accent in half, and leaves no trailing hyphen', () => {
    const accented = exportFileName('e\u0301'.repeat(100), WHEN); // decomposed é
    assertSafe(accented);
    assert.match(accented, new RegExp(`^é+-${STAMP}\\.mp4$`));
    const cut = exportFileName(`${'a'.repeat(59)} bcd`, WHEN);
    assert.equal(cut, `${'a'.repeat(59)}-${STAMP}.mp4`);
  });

  it('is safe for random hostile titles (fixed seed)', () => {
    let seed = 7;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const alphabet = ['a', 'Z', '.', '/', '\\', ':', ' ', '\u0000', '\n', '城', '🎬', '\u0301', 'con', 'NUL', '..', '-', '"', '*', '\u202E', 'ß', 'İ'];
    for (let i = 0; i < 2000; i++) {
      const title = Array.from({ length: Math.floor(rnd() * 120) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('');
      assertSafe(exportFileName(title, WHEN));
    }
  });

  it('leaves the date out for an invalid date instead of writing NaN', () => {
    assert.equal(exportFileName('x', new Date(Number.NaN)), 'x.mp4');
  });

  it('slugify falls back to nemovideo for nothing usable', () => {
    assert.equal(slugify('!!!'), 'nemovideo');
    assert.equal(slugify('x'.repeat(100000)).length, 60);
  });
});

describe('nextFreeName', () => {
  const taken = (names: string[]) => (candidate: string): boolean => names.includes(candidate);

  it('returns the name when free', async () => {
    assert.equal(await nextFreeName('x.mp4', taken([])), 'x.mp4');
  });
  it('counts up from (2)', async () => {
    assert.equal(await nextFreeName('x.mp4', taken(['x.mp4'])), 'x (2).mp4');
    assert.equal(await nextFreeName('x.mp4', taken(['x.mp4', 'x (2).mp4'])), 'x (3).mp4');
  });
  it('continues an existing number instead of nesting it', async () => {
    assert.equal(await nextFreeName('x (2).mp4', taken(['x (2).mp4'])), 'x (3).mp4');
  });
  it('works with async exists and names without an extension or with several dots', async () => {
    assert.equal(await nextFreeName('x', async (c) => c === 'x'), 'x (2)');
    assert.equal(await nextFreeName('a.b.mp4', async (c) => c === 'a.b.mp4'), 'a.b (2).mp4');
    assert.equal(await nextFreeName('.mp4', (c) => c === '.mp4'), '.mp4 (2)');
  });
  it('never returns a name that exists', async () => {
    const names = ['x.mp4', ...Array.from({ length: 50 }, (_, i) => `x (${i + 2}).mp4`)];
    const result = await nextFreeName('x.mp4', taken(names));
    assert.equal(result, 'x (52).mp4');
    assert.ok(!names.includes(result));
  });
  it('gives up instead of looping forever when everything exists', async () => {
    let calls = 0;
    await assert.rejects(nextFreeName('x.mp4', () => (calls++, true)), /No free file name/);
    assert.equal(calls, MAX_NAME_ATTEMPTS + 1);
  });
  it('propagates a failing exists check rather than guessing', async () => {
    await assert.rejects(nextFreeName('x.mp4', () => Promise.reject(new Error('EACCES'))), /EACCES/);
  });
});
