// The host's side of the webview protocol and of the token: invalid messages
// are dropped (never crash the host), unsafe links are refused, the snapshot
// never carries the token, and SecretStorage round-trips and signs out.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { HostToWebview } from '../../src/protocol';
import type { NemoVideoTestApi } from '../../src/testApi';
import { hostApi } from './support/extension';
import { withSettings } from './support/settings';
import { simAdmin } from './support/simAdmin';
import { waitFor } from './support/waitFor';


/** Collects what the host posts while `fn` runs. */
async function collectPosts(api: NemoVideoTestApi, fn: () => Promise<void>): Promise<HostToWebview[]> {
  const posts: HostToWebview[] = [];
  const sub = api.chat.onDidPost((p) => posts.push(p));
  try {
    await fn();
  } finally {
    sub.dispose();
  }
  return posts;
}

describe('NemoVideo host: webview messages', function () {
  this.timeout(60_000);

  it('drops invalid messages (onDidDrop) and keeps answering valid ones', async () => {
    const api = await hostApi();
    const invalid: unknown[] = [
      null,
      42,
      'send',
      { type: 'nope' },
      { type: 'send' },
      { type: 'send', requestId: 'x', text: '' },
      { type: 'send', requestId: 'x', text: 'a'.repeat(20_001) },
      { type: 'action', requestId: 'r', messageId: 'm', action: { id: 'runShell', label: 'x' } },
      { type: 'ready', protocolVersion: 'one' },
      { type: 'credits', requestId: '' },
    ];
    const dropped: unknown[] = [];
    const sub = api.chat.onDidDrop((d) => dropped.push(d.raw));
    try {
      for (const raw of invalid) await api.chat.injectForTest(raw);
      await waitFor(() => dropped.length >= invalid.length, { message: `${invalid.length} drops (got ${dropped.length})` });
    } finally {
      sub.dispose();
    }
    const posts = await collectPosts(api, async () => {
      await api.chat.injectForTest({ type: 'credits', requestId: 'valid-after-invalid' });
      await waitFor(() => api.snapshot().messages.some((m) => /credits available/.test(m.text)), { message: 'the credits answer' });
    });
    assert.ok(posts.some((p) => p.type === 'response' && p.requestId === 'valid-after-invalid' && p.ok), 'no response to the valid request');
  });

  it('refuses an action on a message the host never posted, whatever the webview says it does', async () => {
    const api = await hostApi();
    const opened: string[] = [];
    api.interceptExternalLinks?.((url) => opened.push(url));
    try {
      const posts = await collectPosts(api, async () => {
        await api.chat.injectForTest({ type: 'action', requestId: 'link-made-up', messageId: 'm-never-posted', action: { id: 'openLink', label: 'x', url: 'https://nemovideo.com/register' } });
      });
      const response = posts.find((p) => p.type === 'response');
      assert.ok(response && response.type === 'response' && !response.ok, 'a made-up action was accepted');
      assert.deepStrictEqual(opened, []);
    } finally {
      api.interceptExternalLinks?.(undefined);
    }
  });

  it('refuses to open files the extension did not export', async () => {
    const api = await hostApi();
    const posts = await collectPosts(api, async () => {
      await api.chat.injectForTest({ type: 'action', requestId: 'open-any', messageId: 'm-test', action: { id: 'openFile', label: 'x', arg: 'file:///etc/passwd' } });
    });
    const response = posts.find((p) => p.type === 'response');
    assert.ok(response && response.type === 'response' && !response.ok);
    assert.ok(!vscode.window.visibleTextEditors.some((e) => e.document.uri.path === '/etc/passwd'));
  });
});

describe('NemoVideo host: token storage', function () {
  this.timeout(60_000);
  const token = 'nmv_usr_integration_round_trip_0123456789';

  it('round-trips the token through SecretStorage and never shows it to the webview', async () => {
    const api = await hostApi();
    const posts = await collectPosts(api, async () => {
      await api.tokenStore.set(token);
      assert.strictEqual(await api.tokenStore.get(), token);
      await waitFor(() => api.snapshot().signedIn, { message: 'signedIn in the snapshot' });
    });
    assert.ok(!JSON.stringify(api.snapshot()).includes(token), 'the token is in the snapshot');
    assert.ok(!JSON.stringify(posts).includes(token), 'the token was posted to the webview');
  });

  it('Sign Out clears it', async () => {
    const api = await hostApi();
    await vscode.commands.executeCommand('nemoVideo.signOut');
    assert.strictEqual(await api.tokenStore.get(), undefined);
    await waitFor(() => !api.snapshot().signedIn, { message: 'signedIn false after sign-out' });
  });
});

