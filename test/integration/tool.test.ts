// The `nemo_generate_video` language-model tool inside the real extension host
// against the simulator. It is registered with vscode.lm; the calls go to the
// registered tool object from the test API, because vscode.lm.invokeTool
// outside a chat request answers the tool's confirmation with a modal dialog
// that nothing in the extension host can click (which is the point of it).
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { GenerateVideoInput } from '../../src/lmTool/toolInput';
import type { NemoVideoTestApi } from '../../src/testApi';
import { testEnvironment } from './support/environment';
import { getTestApi, skipWithout } from './support/extension';
import { withSettings } from './support/settings';
import { simAdmin } from './support/simAdmin';
import { waitFor } from './support/waitFor';
import { assertMp4UnderVideos, signInAsSimulatorUser } from './support/workspace';

const FAST = { askOptions: false, confirmBeforeSpending: false, autoExport: true, exportFolder: 'videos' };

function markdownText(m: string | vscode.MarkdownString | undefined): string {
  const text = typeof m === 'string' ? m : (m?.value ?? '');
  return text.replace(/\\(.)/g, '$1');
}

function resultText(r: vscode.LanguageModelToolResult | null | undefined): string {
  assert.ok(r, 'the tool returned no result');
  return r.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('\n');
}

describe('nemo_generate_video language-model tool', function () {
  this.timeout(180_000);
  let api: NemoVideoTestApi;
  let tool: vscode.LanguageModelTool<GenerateVideoInput>;
  let signOut: (() => Promise<void>) | undefined;
  const token = () => new vscode.CancellationTokenSource().token;

  async function invoke(input: unknown, cancel = token()): Promise<string> {
    assert.ok(tool.invoke);
    return resultText(await tool.invoke({ input: input as GenerateVideoInput, toolInvocationToken: undefined }, cancel));
  }

  before(async function () {
    skipWithout(this, typeof (vscode as { lm?: Partial<typeof vscode.lm> }).lm?.registerTool === 'function', 'vscode.lm.registerTool');
    api = await getTestApi('idle', 'lastExport', 'tokenStore', 'snapshot');
    assert.ok(api.generateVideoTool, 'activate() returned no generateVideoTool');
    assert.strictEqual(api.chatApis?.tool, true, 'the tool was not registered although the API exists');
    tool = api.generateVideoTool;
    signOut = await signInAsSimulatorUser(api);
  });

  after(async () => {
    await signOut?.();
  });

  it('is listed in vscode.lm.tools with the manifest\'s input schema', async () => {
    const info = await waitFor(() => vscode.lm.tools.find((t) => t.name === 'nemo_generate_video'), { message: 'the tool in vscode.lm.tools' });
    const schema = info.inputSchema as { properties?: Record<string, unknown> } | undefined;
    assert.deepStrictEqual(Object.keys(schema?.properties ?? {}).sort(), ['aspectRatio', 'durationSeconds', 'file', 'text', 'voiceOver']);
    assert.match(info.description, /credits/);
  });

  it('prepareInvocation always asks first, naming the source, the cost in credits and the known balance', async () => {
    // Fetch the balance once, as the status bar does after any run.
    await vscode.commands.executeCommand('nemoVideo.showCredits');
    await waitFor(() => api.snapshot().credits !== undefined, { message: 'the balance to be known' });
    assert.ok(tool.prepareInvocation);
    const prepared = await tool.prepareInvocation({ input: { file: 'script.md', durationSeconds: 15, aspectRatio: '9:16' } }, token());
    assert.ok(prepared?.confirmationMessages, 'no confirmation: agent mode would spend credits without asking');
    assert.match(prepared.confirmationMessages.title, /NemoVideo/);
    const message = markdownText(prepared.confirmationMessages.message);
    assert.match(message, /about 100 credits/);
    assert.match(message, /Your balance: [\d,]+ credits/);
    assert.match(message, /script\.md/);
    assert.match(message, /15-second 9:16/);
    if (typeof prepared.confirmationMessages.message !== 'string') assert.notStrictEqual(prepared.confirmationMessages.message.isTrusted, true);
    assert.ok(prepared.invocationMessage);

    const fromText = await tool.prepareInvocation({ input: { text: 'A short clip about tide pools.' } }, token());
    assert.match(markdownText(fromText?.confirmationMessages?.message), /the text you gave \(30 characters\)/);
  });

  it('invoke turns a workspace file into a video and returns the saved path and the timeline summary', async () => {
    await withSettings(FAST, async () => {
      const before = api.lastExport()?.toString();
      const posts = await simAdmin.runSsePostCount();
      const text = await invoke({ file: 'script.md', durationSeconds: 15 });
      assert.strictEqual((await simAdmin.runSsePostCount()) - posts, 1, 'exactly one /run_sse POST');
      const file = api.lastExport();
      assert.ok(file && file.toString() !== before, `nothing was exported: ${text}`);
      await assertMp4UnderVideos(file);
      assert.ok(text.includes(file.fsPath), `the result does not name the saved file ${file.fsPath}: ${text}`);
      assert.match(text, /Timeline \(\d+ tracks?\): 1\. /);
      const sent = api.snapshot().messages.filter((m) => m.role === 'user').pop();
      assert.match(sent?.text ?? '', /^Make a 15-second/, 'the durationSeconds option reached the prompt');
    });
  });

  it('refuses files outside the workspace, parent paths, non-text files and bad input - without sending anything', async () => {
    const posts = await simAdmin.runSsePostCount();
    const outside = vscode.Uri.joinPath(vscode.Uri.file(testEnvironment.hostileWorkspace()), 'script.md').fsPath;
    const cases: Array<[unknown, RegExp]> = [
      [{ file: outside }, /not inside an open workspace folder/],
      [{ file: '../hostile-workspace/script.md' }, /not inside an open workspace folder/],
      [{ file: 'file:///etc/hostname' }, /not inside an open workspace folder/],
      [{ file: 'README' }, /not found|not a text file/],
      [{ file: 'nothing-here.md' }, /not found in the workspace/],
      [{ text: '   ' }, /Give the script as `text`/],
      [{}, /Give the script as `text`/],
      [{ text: 'A clip', durationSeconds: 42 }, /not valid/],
      [{ text: 'x'.repeat(20_001) }, /too long/],
    ];
    for (const [input, expected] of cases) {
      const text = await invoke(input);
      assert.match(text, /^NemoVideo could not make the video: /, JSON.stringify(input));
      assert.match(text, expected, `${JSON.stringify(input).slice(0, 80)} -> ${text}`);
    }
    assert.strictEqual(await simAdmin.runSsePostCount(), posts, 'a refused input reached the backend');
  });

  it('honours cancellation: before the start nothing is sent; during the run it stops after one POST', async () => {
    await withSettings(FAST, async () => {
      const cancelled = new vscode.CancellationTokenSource();
      cancelled.cancel();
      let posts = await simAdmin.runSsePostCount();
      assert.match(await invoke({ text: 'A clip about kites.' }, cancelled.token), /No credits were spent/);
      assert.strictEqual(await simAdmin.runSsePostCount(), posts);

      await simAdmin.addScenario({ name: 'heartbeatStall' });
      try {
        const exportedBefore = api.lastExport()?.toString();
        posts = await simAdmin.runSsePostCount();
        const cts = new vscode.CancellationTokenSource();
        const running = invoke({ text: 'A clip about paper boats on a pond.' }, cts.token);
        await waitFor(async () => (await simAdmin.runSsePostCount()) > posts, { message: 'the run to reach the simulator' });
        cts.cancel();
        assert.match(await running, /stopped by the user/);
        assert.strictEqual((await simAdmin.runSsePostCount()) - posts, 1);
        assert.strictEqual(api.lastExport()?.toString(), exportedBefore);
      } finally {
        await simAdmin.clearScenarios();
      }
    });
  });
});
