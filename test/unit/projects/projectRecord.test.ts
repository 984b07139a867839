// A project record: what is kept per video, validated and bounded, with nothing
// kept that the record does not define (no token, no server text the user did not
// see), and the projects of earlier versions (one per API origin) brought over.
import * as assert from 'node:assert/strict';
import {
  cleanTitle,
  historyFileFor,
  LEGACY_HISTORY_FILE,
  MAX_TITLE_CHARS,
  migrateLegacyProjects,
  newProjectId,
  newProjectRecord,
  parseProjectRecord,
  PROJECT_STATES,
  validRecord,
  type ProjectRecord,
} from '../../../src/core/projects/projectRecord';
import { createAnchor } from '../../../src/core/projects/sourceAnchor';

const T0 = 1_700_000_000_000;
const SID = '5529798706024415232';
const DOC = '# Launch\n\n## Scene 1\n\nLumen Desk rises without a sound.\n';
const anchor = () => createAnchor({ file: 'docs/launch.md', document: DOC, range: { start: { line: 4, character: 0 }, end: { line: 4, character: 33 } } });

function record(extra: Partial<ProjectRecord> = {}): ProjectRecord {
  return newProjectRecord({ id: 'p1', sessionId: SID, taskId: 'task_1a2b', title: 'Lumen Desk launch', origin: 'https://mega-api-prod.nemovideo.ai', source: anchor(), ...extra }, T0);
}

function reason(value: unknown): string {
  const r = parseProjectRecord(value);
  assert.equal(r.ok, false, 'expected a rejection');
  return r.ok ? '' : r.reason;
}

