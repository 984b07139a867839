// The shell around the core project store: the Projects service (pending projects,
// sessions made once, the active project kept, projects of this origin only, the
// earlier versions' project moved in once), the Projects view's rows and the lenses
// above a video's source and a storyboard's scenes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NemoApi } from '../../../src/core/api/types';
import { sceneAnchor, parseStoryboard } from '../../../src/core/projects/storyboard';
import { createAnchor, indexText, locate } from '../../../src/core/projects/sourceAnchor';
import type { ProjectRecord } from '../../../src/core/projects/projectRecord';
import { withFakeVscode } from '../../support/fakeVscodeFor';
import { eachTestTempDir } from '../../support/tempDir';

const SRC = path.resolve(__dirname, '../../../src');
const FAKE = require.resolve('../../support/fakeVscode');
const load = <T>(rel: string): T =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  withFakeVscode(FAKE, [path.join(SRC, 'projects'), path.join(SRC, 'projectsTree'), path.join(SRC, 'codeLens')], () => require(path.join(SRC, rel)) as T);
const { Projects } = load<typeof import('../../../src/projects/projects')>('projects/projects');
const { ProjectsProvider } = load<typeof import('../../../src/projectsTree/projectsProvider')>('projectsTree/projectsProvider');
const { ProjectLenses } = load<typeof import('../../../src/codeLens/projectLenses')>('codeLens/projectLenses');

const ORIGIN = 'https://api.example.test';

class Memento {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, value);
    return Promise.resolve();
  }
  keys(): string[] {
    return [...this.values.keys()];
  }
}

const log = { info: () => undefined, warn: () => undefined, error: () => undefined, failure: () => undefined, debug: () => undefined };

function fakeApi(): NemoApi & { sessions: number } {
  let n = 0;
  const api = {
    sessions: 0,
    createSession: async () => {
      api.sessions++;
      n++;
      return { sessionId: `9007199254740${String(993 + n)}`, taskId: `task_${n}` };
    },
  };
  return api as unknown as NemoApi & { sessions: number };
}

type ProjectsT = InstanceType<typeof Projects>;

function open(dir: string, state = new Memento(), origin = ORIGIN): ProjectsT {
  return new Projects(dir, state as never, () => origin, log as never);
}