describe('NemoVideo host: error cards', function () {
  this.timeout(120_000);
  let n = 0;
  const send = async (api: NemoVideoTestApi, text: string) => {
    await api.chat.injectForTest({ type: 'send', requestId: `err-${Date.now()}-${++n}`, text });
    await api.idle();
  };
  const lastError = (api: NemoVideoTestApi) => api.snapshot().messages.filter((m) => m.role === 'error').pop();

  before(async () => {
    // A registered user with credits and a project that has a video.
    const api = await hostApi();
    await api.tokenStore.set(await simAdmin.userToken(1_000_000));
    await waitFor(() => api.snapshot().signedIn, { message: 'the user token to be in use' });
    await withSettings({ autoExport: false }, async () => {
      await vscode.commands.executeCommand('nemoVideo.newSession');
      await send(api, 'Make a 15-second video about a red kite over the hills');
    });
    assert.ok(api.project?.(), 'no project');
  });

  afterEach(() => simAdmin.clearScenarios());

  after(async () => {
    await vscode.commands.executeCommand('nemoVideo.signOut');
  });

  it('402 on export for a registered user: upgrade the plan, with the billing page, never register', async () => {
    const api = await hostApi();
    await simAdmin.addScenario({ name: 'exportBlocked' });
    await vscode.commands.executeCommand('nemoVideo.export');
    await api.idle();
    const card = lastError(api);
    assert.ok(card, 'no error card');
    assert.match(card.text, /Upgrade your plan at nemovideo\.com/);
    assert.doesNotMatch(card.text, /regist/i);
    assert.ok(card.actions?.some((a) => a.id === 'openLink' && /^https:\/\/.*\/dashboard\/billing$/.test(a.url ?? '')), JSON.stringify(card.actions));
    assert.ok(!card.actions?.some((a) => /\/register/.test(a.url ?? '')), 'a registered user was offered registration');
    assert.ok(!card.actions?.some((a) => a.id === 'export'), '402 is never retried');
  });

  it('opens only links the host offered on that message or that are in its text, and only https ones', async () => {
    const api = await hostApi();
    const opened: string[] = [];
    const respond = async (messageId: string, url: string) => {
      const posts = await collectPosts(api, () => api.chat.injectForTest({ type: 'action', requestId: `link-${++n}`, messageId, action: { id: 'openLink', label: 'x', url } }));
      const r = posts.find((p) => p.type === 'response');
      return r?.type === 'response' && r.ok;
    };
    api.interceptExternalLinks?.((url) => opened.push(url));
    try {
      // Links inside a reply's text: a hostile backend's text holds javascript:, command: and file: links.
      await vscode.commands.executeCommand('nemoVideo.newSession');
      await simAdmin.addScenario({ name: 'hostileText' });
      await send(api, 'Make a 15-second video about a lighthouse');
      const hostile = api.snapshot().messages.filter((m) => m.role === 'assistant').find((m) => m.text.includes('javascript:alert(1)'));
      assert.ok(hostile, 'no hostile reply: the test would prove nothing');
      for (const url of ['javascript:alert(1)', 'command:workbench.action.terminal.new', 'file:///etc/passwd']) {
        assert.ok(hostile.text.includes(url));
        assert.strictEqual(await respond(hostile.id, url), false, `${url} was opened`);
      }
      // A button the host offered: its https link opens; the same link on another message, or another link on it, does not.
      await vscode.commands.executeCommand('nemoVideo.newSession');
      await simAdmin.addScenario({ name: 'noCredits' });
      await send(api, 'Make a 15-second video about autumn leaves');
      const card = lastError(api);
      const offered = card?.actions?.find((a) => a.id === 'openLink')?.url;
      assert.ok(card && offered, JSON.stringify(card));
      assert.strictEqual(await respond(hostile.id, offered), false, 'a link offered on another message was opened');
      assert.strictEqual(await respond(card.id, 'https://evil.example.com/'), false, 'a link the host never offered was opened');
      assert.deepStrictEqual(opened, []);
      assert.strictEqual(await respond(card.id, offered), true);
      await waitFor(() => opened.length === 1, { message: 'the offered link to open' });
      assert.deepStrictEqual(opened, [new URL(offered).toString()]);
    } finally {
      api.interceptExternalLinks?.(undefined);
    }
  });

  it('1002: a new project is made, the user is told, and Send again re-sends only when pressed', async () => {
    const api = await hostApi();
    const oldProject = api.project?.()?.sessionId;
    await simAdmin.addScenario({ name: 'sessionLost' });
    const before = await simAdmin.runSsePostCount();
    await send(api, 'Make the music a little louder');
    const card = lastError(api);
    assert.ok(card && /new project/.test(card.text), card?.text);
    const retry = card.actions?.find((a) => a.id === 'retry');
    assert.ok(retry, 'no Send again button');
    assert.notStrictEqual(api.project?.()?.sessionId, oldProject, 'no new project');
    const sent = (await simAdmin.runSsePostCount()) - before;
    assert.ok(sent <= 1, `sent ${sent} times`);
    await api.chat.injectForTest({ type: 'action', requestId: 'retry-1', messageId: card.id, action: retry });
    await api.idle();
    assert.strictEqual((await simAdmin.runSsePostCount()) - before, sent + 1, 'Send again sends exactly once more');
  });

  it('2001 for an anonymous user: out of credits, with the Register (bind) link; nothing re-sent', async () => {
    const api = await hostApi();
    await vscode.commands.executeCommand('nemoVideo.signOut');
    await waitFor(() => !api.snapshot().signedIn, { message: 'anonymous' });
    await vscode.commands.executeCommand('nemoVideo.newSession');
    await simAdmin.addScenario({ name: 'noCredits' });
    const before = await simAdmin.runSsePostCount();
    await send(api, 'Make a 15-second video about autumn leaves');
    const card = lastError(api);
    assert.ok(card && /out of credits/.test(card.text), card?.text);
    const register = card.actions?.find((a) => a.id === 'openLink');
    assert.ok(register && /\/register\?bind=/.test(register.url ?? ''), JSON.stringify(card.actions));
    assert.strictEqual((await simAdmin.runSsePostCount()) - before, 1);
  });
});
