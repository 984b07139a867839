// First journeys inside the real extension host: what every later feature
// builds on. Activation, the contributed commands, the chat webview's `ready`
// handshake, the Timeline view and the extension's own SecretStorage.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, contributedCommands, getExtension, getTestApi } from './support/extension';
import { waitFor, waitForEvent } from './support/waitFor';

describe('basics: the extension in a real VS Code', () => {
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('activates', async () => {
    await activateExtension();
    assert.strictEqual(getExtension().isActive, true);
  });

  it('activate() returns the test API (chat, timeline, tokenStore)', async () => {
    const api = await getTestApi('chat', 'timeline', 'tokenStore', 'idle', 'snapshot', 'apiBaseUrl');
    assert.strictEqual(typeof api.chat.onDidReceive, 'function');
  });

  it('registers every command contributed in package.json', async () => {
    await activateExtension();
    const contributed = contributedCommands();
    assert.ok(contributed.length > 0, 'the manifest contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((id) => !registered.has(id));
    assert.ok(missing.length === 0, `contributed but not registered: ${missing.join(', ')}`);
  });

  it('Open Chat shows the chat webview, and it answers the ready handshake', async () => {
    const api = await getTestApi('chat');
    // Subscribe before opening, so the first messages cannot be missed.
    const ready = waitForEvent(api.chat.onDidReceive, (m) => m.type === 'ready', { timeoutMs: 30_000, message: 'the webview to post `ready`' });
    const snapshot = waitForEvent(api.chat.onDidPost, (m) => m.type === 'snapshot', { timeoutMs: 30_000, message: 'the host to answer `ready` with a snapshot' });

    await vscode.commands.executeCommand('nemoVideo.openChat');

    const hello = await ready;
    assert.ok(hello.type === 'ready');
    assert.strictEqual(typeof hello.protocolVersion, 'number');
    await snapshot;
    assert.strictEqual(api.chat.isOpen, true);
    // The tab model reaches the extension host asynchronously: poll for the tab.
    const tab = await waitFor(() => vscode.window.tabGroups.all
      .flatMap((group) => group.tabs)
      .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('nemoVideo.chat')), { message: 'the chat tab' });
    assert.ok(tab.label.length > 0, 'the chat tab has no title');
  });

  it('shows the Timeline tree view', async () => {
    const api = await getTestApi('timeline');
    // `<viewId>.focus` exists only for a contributed view; it opens the container and the view.
    await vscode.commands.executeCommand('nemoVideo.timeline.focus');
    const roots = await api.timeline.getChildren(undefined);
    assert.ok(Array.isArray(roots), 'the Timeline provider did not return a list of roots');
  });

  it('SecretStorage round-trips a value through the extension', async () => {
    const api = await getTestApi('tokenStore');
    const before = await api.tokenStore.get();
    try {
      const first = `nemo-test-${Math.random().toString(36).slice(2)}`;
      await api.tokenStore.set(first);
      assert.strictEqual(await api.tokenStore.get(), first);
      await api.tokenStore.set('second value');
      assert.strictEqual(await api.tokenStore.get(), 'second value');
      await api.tokenStore.delete();
      assert.strictEqual(await api.tokenStore.get(), undefined);
    } finally {
      if (before === undefined) await api.tokenStore.delete();
      else await api.tokenStore.set(before);
    }
  });
});
