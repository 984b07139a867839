// Projects in the real extension host against the simulator: each project keeps its
// own chat and Timeline, a run goes on in its project while another is shown, a
// storyboard's scenes become projects with lenses, and Update Video is one edit of
// the existing project (no new session, no generation) followed by a new file.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { NemoVideoTestApi } from '../../src/testApi';
import { hostApi, requestId } from './support/extension';
import { withSettings } from './support/settings';
import { simAdmin } from './support/simAdmin';
import { waitFor } from './support/waitFor';
import { assertMp4UnderVideos, signInAsSimulatorUser, workspaceRoot } from './support/workspace';

const FAST = { askOptions: false, confirmBeforeSpending: false, autoExport: true, exportFolder: 'videos' };
const SESSION_POST = '/api/tasks/me/with-session/nemo_agent';

type Projects = NonNullable<NemoVideoTestApi['projects']>;

function projectsOf(api: NemoVideoTestApi): Projects {
  assert.ok(api.projects, 'the test API has no projects surface');
  return api.projects;
}

async function send(api: NemoVideoTestApi, text: string): Promise<void> {
  await api.chat.injectForTest({ type: 'send', requestId: requestId(), text });
}

function shownText(api: NemoVideoTestApi): string {
  return api
    .snapshot()
    .messages.map((m) => m.text)
    .join('\n');
}

async function counts(): Promise<{ sessions: number; runs: number; renders: number }> {
  const stats = await simAdmin.stats();
  return {
    sessions: stats.requests.filter((r) => r.method === 'POST' && r.path === SESSION_POST).length,
    runs: Object.values(stats.runSsePosts).reduce((a, b) => a + b, 0),
    renders: stats.requests.filter((r) => r.method === 'POST' && r.path === '/api/render/proxy/lambda').length,
  };
}

async function writeStoryboard(name: string, scenes: string[]): Promise<vscode.Uri> {
  const uri = vscode.Uri.joinPath(workspaceRoot(), name);
  const body = ['# Lumen Desk launch', '', ...scenes.flatMap((s, i) => [`## Scene ${i + 1}`, '', s, ''])].join('\n');
  await vscode.workspace.fs.writeFile(uri, Buffer.from(body, 'utf8'));
  return uri;
}