describe('projects/projectRecord', () => {
  it('a new record: generating, created now, its own history file, every field kept', () => {
    const r = record();
    assert.deepEqual(r, {
      v: 1,
      id: 'p1',
      sessionId: SID,
      taskId: 'task_1a2b',
      origin: 'https://mega-api-prod.nemovideo.ai',
      title: 'Lumen Desk launch',
      createdAt: T0,
      state: 'generating',
      source: anchor(),
      historyFile: 'chat-history-p1.ndjson',
    });
    assert.equal(historyFileFor('abc'), 'chat-history-abc.ndjson');
    assert.match(newProjectId(), /^[0-9a-f]{32}$/);
    assert.notEqual(newProjectId(), newProjectId());
    const generated = newProjectRecord({ sessionId: SID, taskId: 't', title: 'x' }, T0);
    assert.equal(generated.historyFile, historyFileFor(generated.id));
  });

  it('round-trips through JSON unchanged, for every state', () => {
    for (const state of PROJECT_STATES) {
      const r = { ...record({ state }), lastExport: { uri: 'file:///w/videos/launch.mp4', at: T0 + 5, bytes: 15_728_640 } };
      const back = parseProjectRecord(JSON.parse(JSON.stringify(r)));
      assert.deepEqual(back, { ok: true, record: r });
    }
  });

  it('drops every key it does not define, at every level (a token or server text never reaches the file)', () => {
    const r = record();
    const dirty = {
      ...r,
      token: 'nmv_usr_secret',
      serverReply: 'text the user never saw',
      draft: { tracks: [] },
      source: { ...r.source, token: 'nmv_usr_secret', range: { ...r.source!.range, extra: 1, start: { ...r.source!.range.start, x: 1 } }, heading: { ...r.source!.heading!, raw: '<b>' } },
      lastExport: { uri: 'file:///w/v.mp4', at: T0, bytes: 1, cdnUrl: 'https://cdn.example/v.mp4?sig=secret' },
    };
    const parsed = parseProjectRecord(dirty);
    assert.ok(parsed.ok);
    const text = JSON.stringify(parsed.record);
    for (const bad of ['token', 'nmv_usr_secret', 'serverReply', 'never saw', 'draft', 'extra', '"x"', 'raw', 'cdnUrl', 'sig=secret']) assert.ok(!text.includes(bad), bad);
    assert.deepEqual(parsed.record, { ...r, lastExport: { uri: 'file:///w/v.mp4', at: T0, bytes: 1 } });
    assert.notEqual(parsed.record, dirty as unknown, 'a fresh object');
  });

  it('keeps the session id a decimal string: a number, or anything but digits, is refused', () => {
    assert.match(reason({ ...record(), sessionId: 5529798706024415232 }), /sessionId/);
    assert.match(reason({ ...record(), sessionId: '5.529798706024415e+18' }), /sessionId: not a decimal session id/);
    assert.match(reason({ ...record(), sessionId: '' }), /sessionId/);
    assert.match(reason({ ...record(), sessionId: '1'.repeat(41) }), /sessionId/);
    assert.ok(parseProjectRecord({ ...record(), sessionId: '1' }).ok);
  });

  it('bounds and checks every field, naming the field and never its value', () => {
    const r = record();
    const cases: Array<[string, unknown]> = [
      ['id', { ...r, id: '../etc' }],
      ['id', { ...r, id: 'x'.repeat(65) }],
      ['taskId', { ...r, taskId: 'has space' }],
      ['taskId', { ...r, taskId: 42 }],
      ['title', { ...r, title: '' }],
      ['title', { ...r, title: 'x'.repeat(MAX_TITLE_CHARS + 1) }],
      ['title', { ...r, title: 'line\nbreak' }],
      ['title', { ...r, title: ' padded ' }],
      ['createdAt', { ...r, createdAt: -1 }],
      ['createdAt', { ...r, createdAt: 1.5 }],
      ['createdAt', { ...r, createdAt: '1700000000000' }],
      ['state', { ...r, state: 'done' }],
      ['historyFile', { ...r, historyFile: '../../secrets.json' }],
      ['historyFile', { ...r, historyFile: '/abs/path.ndjson' }],
      ['historyFile', { ...r, historyFile: 'a\\b.ndjson' }],
      ['historyFile', { ...r, historyFile: '.hidden' }],
      ['historyFile', { ...r, historyFile: 'CON' }],
      ['historyFile', { ...r, historyFile: 'chat-history-a/b.ndjson' }],
      ['origin', { ...r, origin: 'https://a.example/path' }],
      ['origin', { ...r, origin: 'ftp://a.example' }],
      ['lastExport.uri', { ...r, lastExport: { uri: 'no scheme', at: T0, bytes: 1 } }],
      ['lastExport.bytes', { ...r, lastExport: { uri: 'file:///a.mp4', at: T0, bytes: -1 } }],
      ['lastExport.at', { ...r, lastExport: { uri: 'file:///a.mp4', bytes: 1 } }],
      ['source.file', { ...r, source: { ...r.source, file: '' } }],
      ['source.file', { ...r, source: { ...r.source, file: 'a\u0000b' } }],
      ['source.text', { ...r, source: { ...r.source, text: 'x'.repeat(20_001) } }],
      ['source.hash', { ...r, source: { ...r.source, hash: 'abc' } }],
      ['source.range', { ...r, source: { ...r.source, range: { start: { line: 5, character: 0 }, end: { line: 4, character: 0 } } } }],
      ['source.range.start.line', { ...r, source: { ...r.source, range: { start: { line: -1, character: 0 }, end: { line: 4, character: 0 } } } }],
      ['source.heading.level', { ...r, source: { ...r.source, heading: { ...r.source!.heading!, level: 7 } } }],
      ['source.markdown', { ...r, source: { ...r.source, markdown: 'yes' } }],
    ];
    for (const [field, value] of cases) {
      const why = reason(value);
      assert.ok(why.startsWith(`${field}:`) || why.includes(` ${field}:`), `${field}: ${why}`);
      assert.ok(!why.includes('secrets') && !why.includes('etc'), why);
    }
  });

  it('refuses a source whose hash is not the hash of its text (edited by hand, or from elsewhere)', () => {
    const r = record();
    assert.match(reason({ ...r, source: { ...r.source, text: 'Another text entirely.' } }), /source: the hash is not the hash of the text/);
  });

  it('tells a record of a newer version from a broken one', () => {
    const newer = parseProjectRecord({ ...record(), v: 2, somethingNew: true });
    assert.deepEqual(newer, { ok: false, reason: 'written by a newer version of NemoVideo (record version 2)', newerVersion: true });
    assert.deepEqual(parseProjectRecord({ ...record(), v: 0 }), { ok: false, reason: 'unknown record version' });
    assert.deepEqual(parseProjectRecord({ ...record(), v: '1' }), { ok: false, reason: 'unknown record version' });
    assert.deepEqual(parseProjectRecord({ ...record(), v: Infinity }), { ok: false, reason: 'unknown record version' });
    for (const bad of [null, 'text', 42, [record()]]) assert.deepEqual(parseProjectRecord(bad), { ok: false, reason: 'not an object' });
  });

  it('validRecord and newProjectRecord throw a TypeError naming the field', () => {
    assert.throws(() => validRecord({ ...record(), state: 'nope' }), (e: unknown) => e instanceof TypeError && /state/.test(e.message));
    assert.throws(() => newProjectRecord({ sessionId: 'sess-1', taskId: 't', title: 'x' }, T0), TypeError);
    assert.throws(() => newProjectRecord({ sessionId: SID, taskId: 't', title: '   ' }, T0), /title/);
  });

  it('cleanTitle: control characters and whitespace runs become single spaces; at most MAX_TITLE_CHARS, not splitting a character', () => {
    assert.equal(cleanTitle('  Lumen\tDesk\n\nlaunch\u0007 '), 'Lumen Desk launch');
    assert.equal(cleanTitle('\u2028'), '');
    const long = cleanTitle('😀'.repeat(150));
    assert.ok(long.length <= MAX_TITLE_CHARS);
    assert.ok(long.endsWith('…'));
    assert.ok(!/[\ud800-\udbff]…$/.test(long), 'no lone surrogate before the ellipsis');
    assert.equal(cleanTitle('x'.repeat(MAX_TITLE_CHARS)), 'x'.repeat(MAX_TITLE_CHARS));
    assert.ok(parseProjectRecord({ ...record(), title: long }).ok);
  });

  describe('migrateLegacyProjects (one current project per API origin, in workspace state)', () => {
    it('brings each valid entry over as a ready project; the current origin keeps the old history file', () => {
      let n = 0;
      const legacy = {
        'https://mega-api-prod.nemovideo.ai': { sessionId: SID, taskId: 'task_1', title: 'Lighthouse', createdAt: T0 - 10 },
        'http://127.0.0.1:8787': { sessionId: '1212121212121212121', taskId: 'task_2', createdAt: T0 - 5 },
      };
      const { records, skipped } = migrateLegacyProjects(legacy, { currentOrigin: 'http://127.0.0.1:8787', now: T0, newId: () => `m${++n}` });
      assert.deepEqual(skipped, []);
      assert.deepEqual(records, [
        { v: 1, id: 'm1', sessionId: SID, taskId: 'task_1', origin: 'https://mega-api-prod.nemovideo.ai', title: 'Lighthouse', createdAt: T0 - 10, state: 'ready', historyFile: 'chat-history-m1.ndjson' },
        { v: 1, id: 'm2', sessionId: '1212121212121212121', taskId: 'task_2', origin: 'http://127.0.0.1:8787', title: 'Video project', createdAt: T0 - 5, state: 'ready', historyFile: LEGACY_HISTORY_FILE },
      ]);
    });

    it('skips broken entries with a reason, and survives anything', () => {
      const legacy = {
        'https://a.example': { sessionId: 42, taskId: 't' },
        'not an origin': { sessionId: SID, taskId: 't' },
        'https://b.example': null,
        'https://c.example': { sessionId: SID, taskId: 't', token: 'nmv_usr_secret' },
      };
      const { records, skipped } = migrateLegacyProjects(legacy, { now: T0 });
      assert.equal(records.length, 1);
      assert.equal(records[0].origin, 'https://c.example');
      assert.equal(records[0].createdAt, T0, 'no createdAt: now');
      assert.ok(!JSON.stringify(records).includes('secret'));
      assert.equal(skipped.length, 3);
      assert.deepEqual(migrateLegacyProjects(undefined, { now: T0 }), { records: [], skipped: [] });
      assert.deepEqual(migrateLegacyProjects('junk', { now: T0 }), { records: [], skipped: ['not an object'] });
    });
  });
});
