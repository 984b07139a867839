// The extension as a user drives it, inside the real extension host against the
// simulator: generate from a selection -> live chat -> an MP4 under videos/ ->
// the tracks in the tree; export again without overwriting; intent routing;
// Stop; resuming a render after a reload; every command.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { HostToWebview, WebviewToHost } from '../../src/protocol';
import type { NemoVideoTestApi } from '../../src/testApi';
import { testEnvironment } from './support/environment';
import { chatText, contributedCommands, hostApi, requestId } from './support/extension';
import { withSettings } from './support/settings';
import { simAdmin } from './support/simAdmin';
import { waitFor } from './support/waitFor';
import { assertMp4UnderVideos, selectParagraph, workspaceRoot } from './support/workspace';

type TreeNode = { kind: 'track' | 'segment' };
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const FAST = { askOptions: false, confirmBeforeSpending: false, autoExport: true, exportFolder: 'videos' };



async function inject(api: NemoVideoTestApi, msg: WebviewToHost): Promise<void> {
  await api.chat.injectForTest(msg);
}


async function treeItems(api: NemoVideoTestApi): Promise<Array<{ node: TreeNode; item: vscode.TreeItem; children: vscode.TreeItem[] }>> {
  const provider = api.timeline as unknown as vscode.TreeDataProvider<TreeNode>;
  const tracks = ((await provider.getChildren(undefined)) ?? []) as TreeNode[];
  const out = [];
  for (const node of tracks) {
    const children = ((await provider.getChildren(node)) ?? []) as TreeNode[];
    out.push({ node, item: await provider.getTreeItem(node), children: await Promise.all(children.map((c) => provider.getTreeItem(c))) });
  }
  return out;
}

