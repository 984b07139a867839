// ChatPanel against a fake `vscode` module (test/support/fakeVscode.ts),
// resolved only for src/chatPanel/chatPanel.ts so no other test is affected.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type * as vscodeTypes from 'vscode';
import type { Snapshot, WebviewToHost } from '../../../src/protocol';
import * as fake from '../../support/fakeVscode';
import { FakeClock } from '../../support/fakeClock';
import { withFakeVscode } from '../../support/fakeVscodeFor';
import { RecordingLogger } from '../../support/memory';
import { playableFile } from '../../../src/chatPanel/filePolicy';

const { ChatPanel, registerChatPanelSerializer } = withFakeVscode(require.resolve('../../support/fakeVscode'), [path.resolve(__dirname, '../../../src/chatPanel/chatPanel')], () =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('../../../src/chatPanel/chatPanel') as typeof import('../../../src/chatPanel/chatPanel'),
);

type Handled = { ok: boolean; error?: string };

function snapshot(over: Partial<Snapshot> = {}): Snapshot {
  return { messages: [], busy: false, signedIn: true, simulator: true, strings: { Send: '发送' }, locale: 'zh-cn', ...over };
}

function setup(onMessage: (m: WebviewToHost) => Promise<Handled> = async () => ({ ok: true }), clock = new FakeClock()) {
  const log = new RecordingLogger();
  let snapshots = 0;
  const handled: WebviewToHost[] = [];
  const chat = new ChatPanel(fake.Uri.file('/ext') as unknown as vscodeTypes.Uri, log as unknown as vscodeTypes.LogOutputChannel, {
    getSnapshot: () => snapshot({ projectTitle: `snap ${++snapshots}` }),
    onRequest: (m) => {
      handled.push(m);
      return onMessage(m);
    },
  }, clock);
  const received: WebviewToHost[] = [];
  const dropped: Array<{ raw: unknown; reason: string }> = [];
  const postedEvents: unknown[] = [];
  chat.onDidReceive((m) => received.push(m));
  chat.onDidDrop((d) => dropped.push(d));
  chat.onDidPost((m) => postedEvents.push(m));
  return { chat, log, handled, received, dropped, postedEvents };
}

function open(chat: InstanceType<typeof ChatPanel>): fake.FakeWebviewPanel {
  const before = fake.created.length;
  chat.show();
  assert.equal(fake.created.length, before + 1);
  return fake.created[fake.created.length - 1];
}

/** The webview side: says ready and waits until the host's answer has been posted. */
async function ready(panel: fake.FakeWebviewPanel): Promise<void> {
  panel.webview.receive.fire({ type: 'ready', protocolVersion: 2 });
  await new Promise((r) => setImmediate(r));
}

const settle = () => new Promise((r) => setImmediate(r));
const types = (panel: fake.FakeWebviewPanel) => panel.webview.posted.map((m) => (m as { type: string }).type);