describe('Projects (the shell service)', () => {
  const tempDir = eachTestTempDir('nemo-projects-');
  let dir: string;
  beforeEach(() => (dir = tempDir()));

  it('makes a pending project real once: its session is created on the first job only, with its title and source', async () => {
    const projects = open(dir);
    await projects.ready;
    const source = createAnchor({ file: 'file:///w/a.md', document: 'Hello world, this is a lamp.', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 28 } } });
    const id = projects.newPending({ title: 'Lamp', source });
    assert.equal(projects.get(id), undefined);
    assert.deepEqual(projects.queued().map((p) => p.id), [id]);
    const api = fakeApi();
    const first = await projects.ensureSession(id, api, 'ignored');
    const second = await projects.ensureSession(id, api, 'ignored');
    assert.equal(api.sessions, 1);
    assert.equal(first.created, true);
    assert.equal(second.created, false);
    assert.equal(first.project.id, id);
    assert.equal(first.project.title, 'Lamp');
    assert.equal(first.project.origin, ORIGIN);
    assert.equal(first.project.source?.hash, source.hash);
    assert.equal(first.project.historyFile, `chat-history-${id}.ndjson`);
    assert.deepEqual(projects.queued(), [], 'a project with a session is no longer queued');
    const stored = JSON.parse(fs.readFileSync(path.join(dir, 'projects.json'), 'utf8')) as { projects: ProjectRecord[] };
    assert.equal(stored.projects[0]?.sessionId, first.project.sessionId);
    assert.ok(!JSON.stringify(stored).includes('token'), 'nothing but the record is stored');
  });

  it('keeps the active project across windows and lists only the projects of the current origin', async () => {
    const state = new Memento();
    let origin = ORIGIN;
    const a = new Projects(dir, state as never, () => origin, log as never);
    await a.ready;
    const id = a.startNew();
    await a.ensureSession(id, fakeApi(), 'Lamp video');
    const b = new Projects(dir, state as never, () => origin, log as never);
    await b.ready;
    assert.equal(b.activeId, id);
    assert.equal(b.current()?.title, 'Lamp video');
    origin = 'http://127.0.0.1:1234';
    assert.deepEqual(b.all(), [], "another backend's projects are not listed");
    assert.equal(b.current(), undefined);
  });

  it('moves the one project of earlier versions in once, with its chat (the file takes the project\'s own name), and shows it', async () => {
    const state = new Memento();
    await state.update('nemoVideo.projects', { [ORIGIN]: { sessionId: '1234567890123456789', taskId: 'task_1', title: 'Old video', createdAt: 5 }, broken: { sessionId: 5 } });
    fs.writeFileSync(path.join(dir, 'chat-history.ndjson'), '{"old":"chat"}\n');
    const projects = open(dir, state);
    await projects.ready;
    const [p] = projects.all();
    assert.equal(p?.title, 'Old video');
    assert.equal(p?.historyFile, `chat-history-${p?.id}.ndjson`);
    assert.equal(fs.readFileSync(path.join(dir, p!.historyFile), 'utf8'), '{"old":"chat"}\n', 'the earlier chat is the project\'s');
    assert.ok(!fs.existsSync(path.join(dir, 'chat-history.ndjson')));
    assert.equal(projects.activeId, p?.id);
    assert.equal(state.get('nemoVideo.projects'), undefined, 'moved in once');
    const again = open(dir, state);
    await again.ready;
    assert.equal(again.all().length, 1);
  });

  it('a corrupt projects file is an empty list (never a crash) and is kept aside when replaced', async () => {
    fs.writeFileSync(path.join(dir, 'projects.json'), '{"format":"nemovideo-projects","version":1,"projects":[{"v":1,"id":"../../etc"}');
    const projects = open(dir);
    await projects.ready;
    assert.deepEqual(projects.all(), []);
    await projects.ensureSession(projects.startNew(), fakeApi(), 'Fresh');
    assert.equal(projects.all().length, 1);
    assert.ok(fs.existsSync(path.join(dir, 'projects.json.unreadable')));
  });

  it('removing the shown project shows a new, empty one; the list forgets only that project', async () => {
    const projects = open(dir);
    await projects.ready;
    const api = fakeApi();
    const keep = projects.startNew();
    await projects.ensureSession(keep, api, 'Keep');
    const gone = projects.startNew();
    await projects.ensureSession(gone, api, 'Gone');
    assert.equal(await projects.remove(gone), true);
    assert.deepEqual(projects.all().map((p) => p.title), ['Keep']);
    assert.notEqual(projects.activeId, gone);
    assert.notEqual(projects.activeId, keep);
    assert.equal(api.sessions, 2, 'nothing was asked of the server');
  });

  it('a session the server lost is replaced in the same project, keeping its chat and source', async () => {
    const projects = open(dir);
    await projects.ready;
    const api = fakeApi();
    const id = projects.startNew();
    const { project } = await projects.ensureSession(id, api, 'Lamp');
    await projects.replaceSession(id, api);
    const now = projects.get(id)!;
    assert.notEqual(now.sessionId, project.sessionId);
    assert.equal(now.historyFile, project.historyFile);
  });
});

// -- the view and the lenses --------------------------------------------------------

const DOC = ['# Launch', '', '## Intro', '', 'A lamp that wakes you.', '', '## Focus', '', 'It dims for focus time.', '', '## Offer', '', 'Free charging pad today.', ''].join('\n');
const FILE = 'file:///w/story.md';

function fakeDocument(text: string, version = 1) {
  return { uri: { toString: () => FILE, path: '/w/story.md' }, languageId: 'markdown', version, getText: () => text };
}

function record(id: string, over: Partial<ProjectRecord> = {}): ProjectRecord {
  return { v: 1, id, sessionId: '1234567890123456789', taskId: 'task_1', title: `Project ${id}`, createdAt: 1_700_000_000_000, state: 'ready', historyFile: `chat-history-${id}.ndjson`, ...over };
}