function label(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

/** A registered simulator user with plenty of credits: an anonymous token has only enough for one generation. */
let userToken = '';

describe('NemoVideo host: generate, chat, export', function () {
  this.timeout(180_000);

  before(async () => {
    const api = await hostApi();
    userToken = await simAdmin.userToken(1_000_000);
    await api.tokenStore.set(userToken);
    await waitFor(() => api.snapshot().signedIn, { message: 'the user token to be in use' });
    await vscode.commands.executeCommand('nemoVideo.newSession');
  });

  it('uses the simulator from NEMO_API_URL', async () => {
    const api = await hostApi();
    assert.strictEqual(api.apiBaseUrl(), testEnvironment.apiUrl());
  });

  it('generates a playable MP4 under videos/ from a selection, streaming the run into the chat, and shows 3 tracks', async () => {
    const api = await hostApi();
    await withSettings(FAST, async () => {
      await selectParagraph();
      await simAdmin.addScenario({ name: 'streaming' });
      const postsBefore = await simAdmin.runSsePostCount();
      const posts: HostToWebview[] = [];
      const sub = api.chat.onDidPost((p) => posts.push(p));
      try {
        await vscode.commands.executeCommand('nemoVideo.generateFromSelection');
        assert.ok(api.snapshot().busy || api.lastExport(), 'the generation did not start');
        await api.idle();
      } finally {
        sub.dispose();
      }
      assert.strictEqual((await simAdmin.runSsePostCount()) - postsBefore, 1, 'exactly one /run_sse POST per generation');
      assert.ok(api.chat.isOpen, 'the chat panel opened beside the editor');
      assert.ok(posts.some((p) => p.type === 'streamDelta'), 'no streamed text reached the chat');
      assert.ok(posts.some((p) => p.type === 'messageAdded' && p.message.role === 'progress'), 'no progress line reached the chat');
      const text = chatText(api);
      assert.match(text, /Make a 30-second 16:9 video with a voice-over/);
      assert.match(text, /Timeline \(3 tracks\)/);

      const file = api.lastExport();
      assert.ok(file, `nothing was exported:\n${text}`);
      await assertMp4UnderVideos(file);
      assert.match(text, /Video saved/);

      const tracks = await treeItems(api);
      assert.strictEqual(tracks.length, 3, `tree: ${tracks.map((t) => label(t.item)).join(', ')}`);
      const icons = tracks.map((t) => (t.item.iconPath as vscode.ThemeIcon).id);
      assert.deepStrictEqual(icons, ['device-camera-video', 'music', 'symbol-text']);
      for (const t of tracks) {
        assert.ok(label(t.item), 'a track without a label');
        assert.ok(t.children.length > 0, `${label(t.item)} has no segments`);
        for (const s of t.children) {
          assert.ok(label(s).length > 0);
          assert.match(String(s.description), /^\d+(\.\d+)?–\d+(\.\d+)?s/, 'segment ranges use an en dash');
          assert.strictEqual(s.contextValue, 'segment');
          assert.ok(s.tooltip instanceof vscode.MarkdownString && s.tooltip.isTrusted !== true, 'tooltips are untrusted Markdown');
        }
      }
      assert.match(String(tracks[1]!.children[0]!.description), /%$/, 'audio segments show their volume');
    });
  });

  it('exports twice without overwriting: two more distinct files', async () => {
    const api = await hostApi();
    await withSettings(FAST, async () => {
      const first = api.lastExport();
      assert.ok(first, 'needs the video of the previous test');
      await vscode.commands.executeCommand('nemoVideo.export');
      await api.idle();
      const second = api.lastExport();
      await vscode.commands.executeCommand('nemoVideo.export');
      await api.idle();
      const third = api.lastExport();
      assert.ok(second && third, chatText(api));
      const names = new Set([first.toString(), second.toString(), third.toString()]);
      assert.strictEqual(names.size, 3, `export overwrote a file: ${[...names].join(', ')}`);
      for (const f of [first, second, third]) await assertMp4UnderVideos(f);
      const dir = await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(workspaceRoot(), 'videos'));
      assert.ok(!dir.some(([n]) => n.endsWith('.partial')), 'a temporary file was left behind');
    });
  });

  it('several selections: each gets its own run, project and file', async () => {
    const api = await hostApi();
    await withSettings(FAST, async () => {
      const editor = await selectParagraph();
      const doc = editor.document;
      const paragraph = editor.selection;
      const title = doc.lineAt(0).range;
      editor.selections = [new vscode.Selection(title.start, title.end), paragraph];
      const before = await simAdmin.stats();
      const filesBefore = (await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(workspaceRoot(), 'videos'))).length;
      await vscode.commands.executeCommand('nemoVideo.generateFromSelection');
      await api.idle();
      const after = await simAdmin.stats();
      const newSessions = Object.keys(after.runSsePosts).filter((sid) => !(sid in before.runSsePosts));
      assert.strictEqual(newSessions.length, 2, 'each generation has its own project');
      for (const sid of newSessions) assert.strictEqual(after.runSsePosts[sid], 1, 'one run per selection');
      const filesAfter = (await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(workspaceRoot(), 'videos'))).length;
      assert.strictEqual(filesAfter - filesBefore, 2, `two new files:\n${chatText(api)}`);
    });
  });

  it('answers "credits" in the chat itself: no /run_sse request', async () => {
    const api = await hostApi();
    const before = await simAdmin.stats();
    const postsBefore = Object.values(before.runSsePosts).reduce((a, b) => a + b, 0);
    await inject(api, { type: 'send', requestId: requestId(), text: 'credits' });
    await waitFor(() => /credits available/.test(chatText(api)), { message: 'the credits answer in the chat' });
    await api.idle();
    const after = await simAdmin.stats();
    assert.strictEqual(Object.values(after.runSsePosts).reduce((a, b) => a + b, 0), postsBefore, '"credits" reached the agent');
    assert.ok(after.requests.slice(before.requests.length).some((r) => r.path.startsWith('/api/credits/balance/simple')), 'no credits request');
    assert.strictEqual(typeof api.snapshot().credits, 'number');
  });

  it('Stop aborts a run in progress: cancelled, and the simulator saw exactly one /run_sse POST', async () => {
    const api = await hostApi();
    await simAdmin.addScenario({ name: 'heartbeatStall' });
    const before = await simAdmin.runSsePostCount();
    await inject(api, { type: 'send', requestId: requestId(), text: 'Make the title bigger and add a soft glow' });
    await waitFor(async () => (await simAdmin.runSsePostCount()) > before && api.snapshot().busy, { message: 'the run to start' });
    await inject(api, { type: 'stop', requestId: requestId() });
    await api.idle();
    assert.strictEqual(api.snapshot().busy, false);
    assert.strictEqual((await simAdmin.runSsePostCount()) - before, 1, 'Stop must not re-send');
    assert.match(chatText(api), /Stopped/);
    await simAdmin.clearScenarios();
  });

  it('resumes a persisted render job after a (simulated) reload and lands the file', async () => {
    const api = await hostApi();
    assert.ok(api.renderJobs && api.resumeRenderJobs, 'the test API has no renderJobs/resumeRenderJobs');
    const base = testEnvironment.apiUrl();
    const token = userToken;
    const headers = {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'x-skill-source': 'nemo-video-vscode-tests',
      'x-skill-version': '0.0.0',
      'x-skill-platform': 'vscode',
    };
    const post = async (p: string, body: unknown) => {
      const res = await fetch(`${base}${p}`, { method: 'POST', headers, body: JSON.stringify(body) });
      return { res, text: await res.text() };
    };
    // A project with a video, made outside the extension (as by an earlier window).
    const session = JSON.parse((await post('/api/tasks/me/with-session/nemo_agent', { task_name: 'resume test', language: 'en' })).text) as { data: { session_id: string } };
    const sessionId = String(session.data.session_id);
    await post('/run_sse', { app_name: 'nemo_agent', user_id: 'me', session_id: sessionId, new_message: { parts: [{ text: 'Make a 15-second video about a lighthouse at night' }] } });
    const state = (await (await fetch(`${base}/api/state/nemo_agent/me/${sessionId}/latest`, { headers })).json()) as { data: { state: { draft: unknown } } };
    const renderId = `render_resume_${Date.now()}`;
    const started = await post('/api/render/proxy/lambda', { id: renderId, sessionId, draft: state.data.state.draft, output: { format: 'mp4', quality: 'high' } });
    assert.ok(started.res.ok, `render start: ${started.text}`);

    {
      const before = api.lastExport()?.toString();
      const destPath = await api.renderJobs.newDestPath();
      await api.renderJobs.save({ renderId, sessionId, attempt: 1, startedAt: Date.now(), destPath, title: 'Resumed lighthouse' });
      await api.resumeRenderJobs();
      await api.idle();
      const landed = api.lastExport();
      assert.ok(landed && landed.toString() !== before, `the resumed render did not land:\n${chatText(api)}`);
      await assertMp4UnderVideos(landed);
      assert.deepStrictEqual(await api.renderJobs.list(), [], 'the job record was not removed');
      assert.ok(!fs.existsSync(destPath), 'the temporary download was not removed');
    }
  });
});