describe('ChatPanel (host side)', () => {
  it('opens beside the editor with the secure webview options and HTML', () => {
    const { chat } = setup();
    const panel = open(chat);
    assert.equal(panel.viewType, 'nemoVideo.chat');
    assert.equal(ChatPanel.viewType, 'nemoVideo.chat');
    assert.equal(panel.title, 'NemoVideo Chat');
    assert.equal(panel.viewColumn, fake.ViewColumn.Beside);
    assert.equal(panel.createOptions.retainContextWhenHidden, true);
    assert.deepEqual(
      { ...panel.webview.options, localResourceRoots: (panel.webview.options.localResourceRoots as fake.Uri[]).map((u) => u.path) },
      { enableScripts: true, enableCommandUris: false, enableForms: false, localResourceRoots: ['/ext/dist', '/ext/media'] },
    );
    const html = panel.webview.html;
    assert.match(html, /script-src &#39;nonce-[A-Za-z0-9+/]{22}==&#39;/);
    assert.match(html, /src="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/ext\/dist\/webview\.js"/);
    assert.match(html, /data-bootstrap="[^"]*发送/, 'strings for the first paint');
    assert.ok(chat.isOpen && chat.visible);
    chat.show({ preserveFocus: true });
    assert.deepEqual(panel.revealed, [{ column: fake.ViewColumn.Beside, preserveFocus: true }], 'a second show reveals');
    chat.dispose();
  });

  it('uses a fresh nonce for each HTML render', () => {
    const a = setup();
    const b = setup();
    const nonce = (html: string) => /nonce-([A-Za-z0-9+/=]+)&#39;/.exec(html)?.[1];
    assert.notEqual(nonce(open(a.chat).webview.html), nonce(open(b.chat).webview.html));
    a.chat.dispose();
    b.chat.dispose();
  });

  it('holds posts until ready, then sends a snapshot', async () => {
    const { chat, postedEvents } = setup();
    const panel = open(chat);
    chat.post({ type: 'busy', busy: true });
    chat.post({ type: 'streamDelta', runId: 'r', messageId: 'm', seq: 1, text: 'x' });
    assert.deepEqual(panel.webview.posted, []);
    await ready(panel);
    assert.deepEqual(types(panel), ['snapshot']);
    chat.post({ type: 'credits', available: 5 });
    assert.deepEqual(types(panel), ['snapshot', 'credits']);
    assert.deepEqual(postedEvents.map((m) => (m as { type: string }).type), ['busy', 'streamDelta', 'snapshot', 'credits']);
    chat.dispose();
  });

  it('reloads a webview of another protocol version once; a second mismatch is used as it is', async () => {
    const { chat, log } = setup();
    const panel = open(chat);
    const first = panel.webview.html;
    panel.webview.receive.fire({ type: 'ready', protocolVersion: 0 });
    await settle();
    assert.notEqual(panel.webview.html, first, 'a fresh page');
    assert.deepEqual(panel.webview.posted, [], 'nothing for the old page');
    panel.webview.receive.fire({ type: 'ready', protocolVersion: 0 });
    await settle();
    assert.deepEqual(types(panel), ['snapshot'], 'no reload loop');
    assert.ok(log.lines.some((l) => /^error chat: the webview speaks protocol 0/.test(l)));
    chat.dispose();
  });

  it('answers every request with exactly one response, also when the handler fails', async () => {
    const { chat, handled } = setup(async (m) => {
      if (m.type === 'export') return { ok: false, error: 'Nothing to export yet.' };
      if (m.type === 'attach') throw new Error('dialog crashed');
      if (m.type === 'credits') return { ok: false, error: 'x'.repeat(5_000) };
      return { ok: true };
    });
    const panel = open(chat);
    await ready(panel);
    for (const [type, id] of [['send', 's1'], ['export', 'e1'], ['attach', 'a1'], ['credits', 'c1'], ['stop', 't1']] as const) {
      panel.webview.receive.fire(type === 'send' ? { type, requestId: id, text: 'hi' } : { type, requestId: id });
    }
    await settle();
    const responses = panel.webview.posted.filter((m) => (m as { type: string }).type === 'response') as Array<{ requestId: string; ok: boolean; error?: string }>;
    assert.deepEqual(responses.map((r) => r.requestId).sort(), ['a1', 'c1', 'e1', 's1', 't1']);
    const byId = Object.fromEntries(responses.map((r) => [r.requestId, r]));
    assert.deepEqual(byId.s1, { type: 'response', requestId: 's1', ok: true });
    assert.deepEqual(byId.e1, { type: 'response', requestId: 'e1', ok: false, error: 'Nothing to export yet.' });
    assert.deepEqual(byId.a1, { type: 'response', requestId: 'a1', ok: false, error: 'dialog crashed' });
    assert.equal(byId.c1.error?.length, 2_000, 'errors are cut to the protocol limit');
    assert.deepEqual(handled.map((m) => m.type), ['send', 'export', 'attach', 'credits', 'stop'], 'ready and uiError are not requests');
    chat.dispose();
  });

  it('drops and reports invalid messages without calling the handler', async () => {
    const { chat, handled, dropped, received, log } = setup();
    const panel = open(chat);
    for (const raw of [null, { type: 'eval' }, { type: 'send', requestId: 'r', text: '' }, { type: 'send', requestId: 'r', text: 'x'.repeat(20_001) }]) {
      panel.webview.receive.fire(raw);
    }
    await settle();
    assert.deepEqual(dropped.map((d) => d.reason), ['invalid', 'invalid', 'invalid', 'invalid']);
    assert.deepEqual(handled, []);
    assert.deepEqual(received, []);
    assert.equal(log.lines.filter((l) => l.startsWith('warn') && l.includes('dropped')).length, 1, 'logged once per second');
    chat.dispose();
  });

  it('survives a flood: over 50 messages a second are dropped, the rest are answered', async () => {
    const clock = new FakeClock();
    const { chat, handled, dropped, log } = setup(undefined, clock);
    const panel = open(chat);
    await ready(panel); // takes one token
    for (let i = 0; i < 10_000; i++) panel.webview.receive.fire({ type: 'credits', requestId: `r${i}` });
    await settle();
    assert.equal(handled.length, 49);
    assert.equal(dropped.length, 10_000 - 49);
    assert.ok(dropped.every((d) => d.reason === 'flood'));
    const responses = panel.webview.posted.filter((m) => (m as { type: string }).type === 'response');
    assert.equal(responses.length, 49, 'every admitted request answered once');
    assert.equal(log.lines.filter((l) => l.includes('flood')).length, 1, 'one log line for the whole burst');
    await clock.advance(1_000);
    panel.webview.receive.fire({ type: 'credits', requestId: 'after' });
    await settle();
    assert.equal(handled.length, 50, 'back to normal a second later');
    chat.dispose();
  });

  it('injectForTest goes through the same gate and answers', async () => {
    const { chat, dropped, handled } = setup();
    const panel = open(chat);
    await ready(panel);
    await chat.injectForTest({ type: 'newProject', requestId: 'n1' });
    await chat.injectForTest({ type: 'newProject' });
    assert.deepEqual(handled, [{ type: 'newProject', requestId: 'n1' }]);
    assert.deepEqual(dropped.map((d) => d.reason), ['invalid']);
    assert.deepEqual(panel.webview.posted.at(-1), { type: 'response', requestId: 'n1', ok: true });
    chat.dispose();
  });

  it('refuses to post invalid host messages', async () => {
    const { chat, log } = setup();
    const panel = open(chat);
    await ready(panel);
    chat.post({ type: 'messageAdded', message: { id: '', role: 'user', text: 'x', time: 1 } });
    chat.post({ type: 'nope' } as unknown as Parameters<typeof chat.post>[0]);
    assert.deepEqual(types(panel), ['snapshot']);
    assert.equal(log.lines.filter((l) => l.startsWith('error')).length, 2);
    chat.dispose();
  });

  it('while hidden, posts nothing but the snapshot when visible again (with queued responses)', async () => {
    const { chat } = setup(async () => ({ ok: true }));
    const panel = open(chat);
    await ready(panel);
    panel.setVisible(false);
    assert.equal(chat.visible, false);
    chat.post({ type: 'streamDelta', runId: 'r', messageId: 'm', seq: 1, text: 'x' });
    panel.webview.receive.fire({ type: 'stop', requestId: 'r1' });
    await settle();
    assert.deepEqual(types(panel), ['snapshot']);
    panel.setVisible(true);
    assert.deepEqual(types(panel), ['snapshot', 'snapshot', 'response']);
    assert.equal((panel.webview.posted[1] as { snapshot: Snapshot }).snapshot.projectTitle, 'snap 3', 'a fresh snapshot (the 1st went into the HTML)');
    chat.dispose();
  });

  it('restores a panel after reload through the serializer, re-setting options and HTML', async () => {
    const { chat } = setup();
    const registration = registerChatPanelSerializer(chat);
    const serializer = fake.serializers.get('nemoVideo.chat');
    assert.ok(serializer);
    const restored = new fake.FakeWebviewPanel('nemoVideo.chat', 'old title', fake.ViewColumn.Two);
    await serializer.deserializeWebviewPanel(restored, undefined);
    assert.ok(chat.isOpen);
    assert.equal(restored.webview.options.enableScripts, true);
    assert.equal(restored.webview.options.enableCommandUris, false);
    assert.match(restored.webview.html, /Content-Security-Policy/);
    assert.equal(restored.title, 'NemoVideo Chat');
    await ready(restored);
    assert.deepEqual(types(restored), ['snapshot']);
    registration.dispose();
    assert.equal(fake.serializers.has('nemoVideo.chat'), false);
    chat.dispose();
    assert.equal(restored.disposed, true);
  });

  it('tolerates dispose at any time: user closes, request in flight, post after dispose', async () => {
    let release: (r: Handled) => void = () => {};
    const { chat } = setup(() => new Promise<Handled>((r) => (release = r)));
    const panel = open(chat);
    await ready(panel);
    panel.webview.receive.fire({ type: 'send', requestId: 's1', text: 'hi' });
    panel.dispose(); // the user closes the tab mid-request
    assert.equal(chat.isOpen, false);
    release({ ok: true });
    await settle();
    chat.post({ type: 'busy', busy: false });
    assert.deepEqual(types(panel), ['snapshot'], 'nothing posted to a closed panel');

    const again = open(chat); // reopening works
    await ready(again);
    assert.deepEqual(types(again), ['snapshot']);
    again.webview.failPosts = true;
    chat.post({ type: 'credits', available: 1 }); // a rejected postMessage is swallowed
    await settle();

    chat.dispose();
    chat.dispose();
    assert.equal(again.disposed, true);
    chat.post({ type: 'credits', available: 1 });
    chat.show();
    await chat.injectForTest({ type: 'stop', requestId: 'x' });
    const late = new fake.FakeWebviewPanel('nemoVideo.chat', 't', 1);
    chat.restore(late as unknown as vscodeTypes.WebviewPanel);
    assert.equal(late.disposed, true, 'a panel restored after dispose is closed');
  });

  describe('the inline player', () => {
    const EXPORTS = fake.Uri.file('/w/videos');
    const saved = (id: string, arg: string, extra: Record<string, unknown> = {}) =>
      ({ id, role: 'system' as const, text: '✅ Video saved: videos/a.mp4 (1.0 MB)', time: 1, actions: [{ id: 'openFile' as const, label: 'Open', arg }], ...extra });

    /** Where the videos are; `changed` says the roots may have moved (the export folder setting). */
    function withMedia(state = { roots: [EXPORTS], changed: new fake.EventEmitter<unknown>() }) {
      const log = new RecordingLogger();
      const media = {
        onDidChange: state.changed.event as unknown as vscodeTypes.Event<unknown>,
        roots: () => state.roots as unknown as vscodeTypes.Uri[],
        file: (m: { role: string; actions?: Array<{ id: string; arg?: string }> }, roots: readonly vscodeTypes.Uri[]) => {
          const file = playableFile(m, roots.map((r) => r.toString()));
          return file ? (fake.Uri.parse(file) as unknown as vscodeTypes.Uri) : undefined;
        },
      };
      const chat = new ChatPanel(fake.Uri.file('/ext') as unknown as vscodeTypes.Uri, log as unknown as vscodeTypes.LogOutputChannel, {
        getSnapshot: () => snapshot({ messages: [saved('s0', 'file:///w/videos/old.mp4')] }),
        onRequest: async () => ({ ok: true }),
        media,
      });
      return chat;
    }
    const videos = (panel: fake.FakeWebviewPanel) =>
      panel.webview.posted.flatMap((m) => {
        const msg = m as { type: string; message?: { id: string; video?: string }; snapshot?: { messages: Array<{ id: string; video?: string }> } };
        return msg.type === 'snapshot' ? msg.snapshot!.messages : msg.message ? [msg.message] : [];
      }).map((m) => [m.id, m.video]);

    it('lets the webview load the export folder and plays the exported file through asWebviewUri', async () => {
      const chat = withMedia();
      const panel = open(chat);
      assert.deepEqual((panel.webview.options.localResourceRoots as fake.Uri[]).map((u) => u.path), ['/ext/dist', '/ext/media', '/w/videos']);
      await ready(panel);
      chat.post({ type: 'messageAdded', message: saved('s1', 'file:///w/videos/Urban%20Dreams.mp4') });
      assert.deepEqual(videos(panel), [
        ['s0', 'https://file+.vscode-resource.vscode-cdn.net/w/videos/old.mp4'],
        ['s1', 'https://file+.vscode-resource.vscode-cdn.net/w/videos/Urban Dreams.mp4'],
      ]);
      chat.dispose();
    });

    it('refuses a player for any file that is not an exported MP4 in the export folder, and drops a video the message brought', async () => {
      const chat = withMedia();
      const panel = open(chat);
      await ready(panel);
      chat.post({ type: 'messageAdded', message: saved('s1', 'file:///etc/passwd') });
      chat.post({ type: 'messageAdded', message: saved('s2', 'file:///w/videos/../secret/a.mp4') });
      chat.post({ type: 'messageAdded', message: saved('s3', 'file:///w/videos/page.html') });
      chat.post({ type: 'messageUpdated', message: saved('s4', 'file:///w/notes/a.mp4', { video: 'https://evil.example/a.mp4' }) });
      chat.post({ type: 'messageAdded', message: { id: 'a1', role: 'assistant', text: 'x', time: 1, video: 'https://evil.example/a.mp4' } });
      assert.deepEqual(videos(panel).slice(1), [['s1', undefined], ['s2', undefined], ['s3', undefined], ['s4', undefined], ['a1', undefined]]);
      chat.dispose();
    });

    it('follows a moved export folder: new roots on a reloaded page, and its videos play; nothing happens when the roots stay', async () => {
      const state = { roots: [EXPORTS], changed: new fake.EventEmitter<unknown>() };
      const chat = withMedia(state);
      const panel = open(chat);
      await ready(panel);
      const firstPage = panel.webview.html;
      state.changed.fire(undefined);
      assert.equal(panel.webview.html, firstPage, 'the same roots: the page is left alone');

      const CLIPS = fake.Uri.file('/w/clips');
      state.roots = [CLIPS];
      state.changed.fire(undefined);
      assert.deepEqual((panel.webview.options.localResourceRoots as fake.Uri[]).map((u) => u.path), ['/ext/dist', '/ext/media', '/w/clips']);
      assert.notEqual(panel.webview.html, firstPage, 'a fresh page, which may load the new folder');
      const before = panel.webview.posted.length;
      chat.post({ type: 'messageAdded', message: saved('s1', 'file:///w/clips/a.mp4') });
      assert.equal(panel.webview.posted.length, before, 'nothing reaches the page before it says ready');
      await ready(panel);
      const after = panel.webview.posted.slice(before) as Array<{ type: string }>;
      assert.equal(after[0]?.type, 'snapshot', 'the fresh page gets a snapshot');
      chat.post({ type: 'messageAdded', message: saved('s2', 'file:///w/clips/b.mp4') });
      chat.post({ type: 'messageAdded', message: saved('s3', 'file:///w/videos/c.mp4') });
      assert.deepEqual(videos(panel).slice(-2), [
        ['s2', 'https://file+.vscode-resource.vscode-cdn.net/w/clips/b.mp4'],
        ['s3', undefined],
      ]);
      assert.equal(state.changed.listenerCount, 1, 'the panel listens while it lives');
      chat.dispose();
      assert.equal(state.changed.listenerCount, 0, 'a disposed panel no longer listens');
    });

    it('plays nothing without a media source', async () => {
      const { chat } = setup();
      const panel = open(chat);
      await ready(panel);
      chat.post({ type: 'messageAdded', message: saved('s1', 'file:///w/videos/a.mp4', { video: 'https://evil.example/a.mp4' }) });
      assert.deepEqual(videos(panel).at(-1), ['s1', undefined]);
      chat.dispose();
    });
  });
});
