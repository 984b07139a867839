// Issue 8 inside the real extension host: a cloned repository's settings cannot
// redirect the token, CDN downloads carry no Authorization header, and the
// export folder cannot leave the workspace. The trust rules are checked on the
// settings resolver with a fake trust flag (the test host itself is trusted).
import * as assert from 'assert';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import * as vscode from 'vscode';
import { resolveSettings, projectLanguage, type SettingInspection } from '../../src/settingsResolver';
import type { NemoVideoTestApi } from '../../src/testApi';
import type { WebviewToHost } from '../../src/protocol';
import { testEnvironment } from './support/environment';
import { chatText, hostApi, requestId } from './support/extension';
import { withSettings } from './support/settings';
import { simAdmin } from './support/simAdmin';
import { waitFor } from './support/waitFor';
import { workspaceRoot } from './support/workspace';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const FAST = { askOptions: false, confirmBeforeSpending: false, autoExport: false, exportFolder: 'videos' };




/** A local HTTP server that records every request and answers with `body`. */
async function recordingServer(body: Buffer | string, contentType: string): Promise<{ url: string; requests: http.IncomingHttpHeaders[]; paths: string[]; close(): Promise<void> }> {
  const requests: http.IncomingHttpHeaders[] = [];
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.headers);
    paths.push(req.url ?? '');
    res.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    paths,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function send(api: NemoVideoTestApi, text: string): Promise<void> {
  const msg: WebviewToHost = { type: 'send', requestId: requestId(), text };
  await api.chat.injectForTest(msg);
  await api.idle();
}

/** A project with an exportable video (made through the chat, without auto-export). */
async function ensureVideo(api: NemoVideoTestApi): Promise<void> {
  await withSettings(FAST, async () => {
    await vscode.commands.executeCommand('nemoVideo.newSession');
    await send(api, 'Make a 15-second video about a lighthouse at night');
  });
  assert.ok(api.project?.(), `no project:\n${chatText(api)}`);
}

