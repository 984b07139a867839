// NemoVideo in the Accounts menu, inside the real extension host against the
// simulator: the provider VS Code calls (the test API hands over the same object)
// and the commands stay one state, kept only in SecretStorage.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { NemoVideoTestApi } from '../../src/testApi';
import { AUTH_PROVIDER_ID } from '../../src/auth/accountSession';
import { getTestApi } from './support/extension';
import { simAdmin } from './support/simAdmin';
import { waitFor, waitForEvent } from './support/waitFor';

type Answers = { pick?: string; token?: string };

function answer(api: NemoVideoTestApi, a: Answers, asked: string[] = []): void {
  api.answerPrompts?.((q) => {
    asked.push(q.kind);
    if (q.kind === 'pick') return q.ids.includes(a.pick ?? '') ? a.pick : undefined;
    if (q.kind === 'input') return a.token;
    return false;
  });
}

describe('NemoVideo in the Accounts menu', function () {
  this.timeout(60_000);
  let api: NemoVideoTestApi;
  let accounts: vscode.AuthenticationProvider;
  let previous: string | undefined;

  before(async () => {
    api = await getTestApi('tokenStore', 'answerPrompts', 'accounts', 'logText');
    accounts = api.accounts!;
    previous = await api.tokenStore.get();
  });

  afterEach(() => api.answerPrompts?.(undefined));

  after(async () => {
    if (previous === undefined) await api.tokenStore.delete();
    else await api.tokenStore.set(previous);
  });

  it('the provider is registered with VS Code under its id', async () => {
    // Silent: never a consent dialog in a test. A provider id VS Code did not know would throw here.
    await vscode.authentication.getSession(AUTH_PROVIDER_ID, [], { silent: true });
  });

  it('Sign In with a pasted token: the session has it, SecretStorage holds it, the log and the label do not', async () => {
    const token = await simAdmin.userToken(4321);
    const asked: string[] = [];
    answer(api, { pick: 'token', token }, asked);
    const added = waitForEvent(accounts.onDidChangeSessions, (e) => (e.added ?? []).some((s) => s.accessToken === token));
    await vscode.commands.executeCommand('nemoVideo.signIn');
    await added;
    assert.deepStrictEqual(asked, ['pick', 'input']);

    const sessions = await accounts.getSessions([], {});
    assert.strictEqual(sessions.length, 1);
    assert.strictEqual(sessions[0].accessToken, token);
    assert.strictEqual(sessions[0].account.label, 'Your API token');
    assert.ok(!JSON.stringify(sessions[0].account).includes(token.slice(-8)), 'a part of the token is in the account');
    assert.strictEqual(await api.tokenStore.get(), token, 'SecretStorage does not hold the token');
    assert.ok(!api.logText!().includes(token), 'the token is in the log');
  });

  it('Sign Out from the Accounts menu: the token is gone and VS Code is told', async () => {
    await api.tokenStore.set(await simAdmin.userToken(10));
    const [session] = await waitFor(async () => {
      const s = await accounts.getSessions([], {});
      return s.length === 1 && s[0].account.id === 'nemovideo.user' ? s : undefined;
    }, { message: 'the user session' });
    const removed = waitForEvent(accounts.onDidChangeSessions, (e) => (e.removed ?? []).some((s) => s.id === session.id));
    await accounts.removeSession(session.id);
    await removed;
    assert.strictEqual(await api.tokenStore.get(), undefined);
    assert.deepStrictEqual(await accounts.getSessions([], {}), []);
  });

  it('Set API Token (the command): the provider reports the new session', async () => {
    await vscode.commands.executeCommand('nemoVideo.signOut');
    const token = await simAdmin.userToken(77);
    answer(api, { token });
    const added = waitForEvent(accounts.onDidChangeSessions, (e) => (e.added ?? []).some((s) => s.accessToken === token));
    await vscode.commands.executeCommand('nemoVideo.setToken');
    await added;
    const sessions = await accounts.getSessions([], {});
    assert.deepStrictEqual(
      sessions.map((s) => [s.account.label, s.accessToken === token]),
      [['Your API token', true]],
    );
  });

  it('the Sign Out command ends the session the menu shows', async () => {
    await api.tokenStore.set(await simAdmin.userToken(10));
    await waitFor(async () => (await accounts.getSessions([], {})).length === 1, { message: 'the user session' });
    const removed = waitForEvent(accounts.onDidChangeSessions, (e) => (e.removed ?? []).length === 1);
    await vscode.commands.executeCommand('nemoVideo.signOut');
    await removed;
    assert.deepStrictEqual(await accounts.getSessions([], {}), []);
  });

  it('Continue as a guest (createSession, as the menu calls it): the guest token the service issued, no user token', async () => {
    await api.tokenStore.set(await simAdmin.userToken(10));
    answer(api, { pick: 'guest' });
    const session = await accounts.createSession([], {});
    assert.strictEqual(session.account.label, 'Guest');
    assert.match(session.accessToken, /^nmv_usr_/);
    assert.strictEqual(await api.tokenStore.get(), undefined, 'the pasted token is still stored');
    assert.deepStrictEqual(
      (await accounts.getSessions([], {})).map((s) => s.account.id),
      ['nemovideo.guest'],
    );
    await vscode.commands.executeCommand('nemoVideo.signOut');
    assert.deepStrictEqual(await accounts.getSessions([], {}), [], 'Sign Out leaves the guest token');
  });

  it('a dismissed sign-in creates no session', async () => {
    answer(api, {});
    await assert.rejects(Promise.resolve(accounts.createSession([], {})), (e: Error) => e.name === 'Canceled' || /cancel/i.test(e.message));
    assert.deepStrictEqual(await accounts.getSessions([], {}), []);
  });
});
