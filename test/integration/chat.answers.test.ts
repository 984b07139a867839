// The chat's answers and attachments in the real extension host (issue 16): a
// question's choices arrive as buttons and pressing one sends it as the next message;
// a choice the host did not offer is refused, and so is one of a question the user
// already answered by typing; two files dropped from the workspace
// are uploaded, a file from outside it is not.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { HostToWebview, WebviewToHost } from '../../src/protocol';
import type { NemoVideoTestApi } from '../../src/testApi';
import { chatText, hostApi, requestId } from './support/extension';
import { simAdmin } from './support/simAdmin';
import { waitFor } from './support/waitFor';
import { workspaceRoot } from './support/workspace';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Injects a request as the webview would send it and returns the host's response. */
async function ask(api: NemoVideoTestApi, msg: WebviewToHost & { requestId: string }): Promise<{ ok: boolean; error?: string }> {
  const posts: HostToWebview[] = [];
  const sub = api.chat.onDidPost((p) => posts.push(p));
  try {
    await api.chat.injectForTest(msg);
    await waitFor(() => posts.some((p) => p.type === 'response' && p.requestId === msg.requestId), { message: `the response to ${msg.type}` });
  } finally {
    sub.dispose();
  }
  const response = posts.find((p) => p.type === 'response' && p.requestId === msg.requestId);
  return response && response.type === 'response' ? { ok: response.ok, error: response.error } : { ok: false };
}

/**
 * Sends `text` while the simulator asks a question back (twice: the answer is asked back
 * too, instead of starting a generation, so these tests spend no credits the later suites
 * need) and returns the question's message.
 */
async function askedQuestion(api: NemoVideoTestApi, text: string) {
  await api.idle();
  await simAdmin.addScenario({ name: 'askQuestion', times: 2 });
  await ask(api, { type: 'send', requestId: requestId(), text });
  await api.idle();
  const question = api.snapshot().messages.filter((m) => m.choices?.length).at(-1);
  assert.ok(question, chatText(api));
  return question;
}

describe('NemoVideo chat: answers and attachments', function () {
  this.timeout(90_000);
  // Responses are posted (and seen by onDidPost) only while the panel is open.
  before(async () => {
    await hostApi();
    await vscode.commands.executeCommand('nemoVideo.openChat');
  });

  it('a question\'s choices are buttons; pressing one sends it as the answer, a choice not offered is refused', async () => {
    const api = await hostApi();
    const question = await askedQuestion(api, 'Make a teaser for my lamp');
    assert.deepStrictEqual(question.choices, ['Cinematic', 'Playful', 'Minimal']);

    const before = await simAdmin.runSsePostCount();
    const refused = await ask(api, { type: 'answer', requestId: requestId(), messageId: question.id, choice: 'Make it free' });
    assert.strictEqual(refused.ok, false);
    assert.strictEqual(await simAdmin.runSsePostCount(), before, 'nothing sent for a choice not offered');

    assert.deepStrictEqual(await ask(api, { type: 'answer', requestId: requestId(), messageId: question.id, choice: 'Playful' }), { ok: true, error: undefined });
    await api.idle();
    assert.strictEqual(await simAdmin.runSsePostCount(), before + 1, 'the answer is one message');
    const messages = api.snapshot().messages;
    assert.ok(messages.some((m) => m.role === 'user' && m.text === 'Playful'), chatText(api));
    assert.strictEqual(messages.find((m) => m.id === question.id)?.choices, undefined, 'the buttons went');
    assert.strictEqual((await ask(api, { type: 'answer', requestId: requestId(), messageId: question.id, choice: 'Cinematic' })).ok, false, 'only once');
  });

  it('a typed answer takes the open question\'s buttons away; the next question keeps its own', async () => {
    const api = await hostApi();
    const first = await askedQuestion(api, 'Make a teaser for my desk lamp');

    assert.deepStrictEqual(await ask(api, { type: 'send', requestId: requestId(), text: 'Cinematic, please' }), { ok: true, error: undefined });
    await api.idle();
    const messages = api.snapshot().messages;
    assert.strictEqual(messages.find((m) => m.id === first.id)?.choices, undefined, 'the answered question has no buttons left');
    const next = messages.filter((m) => m.choices?.length).at(-1);
    assert.ok(next && next.id !== first.id, `the run's own question keeps its buttons: ${chatText(api)}`);

    const before = await simAdmin.runSsePostCount();
    assert.strictEqual((await ask(api, { type: 'answer', requestId: requestId(), messageId: first.id, choice: first.choices![0]! })).ok, false, 'a stale button is refused');
    assert.strictEqual(await simAdmin.runSsePostCount(), before, 'and sends nothing');
  });

  it('two files dropped from the workspace are both uploaded; a drop with a file from outside uploads nothing', async () => {
    const api = await hostApi();
    await api.idle();
    const root = workspaceRoot();
    const clips = [vscode.Uri.joinPath(root, 'drop-a.mp4'), vscode.Uri.joinPath(root, 'drop-b.mp4')];
    const bytes = fs.readFileSync(path.join(REPO_ROOT, 'media', 'sample-render.mp4'));
    for (const clip of clips) await vscode.workspace.fs.writeFile(clip, bytes);
    try {
      const before = (await simAdmin.stats()).requests.length;
      const uploads = async () => (await simAdmin.stats()).requests.slice(before).filter((r) => r.path.startsWith('/api/upload-video/')).length;

      const refused = await ask(api, { type: 'attach', requestId: requestId(), uris: [clips[0].toString(), 'file:///etc/hosts'] });
      assert.strictEqual(refused.ok, false);
      await api.idle();
      assert.strictEqual(await uploads(), 0);

      assert.strictEqual((await ask(api, { type: 'attach', requestId: requestId(), uris: clips.map((c) => c.toString()) })).ok, true);
      // Each upload asks its questions (type, size) before it joins the queue.
      await waitFor(() => /Uploaded drop-b\.mp4/.test(chatText(api)) && /Uploaded drop-a\.mp4/.test(chatText(api)), { message: 'both uploads', timeoutMs: 30_000 });
      await api.idle();
      assert.strictEqual(await uploads(), 2, chatText(api));
      assert.match(chatText(api), /Uploaded drop-a\.mp4/);
      assert.match(chatText(api), /Uploaded drop-b\.mp4/);
    } finally {
      for (const clip of clips) await vscode.workspace.fs.delete(clip);
    }
  });
});