describe('NemoVideo security: settings scopes and trust (resolver)', () => {
  const inspector =
    (values: Record<string, SettingInspection>) =>
    (key: string): SettingInspection | undefined =>
      values[key];

  it('never takes the API/web origin or attribution from the workspace, even when trusted', () => {
    const s = resolveSettings(
      inspector({
        apiBaseUrl: { workspaceValue: 'http://127.0.0.1:9/evil' },
        webBaseUrl: { workspaceFolderValue: 'http://127.0.0.1:9/evil-web' },
        'attribution.source': { workspaceValue: 'evil' },
        'attribution.platform': { workspaceValue: 'evil' },
      }),
      { NEMO_API_URL: 'http://127.0.0.1:4000' },
      true,
    );
    assert.strictEqual(s.apiBaseUrl, 'http://127.0.0.1:4000');
    assert.strictEqual(s.apiSource, 'env');
    assert.strictEqual(s.webBaseUrl, 'https://nemovideo.com');
    assert.strictEqual(s.attributionSource, 'nemo-video-vscode');
    assert.strictEqual(s.attributionPlatform, 'vscode');
    assert.ok(s.warnings.some((w) => w.includes('apiBaseUrl')), 'the ignored value is logged');
  });

  it('explicit user setting > env > default', () => {
    assert.strictEqual(resolveSettings(inspector({ apiBaseUrl: { globalValue: 'http://127.0.0.1:5000/' } }), { NEMO_API_URL: 'http://127.0.0.1:4000' }, true).apiBaseUrl, 'http://127.0.0.1:5000');
    assert.strictEqual(resolveSettings(inspector({}), {}, true).apiBaseUrl, 'https://mega-api-prod.nemovideo.ai');
    assert.strictEqual(resolveSettings(inspector({}), {}, true).apiIsDefault, true);
    assert.strictEqual(resolveSettings(inspector({}), { SKILL_SOURCE: 'cursor' }, true).attributionPlatform, 'cursor');
  });

  it('a workspace can never turn off confirmBeforeSpending or askOptions', () => {
    for (const trusted of [true, false]) {
      const s = resolveSettings(inspector({ confirmBeforeSpending: { workspaceValue: false }, askOptions: { workspaceFolderValue: false } }), {}, trusted);
      assert.strictEqual(s.confirmBeforeSpending, true);
      assert.strictEqual(s.askOptions, true);
    }
    const user = resolveSettings(inspector({ confirmBeforeSpending: { globalValue: false } }), {}, false);
    assert.strictEqual(user.confirmBeforeSpending, false, 'the user may turn it off');
  });

  it('an untrusted workspace cannot set exportFolder, autoExport or pollSeconds; a trusted one can set the resource settings', () => {
    const values = inspector({
      exportFolder: { globalValue: 'clips', workspaceValue: '../outside' },
      autoExport: { workspaceValue: false },
      'render.pollSeconds': { workspaceValue: 2 },
    });
    const untrusted = resolveSettings(values, {}, false);
    assert.strictEqual(untrusted.exportFolder, 'clips');
    assert.strictEqual(untrusted.autoExport, true);
    assert.strictEqual(untrusted.pollSeconds, 5);
    assert.strictEqual(untrusted.trusted, false);
    const trusted = resolveSettings(values, {}, true);
    assert.strictEqual(trusted.exportFolder, '../outside', 'trusted: the value is used, and the export step refuses it');
    assert.strictEqual(trusted.autoExport, false);
    assert.strictEqual(trusted.pollSeconds, 5, 'machine-scoped: never from a workspace');
  });

  it('bad values fall back to the default with a warning', () => {
    const s = resolveSettings(
      inspector({
        apiBaseUrl: { globalValue: 'javascript:alert(1)' },
        autoExport: { globalValue: 'yes' },
        'render.pollSeconds': { globalValue: -1 },
        'attribution.source': { globalValue: 'line\nbreak' },
        language: { globalValue: '../../etc' },
      }),
      {},
      true,
    );
    assert.strictEqual(s.apiBaseUrl, 'https://mega-api-prod.nemovideo.ai');
    assert.strictEqual(s.autoExport, true);
    assert.strictEqual(s.pollSeconds, 5);
    assert.strictEqual(s.attributionSource, 'nemo-video-vscode');
    assert.strictEqual(s.language, 'auto');
    assert.ok(s.warnings.length >= 5, s.warnings.join('\n'));
  });

  it('maps the display language to a project language code', () => {
    assert.strictEqual(projectLanguage('auto', 'zh-cn'), 'zh-CN');
    assert.strictEqual(projectLanguage('auto', 'en'), 'en');
    assert.strictEqual(projectLanguage('ja', 'en'), 'ja');
    assert.strictEqual(projectLanguage('auto', 'pt-br'), 'pt-BR');
  });
});

