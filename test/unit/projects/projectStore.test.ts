// The projects list of a workspace over one text file: 200 projects round-trip;
// corrupt or foreign records are skipped with a log line and never crash; records of
// a newer version survive an older window; at most N kept, newest first; every change
// re-reads the file (another window's change is kept) and runs one at a time; nothing
// the record does not define is ever written.
import * as assert from 'node:assert/strict';
import { PROJECT_RECORD_VERSION, validRecord, type ProjectRecord } from '../../../src/core/projects/projectRecord';
import { ProjectListStore, PROJECTS_FILE_FORMAT, PROJECTS_FILE_VERSION, type ProjectFile } from '../../../src/core/projects/projectStore';
import { createAnchor } from '../../../src/core/projects/sourceAnchor';
import { FakeClock } from '../../support/fakeClock';
import { RecordingLogger } from '../../support/memory';

const T0 = 1_700_000_000_000;
const sid = (n: number) => String(5_529_798_706_024_415_232n + BigInt(n));

/** The projects file in memory, with a backup slot and a switch to make writes fail. */
class MemoryProjectFile implements ProjectFile {
  writes: string[] = [];
  backups: Array<{ text: string; reason: string }> = [];
  failWrites = false;
  reads = 0;
  constructor(public text: string | undefined = undefined) {}
  async read(): Promise<string | undefined> {
    this.reads++;
    return this.text;
  }
  async write(text: string): Promise<void> {
    if (this.failWrites) throw new Error('disk full');
    this.writes.push(text);
    this.text = text;
  }
  async backup(text: string, reason: string): Promise<void> {
    this.backups.push({ text, reason });
  }
  json(): { format: string; version: number; projects: Array<Record<string, unknown>> } {
    return JSON.parse(this.text ?? 'null');
  }
}

function setup(opts: { text?: string; max?: number } = {}) {
  const file = new MemoryProjectFile(opts.text);
  const logger = new RecordingLogger();
  const clock = new FakeClock(T0);
  let n = 0;
  const store = new ProjectListStore({ file, logger, clock, maxProjects: opts.max, newId: () => `p${String(++n).padStart(4, '0')}` });
  return { file, logger, clock, store, reopen: () => new ProjectListStore({ file, logger, clock, maxProjects: opts.max }) };
}

const input = (i: number) => ({ sessionId: sid(i), taskId: `task_${i}`, title: `Video ${i}`, origin: 'https://mega-api-prod.nemovideo.ai' });

function fileWith(projects: unknown[]): string {
  return JSON.stringify({ format: PROJECTS_FILE_FORMAT, version: PROJECTS_FILE_VERSION, projects });
}

function stored(i: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { v: 1, id: `s${i}`, sessionId: sid(i), taskId: `task_${i}`, title: `Stored ${i}`, createdAt: T0 - i * 1000, state: 'ready', historyFile: `chat-history-s${i}.ndjson`, ...extra };
}

const warnings = (logger: RecordingLogger) => logger.lines.filter((l) => l.startsWith('warn '));