function fakeProjects(records: ProjectRecord[], active = '') {
  const none = () => ({ dispose: () => undefined });
  return { all: () => records, queued: () => [], activeId: active, onDidChange: none, onDidChangeActive: none };
}

const sources = {
  inDocument: (p: ProjectRecord & { source: NonNullable<ProjectRecord['source']> }, _d: unknown, index: ReturnType<typeof indexText>) => locate(p.source, index),
  of: () => undefined,
  onDidChange: () => ({ dispose: () => undefined }),
  ready: Promise.resolve(),
};

describe('the project lenses', () => {
  const settings = (on = true) => ({ storyboardLenses: () => on, onDidChange: () => ({ dispose: () => undefined }) });

  it('a storyboard without videos: Generate All Scenes (3) at the top and Generate Video above each scene', async () => {
    const lenses = new ProjectLenses(fakeProjects([]) as never, sources as never, settings());
    const out = await lenses.provideCodeLenses(fakeDocument(DOC) as never);
    assert.deepEqual(
      out.map((l) => [l.range.start.line, l.command?.command, l.command?.title]),
      [
        [0, 'nemoVideo.generateAllScenes', '$(run-all) Generate All Scenes (3 scenes)'],
        [2, 'nemoVideo.generateScene', '$(device-camera-video) Generate Video'],
        [6, 'nemoVideo.generateScene', '$(device-camera-video) Generate Video'],
        [10, 'nemoVideo.generateScene', '$(device-camera-video) Generate Video'],
      ],
    );
    assert.deepEqual(out[2]?.command?.arguments, [{ uri: FILE, scene: '0:Focus' }]);
  });

  it('a scene with its video shows the video instead; a changed one offers Update Video; a deleted one shows nothing', async () => {
    const focus = parseStoryboard(DOC).scenes[1]!;
    const offer = parseStoryboard(DOC).scenes[2]!;
    const p1 = record('a', { title: 'Focus video', source: sceneAnchor(FILE, DOC, focus), lastExport: { uri: 'file:///w/videos/f.mp4', at: 1, bytes: 10 } });
    const p2 = record('b', { title: 'Offer video', source: sceneAnchor(FILE, DOC, offer) });
    const lenses = new ProjectLenses(fakeProjects([p1, p2]) as never, sources as never, settings());
    const same = await lenses.provideCodeLenses(fakeDocument(DOC) as never);
    assert.deepEqual(
      same.filter((l) => l.range.start.line === 8).map((l) => [l.command?.title, l.command?.command]),
      [
        ['▶ Focus video', 'nemoVideo.projects.open'],
        ['Open', 'nemoVideo.projects.openVideo'],
        ['Export', 'nemoVideo.projects.exportAgain'],
      ],
    );
    assert.equal(same.filter((l) => l.command?.command === 'nemoVideo.generateScene').length, 1, 'only the intro has no video');
    assert.equal(same.find((l) => l.command?.command === 'nemoVideo.generateAllScenes')?.command?.title, '$(run-all) Generate All Scenes (1 scene)');

    const edited = DOC.replace('It dims for focus time.', 'It dims for focus time and mutes the phone.').replace('## Offer\n\nFree charging pad today.\n', '');
    const after = await lenses.provideCodeLenses(fakeDocument(edited, 2) as never);
    const update = after.find((l) => l.command?.command === 'nemoVideo.updateVideo');
    assert.deepEqual(update?.command?.arguments, [{ projectId: 'a' }]);
    assert.ok(after.some((l) => l.command?.title === '$(warning) Text changed since this video'));
    assert.ok(!after.some((l) => l.command?.title?.includes('Offer video')), 'no lens for a deleted source');
  });

  it('the storyboard setting turns the scene lenses off, not the lenses of a video', async () => {
    const focus = parseStoryboard(DOC).scenes[1]!;
    const p = record('a', { source: sceneAnchor(FILE, DOC, focus) });
    const lenses = new ProjectLenses(fakeProjects([p]) as never, sources as never, settings(false));
    const out = await lenses.provideCodeLenses(fakeDocument(DOC) as never);
    assert.ok(out.length > 0 && out.every((l) => !/generate/i.test(l.command?.command ?? '')));
  });
});