describe('NemoVideo security: in the extension host', function () {
  this.timeout(180_000);

  before(async () => {
    // A registered simulator user with plenty of credits (an anonymous token pays for one generation only).
    const api = await hostApi();
    await api.tokenStore.set(await simAdmin.userToken(1_000_000));
    await waitFor(() => api.snapshot().signedIn, { message: 'the user token to be in use' });
    await vscode.commands.executeCommand('nemoVideo.newSession');
  });

  after(async () => {
    const api = await hostApi();
    await vscode.commands.executeCommand('nemoVideo.signOut');
    await waitFor(() => !api.snapshot().signedIn, { message: 'signed out' });
  });

  it("the user's token goes to an origin other than NemoVideo's only after the user confirmed it there", async () => {
    const api = await hostApi();
    const origin = new URL(testEnvironment.apiUrl()).origin;
    const userToken = await api.tokenStore.get();
    assert.ok(userToken);
    const asked: string[] = [];
    const runAuthorizations = async (fn: () => Promise<void>) => {
      const before = (await simAdmin.stats()).requests.length;
      await fn();
      return (await simAdmin.stats()).requests.slice(before).filter((r) => r.path === '/run_sse').map((r) => r.authorization ?? '');
    };
    // The harness confirmed the simulator's origin in the user settings in advance (as a headless setup can).
    await withSettings({ ...FAST, trustedApiOrigins: [] }, async () => {
      try {
        api.answerPrompts?.((q) => {
          if (q.kind === 'confirm') asked.push(q.message);
          return false;
        });
        await vscode.commands.executeCommand('nemoVideo.newSession');
        const declined = await runAuthorizations(() => send(api, 'Make a 15-second video about a harbour'));
        assert.strictEqual(asked.length, 1, 'no question before the token would have gone to the simulator');
        assert.ok(asked[0]!.includes(origin), `the question does not name the origin: ${asked[0]}`);
        assert.ok(declined.length > 0 && declined.every((a) => a.startsWith('Bearer ') && !a.includes(userToken)), `declined, yet the user token was sent: ${declined.join(', ')}`);
        // Declined once in this window: not asked again, still a guest there.
        const again = await runAuthorizations(() => send(api, 'Make the title red'));
        assert.strictEqual(asked.length, 1, 'asked again after the user declined');
        assert.ok(again.every((a) => !a.includes(userToken)));

        // A new token is a new question; this time the user confirms, and the choice is kept in the user settings.
        api.answerPrompts?.((q) => (q.kind === 'confirm' ? (asked.push(q.message), true) : undefined));
        await api.tokenStore.set(userToken);
        await vscode.commands.executeCommand('nemoVideo.newSession');
        const allowed = await runAuthorizations(() => send(api, 'Make a 15-second video about a harbour at night'));
        assert.strictEqual(asked.length, 2);
        assert.ok(allowed.length > 0 && allowed.every((a) => a === `Bearer ${userToken}`), `confirmed, yet the user token was not sent: ${allowed.join(', ')}`);
        assert.deepStrictEqual(vscode.workspace.getConfiguration('nemoVideo').inspect('trustedApiOrigins')?.globalValue, [origin]);
      } finally {
        api.answerPrompts?.(undefined);
      }
    });
  });

  it('NEMO_TOKEN beats the stored token, and the stored token beats the anonymous one', async () => {
    const api = await hostApi();
    const stored = await api.tokenStore.get();
    assert.ok(stored);
    const fromEnv = await simAdmin.userToken(1_000_000);
    const lastCreditsAuthorization = async () => {
      const before = (await simAdmin.stats()).requests.length;
      await vscode.commands.executeCommand('nemoVideo.showCredits');
      await waitFor(async () => (await simAdmin.stats()).requests.slice(before).some((r) => r.path.startsWith('/api/credits')), { message: 'a credits request' });
      return (await simAdmin.stats()).requests.slice(before).filter((r) => r.path.startsWith('/api/credits')).at(-1)?.authorization ?? '';
    };
    const previousEnv = process.env.NEMO_TOKEN;
    try {
      process.env.NEMO_TOKEN = fromEnv;
      await api.tokenStore.set(stored); // a token change rebuilds the client, which reads the environment again
      assert.strictEqual(await lastCreditsAuthorization(), `Bearer ${fromEnv}`, 'NEMO_TOKEN did not beat the stored token');
      delete process.env.NEMO_TOKEN;
      await api.tokenStore.set(stored);
      assert.strictEqual(await lastCreditsAuthorization(), `Bearer ${stored}`, 'the stored token was not used');
      await api.tokenStore.delete();
      const anonymous = await lastCreditsAuthorization();
      assert.match(anonymous, /^Bearer \S+/);
      assert.ok(!anonymous.includes(stored) && !anonymous.includes(fromEnv), 'a user token was sent after it was removed');
    } finally {
      if (previousEnv === undefined) delete process.env.NEMO_TOKEN;
      else process.env.NEMO_TOKEN = previousEnv;
      await api.tokenStore.set(stored);
      await waitFor(() => api.snapshot().signedIn, { message: 'the user token back in use' });
    }
  });

  it('a token the server echoes in agent text reaches no webview post, snapshot, history line or log', async () => {
    const api = await hostApi();
    const userToken = await api.tokenStore.get();
    assert.ok(userToken);
    const posts: unknown[] = [];
    const sub = api.chat.onDidPost((p) => posts.push(p));
    try {
      await withSettings(FAST, async () => {
        await simAdmin.addScenario({ name: 'echoToken' });
        await send(api, 'Make the title a little larger');
      });
    } finally {
      sub.dispose();
      await simAdmin.clearScenarios();
    }
    const history = api.historyFile?.();
    assert.ok(history, 'the test API has no historyFile');
    await waitFor(() => fs.existsSync(history) && fs.readFileSync(history, 'utf8').includes('redacted'), { message: 'the history file to get the reply' });
    const places: Array<[string, string]> = [
      ['webview posts', JSON.stringify(posts)],
      ['snapshot', JSON.stringify(api.snapshot())],
      ['history file', fs.readFileSync(history, 'utf8')],
      ['log', api.logText?.() ?? ''],
    ];
    assert.match(places[0]![1], /token=\S*redacted/, 'the echoed token did not arrive: the test would prove nothing');
    for (const [where, text] of places) {
      assert.ok(!text.includes(userToken), `the echoed token reached the ${where}`);
      assert.doesNotMatch(text, /nmv_(?!\[redacted\])[A-Za-z0-9]/, `a token reached the ${where}`);
    }
  });

  it("a workspace's .vscode/settings.json cannot send the token to another server", async () => {
    const api = await hostApi();
    const evil = await recordingServer('{"code":0,"data":{}}', 'application/json');
    const settingsDir = path.join(workspaceRoot().fsPath, '.vscode');
    const settingsFile = path.join(settingsDir, 'settings.json');
    // The harness's hostile fixture, pointed at a server we can watch.
    const hostile = fs.readFileSync(path.join(testEnvironment.hostileWorkspace(), '.vscode', 'settings.json'), 'utf8').replace(/http:\/\/127\.0\.0\.1:9/g, evil.url);
    fs.mkdirSync(settingsDir, { recursive: true });
    fs.writeFileSync(settingsFile, hostile);
    try {
      await waitFor(() => vscode.workspace.getConfiguration('nemoVideo').inspect<string>('exportFolder')?.workspaceValue === '../outside-the-workspace', {
        message: 'VS Code to read the workspace settings',
      });
      assert.strictEqual(api.apiBaseUrl(), testEnvironment.apiUrl(), 'the workspace changed the API origin');
      assert.strictEqual(api.settings?.().confirmBeforeSpending, true, 'the workspace turned off the spending confirmation');

      const before = (await simAdmin.stats()).requests.length;
      await vscode.commands.executeCommand('nemoVideo.newSession');
      // A generation through the chat (the command would ask: the workspace cannot turn the questions off).
      await send(api, 'Make a 15-second video about the sea at dawn');
      assert.deepStrictEqual(evil.paths, [], 'the second server received requests');
      const seen = (await simAdmin.stats()).requests.slice(before);
      const run = seen.find((r) => r.path === '/run_sse');
      assert.ok(run, `no generation reached the simulator:\n${chatText(api)}`);
      assert.match(run.authorization ?? '', /^Bearer nmv_/, 'the configured origin gets the token');
      assert.ok(seen.every((r) => r.headers['x-skill-source'] !== 'hostile-source'), 'workspace attribution was used');
      // The workspace's exportFolder ("../outside-the-workspace") was refused for the auto-export.
      assert.match(chatText(api), /not allowed/);
      assert.ok(!fs.existsSync(path.join(workspaceRoot().fsPath, '..', 'outside-the-workspace')), 'something was written outside the workspace');
    } finally {
      fs.rmSync(settingsDir, { recursive: true, force: true });
      await evil.close();
      await waitFor(() => vscode.workspace.getConfiguration('nemoVideo').inspect('exportFolder')?.workspaceValue === undefined, { message: 'the workspace settings to go away' });
    }
  });

  it('a render outputUrl on another server is downloaded WITHOUT an Authorization header', async () => {
    const api = await hostApi();
    await ensureVideo(api);
    const cdn = await recordingServer(fs.readFileSync(path.join(REPO_ROOT, 'media', 'sample-render.mp4')), 'video/mp4');
    try {
      await simAdmin.addScenario({ name: 'outputUrl', params: { url: `${cdn.url}/renders/video.mp4` } });
      const before = api.lastExport()?.toString();
      await withSettings(FAST, async () => {
        await vscode.commands.executeCommand('nemoVideo.export');
        await api.idle();
      });
      assert.strictEqual(cdn.requests.length, 1, `the CDN saw ${cdn.requests.length} requests:\n${chatText(api)}`);
      assert.strictEqual(cdn.requests[0]!.authorization, undefined, 'the token was sent to the CDN');
      const landed = api.lastExport();
      assert.ok(landed && landed.toString() !== before, 'the download did not land');
    } finally {
      await cdn.close();
      await simAdmin.clearScenarios();
    }
  });

  describe('exportFolder cannot leave the workspace', () => {
    // Next to the workspace folder: outside it, but inside the test run's own folder.
    let outside = '';
    before(() => {
      outside = fs.mkdtempSync(path.join(path.dirname(workspaceRoot().fsPath), 'nemo-outside-'));
    });
    after(() => fs.rmSync(outside, { recursive: true, force: true }));

    async function exportWith(api: NemoVideoTestApi, exportFolder: string): Promise<void> {
      const before = api.lastExport()?.toString();
      const rendersBefore = (await simAdmin.stats()).requests.filter((r) => r.path === '/api/render/proxy/lambda').length;
      await withSettings({ ...FAST, exportFolder }, async () => {
        await vscode.commands.executeCommand('nemoVideo.export');
        await api.idle();
      });
      assert.strictEqual(api.lastExport()?.toString(), before, `${exportFolder}: a file was exported`);
      const last = api.snapshot().messages.filter((m) => m.role === 'error').pop();
      assert.ok(last && /export folder/i.test(last.text), `${exportFolder}: no clear refusal:\n${chatText(api)}`);
      const rendersAfter = (await simAdmin.stats()).requests.filter((r) => r.path === '/api/render/proxy/lambda').length;
      assert.strictEqual(rendersAfter, rendersBefore, `${exportFolder}: rendered although the folder is refused`);
    }

    it('refuses ../x', async () => {
      const api = await hostApi();
      if (!api.project?.()) await ensureVideo(api);
      await exportWith(api, '../nemo-escape');
      assert.ok(!fs.existsSync(path.join(workspaceRoot().fsPath, '..', 'nemo-escape')));
    });

    it('refuses an absolute path', async () => {
      const api = await hostApi();
      if (!api.project?.()) await ensureVideo(api);
      await exportWith(api, path.join(outside, 'abs'));
      assert.ok(!fs.existsSync(path.join(outside, 'abs')));
    });

    it('refuses a symlink that points outside', async () => {
      const api = await hostApi();
      if (!api.project?.()) await ensureVideo(api);
      const link = path.join(workspaceRoot().fsPath, 'linked-out');
      fs.symlinkSync(outside, link, 'dir');
      try {
        await exportWith(api, 'linked-out/videos');
        assert.deepStrictEqual(fs.readdirSync(outside).filter((f) => f !== 'abs'), [], 'something was written through the link');
      } finally {
        fs.unlinkSync(link);
      }
    });
  });
});