describe('projects/projectStore', () => {
  it('starts empty without a file, and writes nothing until something changes', async () => {
    const { store, file } = setup();
    assert.deepEqual(await store.list(), []);
    assert.equal(await store.get('nope'), undefined);
    assert.equal(await store.markState('nope', 'ready'), undefined);
    assert.equal(await store.remove('nope'), false);
    assert.equal(file.writes.length, 0);
  });

  it('200 projects round-trip through the file: same records, newest first, session ids as strings', async () => {
    const { store, clock, file, reopen, logger } = setup();
    const doc = '## Scene\n\nLumen Desk rises without a sound.\n';
    for (let i = 0; i < 200; i++) {
      const source = i % 2 ? createAnchor({ file: `docs/${i}.md`, document: doc, range: { start: { line: 2, character: 0 }, end: { line: 2, character: 33 } } }) : undefined;
      await store.create({ ...input(i), ...(source ? { source } : {}) });
      if (i % 3 === 0) await store.markExported(`p${String(i + 1).padStart(4, '0')}`, { uri: `file:///w/videos/video-${i}.mp4`, bytes: 1_000 + i });
      await clock.advance(1_000);
    }
    const mine = await store.list();
    assert.equal(mine.length, 200);
    assert.deepEqual(mine.map((p) => p.title).slice(0, 3), ['Video 199', 'Video 198', 'Video 197']);
    const back = await reopen().list();
    assert.deepEqual(back, mine);
    assert.equal(back[199].sessionId, sid(0));
    assert.equal(back[0].source?.file, 'docs/199.md');
    assert.deepEqual(back[199].lastExport, { uri: 'file:///w/videos/video-0.mp4', bytes: 1_000, at: T0 });
    assert.equal(back[199].state, 'exported');
    for (const p of file.json().projects) assert.equal(typeof p.sessionId, 'string');
    assert.match(file.text!, new RegExp(`"sessionId":"${sid(7)}"`));
    assert.deepEqual(warnings(logger), []);
  });

  it('a new project: generating, created at the clock\'s now, its own id and history file', async () => {
    const { store, clock } = setup();
    await clock.advance(5_000);
    const p = await store.create(input(1));
    assert.deepEqual(p, {
      v: PROJECT_RECORD_VERSION,
      id: 'p0001',
      sessionId: sid(1),
      taskId: 'task_1',
      origin: 'https://mega-api-prod.nemovideo.ai',
      title: 'Video 1',
      createdAt: T0 + 5_000,
      state: 'generating',
      historyFile: 'chat-history-p0001.ndjson',
    });
    assert.equal(await store.get('p0001'), p);
    assert.equal(await store.findBySession(sid(1)), p);
    assert.equal(await store.findBySession(sid(1), 'http://127.0.0.1:8787'), undefined);
    assert.equal(await store.findBySession(sid(1), 'https://mega-api-prod.nemovideo.ai'), p);
  });

  describe('corrupt and foreign content', () => {
    it('skips each corrupt record with one log line naming the field, keeps the good ones, and drops the bad ones at the next write', async () => {
      const text = fileWith([
        stored(1),
        { ...stored(2), sessionId: 5529798706024415232 }, // a number: digits already lost
        { ...stored(3), historyFile: '../../../.ssh/id_rsa' },
        null,
        'a string',
        { ...stored(4), state: 'uploaded' },
        { ...stored(5), title: 'x'.repeat(10_000) },
        stored(6),
        { ...stored(7), id: 's1' }, // duplicate id
        { ...stored(8), source: { file: 'a.md', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } }, text: 'abc', hash: '0'.repeat(64), markdown: true } },
        { hello: 'world' },
      ]);
      const { store, logger, file } = setup({ text });
      const list = await store.list();
      assert.deepEqual(list.map((p) => p.id), ['s1', 's6']);
      const warns = warnings(logger);
      assert.equal(warns.length, 9, warns.join('\n'));
      assert.match(warns[0], /skipped stored record 1: sessionId: /);
      assert.match(warns[1], /skipped stored record 2: historyFile: not a chat history file name/);
      assert.match(warns[2], /skipped stored record 3: not an object/);
      assert.match(warns[4], /skipped stored record 5: state: /);
      assert.match(warns[6], /skipped stored record 8: the same id as an earlier record/);
      assert.match(warns[7], /skipped stored record 9: source: the hash is not the hash of the text/);
      assert.match(warns[8], /skipped stored record 10: unknown record version/);
      assert.ok(!logger.all().includes('id_rsa') && !logger.all().includes(sid(3)), 'log lines name fields, not values');

      await store.markState('s6', 'exported');
      assert.deepEqual(file.json().projects.map((p) => p.id), ['s1', 's6']);
      assert.equal(warnings(logger).length, 9, 'the same problems are not logged again on every change');
    });

    it('an unreadable file (not JSON, truncated, another format, wrong container version) gives an empty list and a log line, never a crash', async () => {
      for (const text of ['{"format":"nemovideo-projects","version":1,"projects":[{"v":1,', 'not json at all', '[]', 'null', '42', JSON.stringify({ format: 'other-tool', version: 1, projects: [] }), JSON.stringify({ format: PROJECTS_FILE_FORMAT, version: 2, projects: [stored(1)] }), JSON.stringify({ format: PROJECTS_FILE_FORMAT, version: 1, projects: {} })]) {
        const { store, logger } = setup({ text });
        assert.deepEqual(await store.list(), [], text);
        assert.equal(warnings(logger).length, 1, text);
        assert.match(warnings(logger)[0], /the projects file is unreadable \((not JSON|not a NemoVideo projects file)\)/);
      }
    });

    it('an unreadable file is offered to backup once, then replaced by the next change', async () => {
      const { store, file } = setup({ text: 'garbage{' });
      assert.deepEqual(await store.list(), []);
      assert.equal(file.backups.length, 0, 'reading alone changes nothing');
      await store.create(input(1));
      assert.deepEqual(file.backups, [{ text: 'garbage{', reason: 'not JSON' }]);
      assert.equal(file.json().projects.length, 1);
      await store.create(input(2));
      assert.equal(file.backups.length, 1);
    });

    it('a file above the size limit is not read', async () => {
      const { store, logger } = setup({ text: ' '.repeat(10) + 'x'.repeat(64 * 1024 * 1024) });
      assert.deepEqual(await store.list(), []);
      assert.match(warnings(logger)[0], /larger than/);
    });

    it('reads at most twice the project limit of records, and skips an oversized record', async () => {
      const many = Array.from({ length: 30 }, (_, i) => stored(i + 1));
      many[2] = { ...stored(3), padding: 'x'.repeat(300 * 1024) };
      const { store, logger } = setup({ text: fileWith(many), max: 10 });
      const list = await store.list();
      assert.equal(list.length, 10);
      assert.ok(!list.some((p) => p.id === 's3'));
      assert.ok(warnings(logger).some((l) => /lists 30 records; only the first 20 are read/.test(l)));
      assert.ok(warnings(logger).some((l) => /record 2: larger than/.test(l)));
    });
  });

  describe('records of another schema version', () => {
    it('a newer record is skipped with a log line but written back untouched, so an older window does not lose it', async () => {
      const newer = { v: 2, id: 'future', sessionId: sid(9), projectKind: 'multi-scene', scenes: [{ title: 'A' }] };
      const { store, file, logger } = setup({ text: fileWith([stored(1), newer]) });
      assert.deepEqual((await store.list()).map((p) => p.id), ['s1']);
      assert.match(warnings(logger)[0], /skipped stored record 1: written by a newer version of NemoVideo \(record version 2\)/);
      await store.create(input(5));
      await store.remove('s1');
      const projects = file.json().projects;
      assert.deepEqual(projects.map((p) => p.id), ['p0001', 'future']);
      assert.deepEqual(projects[1], newer);
    });

    it('an older or unversioned record is skipped with a log line and dropped', async () => {
      const { v: _v, ...unversioned } = stored(2);
      const { store, logger, file } = setup({ text: fileWith([{ ...stored(1), v: 0 }, unversioned, stored(3)]) });
      assert.deepEqual((await store.list()).map((p) => p.id), ['s3']);
      assert.equal(warnings(logger).filter((l) => /unknown record version/.test(l)).length, 2);
      await store.rename('s3', 'Renamed');
      assert.deepEqual(file.json().projects.map((p) => p.id), ['s3']);
    });
  });

  describe('order and bounds', () => {
    it('keeps at most N projects, the newest, and says so in the log', async () => {
      const { store, clock, logger } = setup({ max: 5 });
      for (let i = 0; i < 7; i++) {
        await store.create(input(i));
        await clock.advance(10);
      }
      assert.deepEqual((await store.list()).map((p) => p.title), ['Video 6', 'Video 5', 'Video 4', 'Video 3', 'Video 2']);
      assert.ok(logger.lines.some((l) => /kept the newest 5 projects; 1 older ones left the list/.test(l)));
    });

    it('keeps the file within its size limit: the oldest projects leave the list first', async () => {
      const file = new MemoryProjectFile();
      const logger = new RecordingLogger();
      const clock = new FakeClock(T0);
      const store = new ProjectListStore({ file, logger, clock, maxFileChars: 3_000 });
      for (let i = 0; i < 20; i++) {
        await store.create(input(i));
        await clock.advance(1);
      }
      const list = await store.list();
      assert.ok(list.length < 20 && list.length > 5, String(list.length));
      assert.equal(list[0].title, 'Video 19');
      assert.ok(file.text!.length <= 3_000);
      assert.deepEqual(file.json().projects.map((p) => p.id), list.map((p) => p.id));
      assert.ok(logger.lines.some((l) => /at its size limit; 1 older projects left the list/.test(l)));
    });

    it('orders newest first, equal times by id, whatever order the file had', async () => {
      const { store } = setup({ text: fileWith([stored(3), { ...stored(1), id: 'b', createdAt: T0 }, stored(2), { ...stored(1), id: 'a', createdAt: T0 }]) });
      assert.deepEqual((await store.list()).map((p) => p.id), ['a', 'b', 's2', 's3']);
    });

    it('upsert keeps createdAt as given, so an updated project does not jump to the top', async () => {
      const { store, clock } = setup();
      const a = await store.create(input(1));
      await clock.advance(1_000);
      await store.create(input(2));
      await store.upsert({ ...a, title: 'Updated' });
      assert.deepEqual((await store.list()).map((p) => p.title), ['Video 2', 'Updated']);
    });
  });

  describe('operations', () => {
    it('rename cleans the title and refuses an empty one', async () => {
      const { store } = setup();
      const p = await store.create(input(1));
      assert.equal((await store.rename(p.id, '  New\n name\t'))?.title, 'New name');
      await assert.rejects(store.rename(p.id, ' \n '), RangeError);
      assert.equal((await store.get(p.id))?.title, 'New name');
      assert.equal(await store.rename('missing', 'x'), undefined);
    });

    it('markState and markExported (time from the injected clock)', async () => {
      const { store, clock } = setup();
      const p = await store.create(input(1));
      assert.equal((await store.markState(p.id, 'ready'))?.state, 'ready');
      await clock.advance(42_000);
      const e = await store.markExported(p.id, { uri: 'file:///w/videos/lumen-desk.mp4', bytes: 15_728_640 });
      assert.equal(e?.state, 'exported');
      assert.deepEqual(e?.lastExport, { uri: 'file:///w/videos/lumen-desk.mp4', bytes: 15_728_640, at: T0 + 42_000 });
      assert.equal((await store.markExported(p.id, { uri: 'vscode-remote://ssh-remote%2Bbox/w/v.mp4', bytes: 1, at: T0 + 1 }))?.lastExport?.at, T0 + 1);
      assert.equal((await store.markState(p.id, 'text-changed'))?.lastExport?.bytes, 1, 'the last export stays');
      await assert.rejects(store.markExported(p.id, { uri: 'not a uri', bytes: 1 }), TypeError);
      await assert.rejects(store.markState(p.id, 'bogus' as never), TypeError);
      assert.equal((await store.get(p.id))?.state, 'text-changed');
    });

    it('setSource sets and clears the anchor (Update Video, a renamed file)', async () => {
      const { store } = setup();
      const p = await store.create(input(1));
      const source = createAnchor({ file: 'a.md', document: 'Some text here.', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 15 } } });
      assert.deepEqual((await store.setSource(p.id, source))?.source, source);
      assert.equal((await store.setSource(p.id, undefined))?.source, undefined);
      assert.ok(!('source' in (await store.get(p.id))!));
    });

    it('remove takes it off this list only', async () => {
      const { store, file } = setup();
      const a = await store.create(input(1));
      const b = await store.create(input(2));
      assert.equal(await store.remove(a.id), true);
      assert.equal(await store.remove(a.id), false);
      assert.deepEqual((await store.list()).map((p) => p.id), [b.id]);
      assert.deepEqual(file.json().projects.map((p) => p.id), [b.id]);
    });

    it('an invalid record given to upsert or create throws a TypeError and writes nothing', async () => {
      const { store, file } = setup();
      await assert.rejects(store.create({ ...input(1), sessionId: 'sess-1' }), TypeError);
      await assert.rejects(store.upsert({ ...validRecord({ v: 1, id: 'x', sessionId: '1', taskId: 't', title: 't', createdAt: T0, state: 'ready', historyFile: 'chat-history-x.ndjson' }), historyFile: '../h' }), TypeError);
      assert.equal(file.writes.length, 0);
    });
  });

  describe('nothing stored that the record does not define', () => {
    it('unknown fields given to upsert never reach the file, and are not in the list either', async () => {
      const { store, file, reopen } = setup();
      const p = await store.create(input(1));
      const dirty = { ...p, token: 'nmv_usr_abcdef', reply: 'server text never shown', lastExport: { uri: 'file:///v.mp4', at: T0, bytes: 1, url: 'https://cdn.example/v.mp4?X-Amz-Signature=abc' } } as unknown as ProjectRecord;
      await store.upsert(dirty);
      for (const bad of ['nmv_usr', 'token', 'never shown', 'X-Amz', '"url"']) assert.ok(!file.text!.includes(bad), bad);
      const listed = await store.get(p.id);
      assert.ok(!('token' in listed!) && !('reply' in listed!));
      assert.deepEqual(await reopen().get(p.id), listed);
    });

    it('unknown fields in the file are dropped on read and gone after the next write', async () => {
      const { store, file } = setup({ text: fileWith([{ ...stored(1), token: 'nmv_usr_abcdef', source: undefined, extra: { nested: true } }]) });
      const [p] = await store.list();
      assert.deepEqual(Object.keys(p).sort(), ['createdAt', 'historyFile', 'id', 'sessionId', 'state', 'taskId', 'title', 'v']);
      await store.markState('s1', 'ready');
      assert.ok(!file.text!.includes('nmv_usr') && !file.text!.includes('nested'));
    });
  });

  describe('windows and concurrency', () => {
    it('every change re-reads the file: a project added by another window is kept', async () => {
      const { file, clock, logger } = setup();
      const a = new ProjectListStore({ file, logger, clock, newId: () => 'from-a' });
      const b = new ProjectListStore({ file, logger, clock, newId: () => 'from-b' });
      await a.list();
      await b.create(input(2));
      await a.create(input(1));
      assert.deepEqual((await a.list()).map((p) => p.id).sort(), ['from-a', 'from-b']);
      assert.deepEqual((await b.list()).map((p) => p.id), ['from-b'], 'b has not reloaded yet');
      assert.deepEqual((await b.reload()).map((p) => p.id).sort(), ['from-a', 'from-b']);
    });

    it('changes in one window run one at a time: 50 at once all land', async () => {
      const { store, file } = setup();
      await Promise.all(Array.from({ length: 50 }, (_, i) => store.create(input(i))));
      assert.equal((await store.list()).length, 50);
      assert.equal(file.json().projects.length, 50);
      const ids = (await store.list()).map((p) => p.id);
      await Promise.all([store.rename(ids[0], 'One'), store.markState(ids[0], 'ready'), store.remove(ids[1]), store.markExported(ids[0], { uri: 'file:///a.mp4', bytes: 3 })]);
      const first = await store.get(ids[0]);
      assert.equal(first?.title, 'One');
      assert.equal(first?.state, 'exported');
      assert.equal((await store.list()).length, 49);
    });

    it('a failed write rejects and changes nothing in memory; the next change works', async () => {
      const { store, file } = setup();
      const p = await store.create(input(1));
      file.failWrites = true;
      await assert.rejects(store.rename(p.id, 'Lost'), /disk full/);
      assert.equal((await store.get(p.id))?.title, 'Video 1');
      file.failWrites = false;
      assert.equal((await store.rename(p.id, 'Kept'))?.title, 'Kept');
    });
  });

  describe('listeners and immutability', () => {
    it('tells listeners after each change and reload; a failing listener is logged, not thrown', async () => {
      const { store, logger } = setup();
      const seen: number[] = [];
      const off = store.onDidChange((list) => seen.push(list.length));
      store.onDidChange(() => {
        throw new Error('listener bug');
      });
      await store.create(input(1));
      await store.create(input(2));
      await store.reload();
      off();
      await store.create(input(3));
      assert.deepEqual(seen, [1, 2, 2]);
      assert.ok(logger.lines.some((l) => /error Projects: a listener failed \(listener bug\)/.test(l)));
    });

    it('hands out frozen records: a caller cannot change the list behind the store\'s back', async () => {
      const { store } = setup();
      const p = await store.create({ ...input(1), source: createAnchor({ file: 'a.md', document: 'Some text.', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 10 } } }) });
      assert.ok(Object.isFrozen(p) && Object.isFrozen(p.source) && Object.isFrozen(p.source?.range.start));
      assert.equal(Reflect.set(p, 'title', 'x'), false);
      assert.equal(Reflect.set(p.source!.range.start, 'line', 9), false);
      assert.equal((await store.get(p.id))?.title, 'Video 1');
      assert.throws(() => (store as unknown as { snapshot: { projects: ProjectRecord[] } }).snapshot.projects.push(p), TypeError);
    });
  });
});