describe('Projects: a chat per project, lenses on the source, Update Video', function () {
  this.timeout(240_000);
  let restoreToken: (() => Promise<void>) | undefined;

  before(async () => {
    const api = await hostApi();
    restoreToken = await signInAsSimulatorUser(api);
    await projectsOf(api).ready();
  });

  after(async () => {
    const api = await hostApi();
    api.answerPrompts?.(undefined);
    await simAdmin.setOptions({ delays: {} });
    await restoreToken?.();
  });

  it('switching projects switches the chat history and the Timeline; New Project loses nothing', async () => {
    const api = await hostApi();
    const projects = projectsOf(api);
    await withSettings({ ...FAST, autoExport: false }, async () => {
      await vscode.commands.executeCommand('nemoVideo.newSession');
      await send(api, 'Make a video about the Aurora lamp');
      await api.idle();
      const a = projects.activeId();
      const fileA = api.historyFile!();
      await waitFor(() => projects.list().find((p) => p.id === a), { message: 'project A in the list' });

      await vscode.commands.executeCommand('nemoVideo.newSession');
      const b = projects.activeId();
      assert.notStrictEqual(b, a, 'New Project shows another project');
      assert.ok(!shownText(api).includes('Aurora lamp'), 'the new project starts with an empty chat');
      await send(api, 'Make a video about the Borealis chair');
      await api.idle();
      assert.notStrictEqual(api.historyFile!(), fileA, 'each project has its own history file');
      assert.ok(projects.rows().some((r) => r.id === a) && projects.rows().some((r) => r.id === b), 'both projects are listed');

      const stateReadsOfA = async () => {
        const session = projects.list().find((p) => p.id === a)!.sessionId;
        return (await simAdmin.stats()).requests.filter((r) => r.method === 'GET' && r.path.includes(`/${session}/latest`)).length;
      };
      const readsBefore = await stateReadsOfA();
      await vscode.commands.executeCommand('nemoVideo.projects.open', { projectId: a });
      assert.strictEqual(projects.activeId(), a);
      await waitFor(() => shownText(api).includes('Aurora lamp'), { message: "project A's chat after switching" });
      assert.ok(!shownText(api).includes('Borealis chair'), "project B's messages are not in A's chat");
      assert.strictEqual(api.historyFile!(), fileA);
      // The Timeline shows A's tracks, fetched for A.
      await waitFor(async () => (await stateReadsOfA()) > readsBefore, { message: "the Timeline to fetch project A's state" });
      await waitFor(async () => ((await api.timeline.getChildren(undefined)) ?? []).length > 0, { message: "project A's tracks" });
      // The history file on disk is A's, with A's text only.
      const stored = fs.readFileSync(fileA, 'utf8');
      assert.ok(stored.includes('Aurora lamp') && !stored.includes('Borealis chair'));
    });
  });

  it('a run in project A goes on while B is shown, and the view shows its progress', async () => {
    const api = await hostApi();
    const projects = projectsOf(api);
    await withSettings({ ...FAST, autoExport: false }, async () => {
      await vscode.commands.executeCommand('nemoVideo.newSession');
      await send(api, 'Make a video about the Cirrus kettle');
      await api.idle();
      const a = projects.activeId();
      const fileA = api.historyFile!();
      await vscode.commands.executeCommand('nemoVideo.newSession');
      const b = projects.activeId();
      await vscode.commands.executeCommand('nemoVideo.projects.open', { projectId: a });

      await simAdmin.setOptions({ delays: { editMs: 2_500 } });
      await send(api, 'Add lo-fi music to the Cirrus video');
      await waitFor(() => api.snapshot().busy, { message: 'the run in A to start' });
      await vscode.commands.executeCommand('nemoVideo.projects.open', { projectId: b });
      assert.strictEqual(projects.activeId(), b);
      assert.strictEqual(api.snapshot().busy, false, 'B is not busy');
      const rowA = projects.rows().find((r) => r.id === a);
      assert.ok(rowA && /generating…|working/.test(rowA.description), `A's row shows its run: ${rowA?.description}`);
      await api.idle();
      await simAdmin.setOptions({ delays: {} });
      assert.ok(!shownText(api).includes('lo-fi'), "A's run did not write into B's chat");
      const stored = fs.readFileSync(fileA, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { role: string; text: string; status?: string });
      const userAt = stored.findIndex((m) => m.role === 'user' && m.text.includes('lo-fi'));
      assert.ok(userAt >= 0, "the message is in A's history");
      assert.ok(stored.slice(userAt + 1).some((m) => m.role === 'assistant' && m.text.trim() !== '' && m.status !== 'cancelled'), "A's reply was kept in A's history while B was shown");
    });
  });

  it('Generate All Scenes asks once and makes one project and one MP4 per scene, each with its lens', async () => {
    const api = await hostApi();
    const projects = projectsOf(api);
    const uri = await writeStoryboard('storyboard-all.md', [
      'A desk lamp that wakes you with sunrise light.',
      'It dims itself when your calendar says focus time.',
      'Order it today and get a free charging pad.',
    ]);
    const questions: string[] = [];
    api.answerPrompts?.((q) => {
      questions.push(q.kind === 'confirm' ? q.message : q.prompt);
      return true;
    });
    try {
      await withSettings({ ...FAST, confirmBeforeSpending: false }, async () => {
        const before = await counts();
        const lenses = await api.codeLenses!(uri);
        const all = lenses.find((l) => l.command === 'nemoVideo.generateAllScenes');
        assert.ok(all && all.title.includes('3'), `a Generate All Scenes lens for 3 scenes: ${JSON.stringify(lenses.map((l) => l.title))}`);
        assert.strictEqual(lenses.filter((l) => l.command === 'nemoVideo.generateScene').length, 3);
        await vscode.commands.executeCommand(all.command, ...all.arguments);
        await api.idle();
        assert.strictEqual(questions.length, 1, 'one confirmation, even with confirmBeforeSpending off');
        assert.match(questions[0]!, /3 videos/);
        assert.match(questions[0]!, /300 credits/);
        const after = await counts();
        assert.strictEqual(after.sessions - before.sessions, 3, 'three new projects');
        const made = projects.list().filter((p) => p.source?.file === uri.toString());
        assert.strictEqual(made.length, 3);
        for (const p of made) {
          assert.ok(p.lastExport, `${p.title} was exported`);
          await assertMp4UnderVideos(vscode.Uri.parse(p.lastExport.uri));
        }
        assert.strictEqual(new Set(made.map((p) => p.lastExport!.uri)).size, 3, 'three files');
        const lensesAfter = await api.codeLenses!(uri);
        assert.ok(!lensesAfter.some((l) => l.command === 'nemoVideo.generateAllScenes' || l.command === 'nemoVideo.generateScene'), 'every scene has its video');
        assert.strictEqual(lensesAfter.filter((l) => l.title.startsWith('▶')).length, 3);
      });
    } finally {
      api.answerPrompts?.(undefined);
    }
  });

  it('Update Video sends exactly one edit to the existing project (no session, no generation), then a new file', async () => {
    const api = await hostApi();
    const projects = projectsOf(api);
    const uri = await writeStoryboard('storyboard-update.md', ['Scene one: the morning routine.', 'Scene two: focus mode dims the lamp.']);
    const questions: string[] = [];
    api.answerPrompts?.((q) => {
      questions.push(q.kind === 'confirm' ? q.message : q.prompt);
      return true;
    });
    try {
      await withSettings(FAST, async () => {
        const scene2 = (await api.codeLenses!(uri)).filter((l) => l.command === 'nemoVideo.generateScene')[1]!;
        await vscode.commands.executeCommand(scene2.command, ...scene2.arguments);
        await api.idle();
        const project = projects.list().find((p) => p.source?.file === uri.toString());
        assert.ok(project?.lastExport, 'scene 2 has its video');
        const firstFile = project.lastExport.uri;

        // Change scene 2 in the editor: its lens says so.
        const document = await vscode.workspace.openTextDocument(uri);
        const line = [...Array(document.lineCount).keys()].find((i) => document.lineAt(i).text.startsWith('Scene two'))!;
        const edit = new vscode.WorkspaceEdit();
        edit.replace(uri, document.lineAt(line).range, 'Scene two: focus mode dims the lamp and mutes the phone.');
        assert.ok(await vscode.workspace.applyEdit(edit));
        const changed = await waitFor(async () => (await api.codeLenses!(uri)).find((l) => l.command === 'nemoVideo.updateVideo'), { message: 'an Update Video lens' });
        assert.ok((await api.codeLenses!(uri)).some((l) => l.title.includes('Text changed since this video')));
        await waitFor(() => projects.rows().find((r) => r.id === project.id)?.description.includes('text changed'), { message: 'the view to say the text changed' });

        const before = await counts();
        questions.length = 0;
        await vscode.commands.executeCommand(changed.command, ...changed.arguments);
        await api.idle();
        const after = await counts();
        assert.strictEqual(questions.length, 1, 'the cost was confirmed once');
        assert.match(questions[0]!, /50 credits/);
        assert.strictEqual(after.sessions - before.sessions, 0, 'no new project session');
        assert.strictEqual(after.runs - before.runs, 1, 'exactly one /run_sse POST: the edit');
        assert.strictEqual(after.renders - before.renders, 1, 'exported once');
        const updated = projects.list().find((p) => p.id === project.id)!;
        assert.notStrictEqual(updated.lastExport?.uri, firstFile, 'the update went to a new file');
        await assertMp4UnderVideos(vscode.Uri.parse(updated.lastExport!.uri));
        assert.ok(fs.existsSync(vscode.Uri.parse(firstFile).fsPath), 'the first file is kept');
        assert.ok(updated.source?.text.includes('mutes the phone'), 'the project now follows the revised text');
        const lenses = await api.codeLenses!(uri);
        assert.ok(!lenses.some((l) => l.command === 'nemoVideo.updateVideo'), 'the lens no longer says the text changed');
      });
    } finally {
      api.answerPrompts?.(undefined);
    }
  });

  it('Generate Video on a scene always asks (another extension can run it); declined, nothing is sent; a file outside the workspace is refused', async () => {
    const api = await hostApi();
    const uri = await writeStoryboard('storyboard-ask.md', ['A scene that must not be sent without asking.']);
    const asked: string[] = [];
    api.answerPrompts?.((q) => {
      asked.push(q.kind === 'confirm' ? q.message : q.prompt);
      return false;
    });
    try {
      await withSettings({ ...FAST, confirmBeforeSpending: false }, async () => {
        const before = await counts();
        const scene = (await api.codeLenses!(uri)).find((l) => l.command === 'nemoVideo.generateScene')!;
        await vscode.commands.executeCommand(scene.command, ...scene.arguments);
        await api.idle();
        assert.strictEqual(asked.length, 1, 'asked once, with confirmBeforeSpending off');
        assert.match(asked[0]!, /100 credits/);
        const outside = vscode.Uri.file(path.join(os.tmpdir(), `nemo-outside-${Date.now()}.md`));
        fs.writeFileSync(outside.fsPath, '# Secret\n\n## Scene\n\nA private note outside the workspace.\n');
        await vscode.commands.executeCommand('nemoVideo.generateScene', { uri: outside.toString(), scene: '0:Scene' });
        await vscode.commands.executeCommand('nemoVideo.generateAllScenes', { uri: outside.toString() });
        await api.idle();
        assert.strictEqual(asked.length, 1, 'a file outside the workspace is refused before any question');
        const after = await counts();
        assert.deepStrictEqual(after, before, 'nothing reached the server');
        fs.rmSync(outside.fsPath, { force: true });
      });
    } finally {
      api.answerPrompts?.(undefined);
    }
  });

  it('Remove from List asks, says the project stays on the server, and forgets only the local entry', async () => {
    const api = await hostApi();
    const projects = projectsOf(api);
    const victim = projects.list()[0];
    assert.ok(victim, 'a project to remove');
    const asked: string[] = [];
    api.answerPrompts?.((q) => {
      asked.push(q.kind === 'confirm' ? q.message : q.prompt);
      return true;
    });
    try {
      const before = (await simAdmin.stats()).requests.length;
      await vscode.commands.executeCommand('nemoVideo.projects.remove', { projectId: victim.id });
      assert.strictEqual(asked.length, 1);
      assert.match(asked[0]!, /stays on the NemoVideo server/);
      assert.ok(!projects.list().some((p) => p.id === victim.id));
      assert.strictEqual((await simAdmin.stats()).requests.length, before, 'nothing was asked of the server');
    } finally {
      api.answerPrompts?.(undefined);
    }
  });
});
