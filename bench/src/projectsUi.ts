// P11 and P12 (issue "Projects"): what the Projects view and the project lenses cost
// beyond the same VS Code calls doing nothing.
//  - P11: a full refresh of the Projects view with 200 projects (getChildren, then
//    getTreeItem for every row; 100 of them with a source in an open 2,000-line file
//    that was just edited), against a provider that returns the same 200 rows with
//    their stored title and state and nothing looked up.
//  - P12: provideCodeLenses on a 2,000-line storyboard (100 scenes, 20 with a video,
//    one edited) after each edit, against a provider that reads the document and
//    returns no lenses.
// Printed as one JSON document; `vscode` is the test fake (bench/run.mjs aliases it).
import * as vscode from 'vscode';
import { ProjectLenses } from '../../src/codeLens/projectLenses';
import { newProjectRecord, type ProjectRecord } from '../../src/core/projects/projectRecord';
import { indexText, locate, type SourceAnchor, type TextIndex } from '../../src/core/projects/sourceAnchor';
import { parseStoryboard, sceneAnchor, scenesWithoutVideo } from '../../src/core/projects/storyboard';
import { ProjectsProvider } from '../../src/projectsTree/projectsProvider';

const RUNS = Number(process.argv[2] ?? 7);
const FILE = 'file:///bench/storyboard.md';
const none = () => ({ dispose: () => undefined });

function storyboard(scenes: number, linesPerScene: number): string {
  const out = ['# Storyboard', ''];
  for (let s = 0; s < scenes; s++) {
    out.push(`## Scene ${s + 1}`, '');
    for (let l = 0; l < linesPerScene - 2; l++) out.push(`Scene ${s + 1} line ${l + 1}: the lamp ${l % 3 ? 'glows' : 'dims'} while the narrator speaks about focus and light.`);
  }
  return out.join('\n');
}

const text = storyboard(100, 20);
const scenes = parseStoryboard(text).scenes;
const records: ProjectRecord[] = [];
for (let i = 0; i < 200; i++) {
  const source = i < 100 ? sceneAnchor(FILE, text, scenes[i]!) : undefined;
  records.push(
    newProjectRecord(
      { id: `p${i}`, sessionId: String(1_000_000_000_000_000_000n + BigInt(i)), taskId: `task_${i}`, title: `Project ${i}`, state: i % 3 ? 'exported' : 'ready', ...(source ? { source } : {}) },
      1_700_000_000_000 + i,
    ),
  );
}
const linked = records.filter((p, i) => p.source && i % 5 === 0);

function document(body: string, version: number) {
  return { uri: { toString: () => FILE, path: '/bench/storyboard.md' }, languageId: 'markdown', version, getText: () => body } as unknown as vscode.TextDocument;
}

/** SourceStatus as the view and the lenses use it: located in the open document, cached per version. */
function sourceStatus(doc: () => vscode.TextDocument) {
  const cache = new Map<string, { key: string; r: ReturnType<typeof locate> }>();
  let indexed: { version: number; index: TextIndex } | undefined;
  const at = (id: string, anchor: SourceAnchor, key: string, index: TextIndex) => {
    const hit = cache.get(id);
    if (hit?.key === key) return hit.r;
    const r = locate(anchor, index);
    cache.set(id, { key, r });
    return r;
  };
  return {
    of(p: ProjectRecord) {
      if (!p.source) return undefined;
      const d = doc();
      if (indexed?.version !== d.version) indexed = { version: d.version, index: indexText(d.getText()) };
      return at(p.id, p.source, `${d.version}`, indexed.index);
    },
    inDocument: (p: ProjectRecord & { source: SourceAnchor }, d: vscode.TextDocument, index: TextIndex) => at(p.id, p.source, `${d.version}`, index),
    onDidChange: none,
  };
}

function time(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;

// -- P11 -------------------------------------------------------------------------------
let version = 1;
let body = text;
const currentDoc = () => document(body, version);
const projects = { all: () => records, queued: () => [], activeId: 'p0', onDidChange: none, onDidChangeActive: none };
const runner = { running: () => undefined, pending: () => 0, onDidChange: none };
const view = new ProjectsProvider(projects as never, runner as never, sourceStatus(currentDoc) as never);
/** The same 200 rows with no work inside: the stored title and state, nothing looked up. */
const bare = {
  getChildren: () => records.map((project) => ({ kind: 'project' as const, project })),
  getTreeItem: (n: { project: ProjectRecord }) => {
    const item = new vscode.TreeItem(n.project.title);
    item.description = n.project.state;
    return item;
  },
};
const refresh = (p: { getChildren(): unknown[]; getTreeItem(n: never): unknown }) => {
  for (const n of p.getChildren()) p.getTreeItem(n as never);
};
const edit = (i: number) => {
  // One edit per refresh (typing in a source file): the changed scene must be located again.
  version++;
  body = text.replace(`Scene 3 line 1: the lamp`, `Scene 3 line 1 (edit ${i}): the lamp`);
};
for (let i = 0; i < 20; i++) {
  edit(i);
  refresh(view);
  refresh(bare);
}
const viewMs: number[] = [];
const bareMs: number[] = [];
for (let r = 0; r < RUNS; r++) {
  for (const who of r % 2 ? ['bare', 'view'] : ['view', 'bare']) {
    const ms = time(() => {
      for (let i = 0; i < 20; i++) {
        if (who === 'view') {
          edit(i);
          refresh(view);
        } else refresh(bare);
      }
    });
    (who === 'view' ? viewMs : bareMs).push(ms / 20);
  }
}

// -- P12 -------------------------------------------------------------------------------
const settings = { storyboardLenses: () => true, onDidChange: none };
const lenses = new ProjectLenses({ all: () => linked, onDidChange: none } as never, sourceStatus(currentDoc) as never, settings);
const empty = { provideCodeLenses: (d: vscode.TextDocument) => (d.getText().length >= 0 ? [] : []) };
let count = 0;
const lensMs: number[] = [];
const emptyMs: number[] = [];
for (let i = 0; i < 10; i++) {
  edit(i);
  count = lenses.lensesFor(currentDoc(), { indexText, parseStoryboard, scenesWithoutVideo }).length;
  empty.provideCodeLenses(currentDoc());
}
for (let r = 0; r < RUNS; r++) {
  for (const who of r % 2 ? ['empty', 'lenses'] : ['lenses', 'empty']) {
    const ms = time(() => {
      for (let i = 0; i < 20; i++) {
        edit(i);
        if (who === 'lenses') lenses.lensesFor(currentDoc(), { indexText, parseStoryboard, scenesWithoutVideo });
        else empty.provideCodeLenses(currentDoc());
      }
    });
    (who === 'lenses' ? lensMs : emptyMs).push(ms / 20);
  }
}

console.log(
  JSON.stringify({
    p11: { viewMs: median(viewMs), bareMs: median(bareMs), projects: records.length, withSource: records.filter((p) => p.source).length },
    p12: { lensMs: median(lensMs), emptyMs: median(emptyMs), lines: text.split('\n').length, scenes: scenes.length, linked: linked.length, lenses: count },
  }),
);