describe('the Projects view', () => {
  const runner = (running: Record<string, string> = {}) => ({
    running: (id: string) => (running[id] ? { request: { kind: running[id] } } : undefined),
    pending: () => 0,
    onDidChange: () => ({ dispose: () => undefined }),
  });

  it('says what each project is doing, newest first, with context values for its actions', () => {
    const located = new Map<string, { status: string }>([['c', { status: 'changed' }], ['d', { status: 'moved-or-deleted' }]]);
    const src = { of: (p: ProjectRecord) => located.get(p.id), onDidChange: sources.onDidChange };
    const anchor = createAnchor({ file: FILE, document: DOC, range: { start: { line: 4, character: 0 }, end: { line: 4, character: 21 } } });
    const records = [
      record('a', { title: 'Working', state: 'generating' }),
      record('b', { title: 'Done', state: 'exported', lastExport: { uri: 'file:///w/videos/b.mp4', at: 1, bytes: 1 } }),
      record('c', { title: 'Changed', source: anchor }),
      record('d', { title: 'Gone', source: anchor }),
      record('e', { title: 'Broke', state: 'failed' }),
    ];
    const view = new ProjectsProvider(fakeProjects(records, 'b') as never, runner({ a: 'generation' }) as never, src as never);
    const rows = view.getChildren().map((n) => view.getTreeItem(n));
    assert.deepEqual(
      rows.map((r) => String(r.description).split(' · ')[0]),
      ['generating…', 'exported', 'text changed', 'source moved or deleted', 'failed'],
    );
    assert.deepEqual(
      rows.map((r) => r.contextValue),
      ['project', 'project exported', 'project source', 'project', 'project'],
    );
    assert.deepEqual(rows[1]?.label, { label: 'Done', highlights: [[0, 4]] }, 'the project the chat shows stands out');
    assert.deepEqual(rows[0]?.command, { command: 'nemoVideo.projects.open', title: 'Show Project', arguments: [{ projectId: 'a' }] });
  });

  it('escapes titles and headings in the tooltip (no links, no HTML from a title)', () => {
    const evil = record('x', { title: '[click](command:evil) <img src=x>' });
    const view = new ProjectsProvider(fakeProjects([evil]) as never, runner() as never, { of: () => undefined, onDidChange: sources.onDidChange } as never);
    const node = view.getChildren()[0]!;
    const tip = view.resolveTreeItem(view.getTreeItem(node), node).tooltip as { value: string; isTrusted: boolean; supportHtml: boolean };
    assert.equal(tip.isTrusted, false);
    assert.equal(tip.supportHtml, false);
    // Only escaped: a title goes in as text, never as Markdown.
    assert.ok(!/(^|[^\\])\[click\]/.test(tip.value), tip.value);
    assert.ok(!/(^|[^\\])<img/.test(tip.value), tip.value);
  });
});

describe('sameWords (whitespace-blind comparison without building strings)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { sameWords, normalizeText } = require('../../../src/core/projects/textIndex') as typeof import('../../../src/core/projects/textIndex');

  it('agrees with comparing normalizeText on 20,000 random pairs, every whitespace character of \\s included', () => {
    const spaces = [' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u1680', '\u2000', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff'];
    const letters = ['a', 'b', 'é', '中', '\u200b', '-'];
    let seed = 7;
    // mulberry32: every bit random enough for small ranges.
    const rnd = (n: number) => {
      seed = (seed + 0x6d2b79f5) >>> 0;
      let t = seed;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
    };
    const text = () => Array.from({ length: rnd(12) }, () => (rnd(3) === 0 ? spaces[rnd(spaces.length)] : letters[rnd(letters.length)])).join('');
    let equal = 0;
    for (let k = 0; k < 20_000; k++) {
      const a = text();
      // Half the pairs are the same words with other whitespace.
      const b = rnd(2) ? a.replace(/\s+/g, () => spaces[rnd(spaces.length)]!.repeat(1 + rnd(2))) : text();
      const want = normalizeText(a) === normalizeText(b);
      if (want) equal++;
      assert.equal(sameWords(a, b), want, JSON.stringify([a, b]));
    }
    assert.ok(equal > 5_000, `enough equal pairs (${equal})`);
  });
});