describe('NemoVideo host: every command runs', function () {
  this.timeout(120_000);

  it('registers every contributed command', async () => {
    await hostApi();
    const all = await vscode.commands.getCommands(true);
    for (const id of contributedCommands()) assert.ok(all.includes(id), `${id} is not registered`);
  });

  it('generateFromSelection with nothing selected asks for a selection and sends nothing', async () => {
    const api = await hostApi();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const before = await simAdmin.runSsePostCount();
    await vscode.commands.executeCommand('nemoVideo.generateFromSelection');
    await api.idle();
    assert.strictEqual(await simAdmin.runSsePostCount(), before);
  });

  it('openChat, showCredits, refreshTimeline', async () => {
    const api = await hostApi();
    await vscode.commands.executeCommand('nemoVideo.openChat');
    await waitFor(() => api.chat.isOpen, { message: 'the chat panel' });
    await vscode.commands.executeCommand('nemoVideo.showCredits');
    assert.strictEqual(typeof api.snapshot().credits, 'number');
    await vscode.commands.executeCommand('nemoVideo.refreshTimeline');
  });

  it('openInWeb opens a claim link (ct=…), never a token', async () => {
    const api = await hostApi();
    assert.ok(api.project?.(), 'needs the project of the generation test');
    const links: string[] = [];
    api.interceptExternalLinks?.((url) => links.push(url));
    try {
      await vscode.commands.executeCommand('nemoVideo.openInWeb');
      await waitFor(() => links.length > 0, { message: 'the claim link' });
    } finally {
      api.interceptExternalLinks?.(undefined);
    }
    assert.match(links[0]!, /\/workspace\/claim\?ct=clm_/);
    assert.doesNotMatch(links[0]!, /nmv_|token=/);
  });

  it('editSegment and removeSegment send scoped requests through the chat', async () => {
    const api = await hostApi();
    await api.timeline.refresh();
    const provider = api.timeline as unknown as vscode.TreeDataProvider<TreeNode>;
    const tracks = ((await provider.getChildren(undefined)) ?? []) as TreeNode[];
    const titleTrack = tracks[tracks.length - 1];
    assert.ok(titleTrack, 'needs a timeline');
    const segment = (((await provider.getChildren(titleTrack)) ?? []) as TreeNode[])[0];
    assert.ok(segment);
    const asked: string[] = [];
    try {
      // Extra arguments never skip a question: a refused confirmation sends nothing.
      api.answerPrompts?.((q) => (asked.push(q.kind), q.kind === 'confirm' ? false : undefined));
      const postsBefore = await simAdmin.runSsePostCount();
      await vscode.commands.executeCommand('nemoVideo.removeSegment', segment, true);
      await vscode.commands.executeCommand('nemoVideo.editSegment', segment, 'make it red');
      await api.idle();
      assert.deepStrictEqual(asked, ['confirm', 'input']);
      assert.doesNotMatch(chatText(api), /user: Remove the title|make it red/);
      assert.strictEqual(await simAdmin.runSsePostCount(), postsBefore, 'a refused question still sent a message');
      // A node that points at nothing shown is ignored without a question.
      await vscode.commands.executeCommand('nemoVideo.removeSegment', { ...segment, index: 999 });
      assert.deepStrictEqual(asked, ['confirm', 'input']);
      api.answerPrompts?.((q) => (q.kind === 'confirm' ? true : 'make it red'));
      await vscode.commands.executeCommand('nemoVideo.editSegment', segment);
      await api.idle();
      assert.match(chatText(api), /user: On the title "[^"]*" \([\d.]+–[\d.]+s\): make it red/);
      await vscode.commands.executeCommand('nemoVideo.removeSegment', segment);
      await api.idle();
      assert.match(chatText(api), /user: Remove the title "[^"]*" \([\d.]+–[\d.]+s\)/);
    } finally {
      api.answerPrompts?.(undefined);
    }
  });

  it('upload: a file of the wrong type is refused with the accepted list; an MP4 is uploaded', async () => {
    const api = await hostApi();
    const root = workspaceRoot();
    await vscode.commands.executeCommand('nemoVideo.upload', vscode.Uri.joinPath(root, 'script.md'));
    await api.idle();
    assert.match(chatText(api), /script\.md cannot be uploaded\. NemoVideo accepts video \(MP4/);
    const clip = vscode.Uri.joinPath(root, 'clip.mp4');
    await vscode.workspace.fs.writeFile(clip, fs.readFileSync(path.join(REPO_ROOT, 'media', 'sample-render.mp4')));
    try {
      const before = (await simAdmin.stats()).requests.length;
      await vscode.commands.executeCommand('nemoVideo.upload', clip);
      await api.idle();
      assert.match(chatText(api), /Uploaded clip\.mp4/);
      const uploads = (await simAdmin.stats()).requests.slice(before).filter((r) => r.path.startsWith('/api/upload-video/'));
      assert.strictEqual(uploads.length, 1);
    } finally {
      await vscode.workspace.fs.delete(clip);
    }
  });

  it('export with no video says so instead of rendering; newSession starts a new project', async () => {
    const api = await hostApi();
    await vscode.commands.executeCommand('nemoVideo.newSession');
    assert.strictEqual(api.project?.(), undefined);
    const before = (await simAdmin.stats()).requests.length;
    await vscode.commands.executeCommand('nemoVideo.export');
    await api.idle();
    assert.match(chatText(api), /no video to export yet/);
    assert.ok(!(await simAdmin.stats()).requests.slice(before).some((r) => r.path.startsWith('/api/render/')), 'a render was started without a video');
  });

  it('setToken can be dismissed; signOut clears the stored token', async () => {
    const api = await hostApi();
    const pending = vscode.commands.executeCommand('nemoVideo.setToken');
    let settled = false;
    void Promise.resolve(pending).finally(() => (settled = true));
    // Close the password box as a user pressing Escape would.
    await waitFor(
      async () => {
        await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
        return settled;
      },
      { message: 'the token input box to close', intervalMs: 200 },
    );
    await api.tokenStore.set('nmv_usr_integration_signout_check');
    await vscode.commands.executeCommand('nemoVideo.signOut');
    assert.strictEqual(await api.tokenStore.get(), undefined);
  });

  it('tryOffline switches this window to the bundled simulator without touching the settings', async () => {
    const api = await hostApi();
    assert.ok(api.stopOfflineSimulator, 'the test API has no stopOfflineSimulator');
    const configured = testEnvironment.apiUrl();
    try {
      await vscode.commands.executeCommand('nemoVideo.tryOffline');
      const url = api.apiBaseUrl();
      assert.notStrictEqual(url, configured);
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.strictEqual(api.snapshot().simulator, true);
      assert.strictEqual(vscode.workspace.getConfiguration('nemoVideo').inspect('apiBaseUrl')?.globalValue, undefined, 'the setting was written');
      const health = await fetch(`${url}/__sim/health`);
      assert.ok(health.ok);
    } finally {
      await api.stopOfflineSimulator();
    }
    assert.strictEqual(api.apiBaseUrl(), configured);
    assert.strictEqual(api.snapshot().simulator, false);
  });

  it('a flood of webview messages does not break the host', async () => {
    const api = await hostApi();
    let answered = false;
    const sub = api.chat.onDidPost((p) => {
      if (p.type === 'response' && p.requestId.startsWith('after-flood')) answered = true;
    });
    try {
      for (let i = 0; i < 200; i++) await api.chat.injectForTest({ type: 'uiError', message: `flood ${i}` });
      let n = 0;
      // The panel may rate-limit for a moment; a later request must be answered.
      await waitFor(
        async () => {
          if (!answered) await api.chat.injectForTest({ type: 'credits', requestId: `after-flood-${++n}` });
          return answered;
        },
        { timeoutMs: 20_000, intervalMs: 250, message: 'an answer after the flood' },
      );
    } finally {
      sub.dispose();
    }
    await api.idle();
  });
});
