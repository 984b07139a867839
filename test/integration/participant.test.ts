// `@nemo` inside the real extension host against the simulator. The handler is
// the function VS Code's Chat view calls (taken from the test API); it gets a
// fake ChatRequest and a ChatResponseStream that records what it was sent.
import * as assert from 'assert';
import { Lexer, type Token } from 'marked';
import * as vscode from 'vscode';
import type { NemoVideoTestApi } from '../../src/testApi';
import { getTestApi, skipWithout } from './support/extension';
import { withSettings } from './support/settings';
import { simAdmin } from './support/simAdmin';
import { waitFor } from './support/waitFor';
import { assertMp4UnderVideos, selectParagraph, signInAsSimulatorUser, workspaceRoot } from './support/workspace';

const FAST = { askOptions: false, confirmBeforeSpending: false, autoExport: true, exportFolder: 'videos' };

/** Records every part the handler streams. */
class RecordingStream implements vscode.ChatResponseStream {
  readonly progressLines: string[] = [];
  readonly texts: string[] = [];
  readonly buttons: vscode.Command[] = [];
  readonly anchors: Array<{ value: vscode.Uri | vscode.Location; title?: string }> = [];
  readonly parts: string[] = [];

  markdown(value: string | vscode.MarkdownString): void {
    if (typeof value !== 'string') {
      assert.notStrictEqual(value.isTrusted, true, 'streamed Markdown must not be trusted');
      assert.notStrictEqual(value.supportHtml, true, 'streamed Markdown must not allow HTML');
    }
    const text = typeof value === 'string' ? value : value.value;
    if (text.trim()) this.texts.push(text);
    this.parts.push('markdown');
  }
  progress(value: string): void {
    this.progressLines.push(value);
    this.parts.push('progress');
  }
  button(command: vscode.Command): void {
    this.buttons.push(command);
    this.parts.push('button');
  }
  anchor(value: vscode.Uri | vscode.Location, title?: string): void {
    this.anchors.push({ value, title });
    this.parts.push('anchor');
  }
  filetree(): void {
    this.parts.push('filetree');
  }
  reference(): void {
    this.parts.push('reference');
  }
  push(): void {
    this.parts.push('push');
  }
  /** The streamed Markdown with the escaping backslashes removed, for matching. */
  plainText(): string {
    return this.texts.join('\n').replace(/\\(.)/g, '$1').replace(/&nbsp;/g, ' ');
  }
}

/** What VS Code's Chat view would find in streamed Markdown that can act: anything but an https link. */
function activeParts(markdown: string): string[] {
  const found: string[] = [];
  const walk = (tokens: readonly Token[]): void => {
    for (const t of tokens) {
      if (t.type === 'html' || t.type === 'image' || t.type === 'def') found.push(`${t.type}: ${t.raw}`);
      if (t.type === 'link' && !/^https:\/\//.test((t as { href: string }).href)) found.push(`link: ${(t as { href: string }).href}`);
      const n = t as { tokens?: Token[]; items?: Token[]; header?: Array<{ tokens: Token[] }>; rows?: Array<Array<{ tokens: Token[] }>> };
      walk([...(n.tokens ?? []), ...(n.items ?? []), ...(n.header ?? []).flatMap((c) => c.tokens), ...(n.rows ?? []).flat().flatMap((c) => c.tokens)]);
    }
  };
  walk(Lexer.lex(markdown, { gfm: true }));
  return found;
}

function chatRequest(command: string | undefined, prompt: string, references: vscode.ChatPromptReference[] = []): vscode.ChatRequest {
  return {
    prompt,
    command,
    references,
    toolReferences: [],
    toolInvocationToken: undefined as never,
    model: undefined as unknown as vscode.LanguageModelChat,
  };
}

async function ask(api: NemoVideoTestApi, command: string | undefined, prompt: string, token = new vscode.CancellationTokenSource().token, references: vscode.ChatPromptReference[] = []) {
  const handler = api.participantHandler;
  assert.ok(handler, 'the test API has no participantHandler');
  const stream = new RecordingStream();
  const result = (await handler(chatRequest(command, prompt, references), { history: [] }, stream, token)) ?? {};
  return { stream, result, metadata: (result.metadata ?? {}) as Record<string, unknown> };
}

describe('@nemo chat participant', function () {
  this.timeout(180_000);
  let api: NemoVideoTestApi;
  let signOut: (() => Promise<void>) | undefined;

  before(async function () {
    skipWithout(this, typeof (vscode as { chat?: Partial<typeof vscode.chat> }).chat?.createChatParticipant === 'function', 'vscode.chat.createChatParticipant');
    api = await getTestApi('idle', 'lastExport', 'tokenStore', 'snapshot');
    assert.ok(api.participantHandler, 'activate() returned no participantHandler');
    assert.strictEqual(api.chatApis?.participant, true, '@nemo was not registered although the API exists');
    signOut = await signInAsSimulatorUser(api);
  });

  after(async () => {
    await signOut?.();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('/generate with a prompt: streams progress, saves an MP4 under videos/, ends with Open Video and Open NemoVideo Chat', async () => {
    await withSettings(FAST, async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const before = api.lastExport();
      const postsBefore = await simAdmin.runSsePostCount();
      const { stream, metadata } = await ask(api, 'generate', 'A 15-second teaser for a lighthouse café by the sea, warm evening light.');

      assert.strictEqual((await simAdmin.runSsePostCount()) - postsBefore, 1, 'exactly one /run_sse POST for one /generate');
      assert.ok(stream.progressLines.length > 0, `no progress was streamed; parts: ${stream.parts.join(',')}`);
      assert.ok(stream.progressLines.some((p) => /Exporting|Rendering/.test(p)), `progress: ${stream.progressLines.join(' | ')}`);
      const text = stream.plainText();
      assert.match(text, /from your prompt/);
      assert.match(text, /Timeline \(\d+ tracks?\)/, text);
      assert.match(text, /Video saved/, text);

      const file = api.lastExport();
      assert.ok(file && file.toString() !== before?.toString(), `nothing new was exported:\n${text}`);
      await assertMp4UnderVideos(file);
      assert.strictEqual(metadata.exported, file.toString());

      const open = stream.buttons.find((b) => b.command === 'vscode.open');
      assert.ok(open, `no Open Video button: ${JSON.stringify(stream.buttons)}`);
      assert.strictEqual(String(open.arguments?.[0]), file.toString(), 'Open Video opens the exported file');
      assert.deepStrictEqual(
        stream.anchors.map((a) => String(a.value)),
        [file.toString()],
        'the saved video is an anchor to the exported file',
      );
      assert.ok(stream.buttons.some((b) => b.command === 'nemoVideo.openChat'), 'no Open NemoVideo Chat button');
      assert.strictEqual(stream.parts[stream.parts.length - 1], 'button', 'the answer ends with the buttons');
    });
  });

  it('/generate prefers the active editor\'s selection over the prompt', async () => {
    await withSettings(FAST, async () => {
      const editor = await selectParagraph();
      const selected = editor.document.getText(editor.selection).trim();
      const projectBefore = api.projects?.activeId();
      const { stream } = await ask(api, 'generate', '');
      assert.match(stream.plainText(), /from the selection in script\.md/);
      // A generation is a project of its own, and the chat shows it.
      assert.notStrictEqual(api.projects?.activeId(), projectBefore, 'the generation did not get a project of its own');
      const userMessages = api.snapshot().messages.filter((m) => m.role === 'user');
      assert.ok(userMessages.some((m) => m.text.includes(selected)), 'the selection was not what was sent');
      assert.ok(stream.buttons.some((b) => b.command === 'vscode.open'));
    });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('/generate with no selection and no prompt answers with help and sends nothing', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const postsBefore = await simAdmin.runSsePostCount();
    const { stream, metadata } = await ask(api, 'generate', '   ');
    assert.strictEqual(metadata.empty, true);
    assert.match(stream.plainText(), /@nemo \/generate/);
    assert.strictEqual(stream.progressLines.length, 0);
    assert.strictEqual(await simAdmin.runSsePostCount(), postsBefore, 'an empty /generate reached the backend');
  });

  it('/status answers with the timeline summary of the current project', async () => {
    const { stream, metadata } = await ask(api, 'status', '');
    assert.strictEqual(metadata.project, true);
    assert.match(stream.plainText(), /^Timeline \(\d+ tracks?\): 1\. /m);
    assert.ok(stream.buttons.some((b) => b.command === 'nemoVideo.export'), 'an exportable project offers Export Video');
  });

  it('/credits answers with the balance, without the agent', async () => {
    const postsBefore = await simAdmin.runSsePostCount();
    const { stream, metadata } = await ask(api, 'credits', '');
    assert.strictEqual(typeof metadata.available, 'number');
    assert.match(stream.plainText(), /credits available/);
    assert.strictEqual(await simAdmin.runSsePostCount(), postsBefore);
  });

  it('/export saves another file without overwriting and offers to open it', async () => {
    await withSettings(FAST, async () => {
      const before = api.lastExport();
      assert.ok(before, 'needs the video of an earlier test');
      const { stream, metadata } = await ask(api, 'export', '');
      const file = api.lastExport();
      assert.ok(file && file.toString() !== before.toString(), stream.plainText());
      await assertMp4UnderVideos(file);
      await assertMp4UnderVideos(before);
      assert.strictEqual(metadata.exported, file.toString());
      assert.ok(stream.buttons.some((b) => b.command === 'vscode.open' && String(b.arguments?.[0]) === file.toString()));
    });
  });

  it('a prompt without a command is routed like the chat panel: "credits" stays local, an edit reaches the agent once', async () => {
    await withSettings(FAST, async () => {
      let posts = await simAdmin.runSsePostCount();
      const local = await ask(api, undefined, 'credits');
      assert.match(local.stream.plainText(), /credits available/);
      assert.strictEqual(await simAdmin.runSsePostCount(), posts, '"credits" reached the agent');

      posts = await simAdmin.runSsePostCount();
      const edit = await ask(api, undefined, 'Make the title text a little larger');
      assert.strictEqual(edit.metadata.command, 'edit');
      assert.strictEqual((await simAdmin.runSsePostCount()) - posts, 1, 'one /run_sse POST for one edit');
      assert.ok(edit.stream.texts.length + edit.stream.progressLines.length > 0, 'the edit streamed nothing');
      assert.ok(edit.stream.buttons.some((b) => b.command === 'nemoVideo.openChat'));
    });
  });

  it('shows hostile backend text inert: no HTML, image or link other than https, no control or bidi characters', async () => {
    await withSettings(FAST, async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await simAdmin.addScenario({ name: 'hostileText' });
      try {
        const generated = await ask(api, 'generate', 'A 15-second clip about a lighthouse at night.');
        const status = await ask(api, 'status', '');
        const texts = [...generated.stream.texts, ...status.stream.texts];
        const shown = texts.join('\n').replace(/\\(.)/g, '$1');
        assert.match(shown, /onerror=alert/, 'the hostile payload did not arrive: the test would prove nothing');
        assert.match(shown, /open terminal/, 'the hostile link text did not arrive: the test would prove nothing');
        // Escaped as plain text (the fallback when the reply cannot be parsed) the brackets would still be there.
        assert.doesNotMatch(shown, /\[open terminal\]\(command/, 'the reply was not parsed as Markdown: is dist/markdownLexer.js loaded?');
        for (const text of texts) {
          assert.deepStrictEqual(activeParts(text), [], `something that can act reached the Chat view: ${text.slice(0, 300)}`);
          assert.doesNotMatch(text, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/, 'a control or bidi character reached the Chat view');
        }
      } finally {
        await simAdmin.clearScenarios();
      }
    });
  });

  it('/generate with an attached #file sends the file as the script, and only once', async () => {
    await withSettings(FAST, async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const script = vscode.Uri.joinPath(workspaceRoot(), 'script.md');
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(script)).trim();
      const projectBefore = api.projects?.activeId();
      const posts = await simAdmin.runSsePostCount();
      const { stream, metadata } = await ask(api, 'generate', '#file:script.md', undefined, [{ id: 'vscode.file', range: [0, 15], value: script }]);
      assert.strictEqual((await simAdmin.runSsePostCount()) - posts, 1, 'exactly one /run_sse POST');
      assert.match(stream.plainText(), /from script\.md \(\d+ characters\)/);
      // The generation is a project of its own, shown in the chat.
      assert.notStrictEqual(api.projects?.activeId(), projectBefore);
      const sent = api.snapshot().messages.filter((m) => m.role === 'user');
      assert.ok(sent.some((m) => m.text.includes(text) && !m.text.includes('#file')), `the file was not the script: ${JSON.stringify(sent.map((m) => m.text.slice(0, 120)))}`);
      assert.strictEqual(metadata.errors, 0);
    });
  });

  it('a token the server echoes in its reply never reaches the Chat view', async () => {
    await withSettings(FAST, async () => {
      const userToken = await api.tokenStore.get();
      assert.ok(userToken);
      await simAdmin.addScenario({ name: 'echoToken' });
      try {
        const edit = await ask(api, undefined, 'Make the title text a little larger');
        const shown = [...edit.stream.texts, ...edit.stream.progressLines].join('\n').replace(/\\(.)/g, '$1');
        assert.match(shown, /token=\S*redacted/, `the echoed token did not arrive: the test would prove nothing\n${shown.slice(0, 400)}`);
        assert.ok(!shown.includes(userToken), 'the echoed token reached the Chat view');
        assert.doesNotMatch(shown, /nmv_(?!\[redacted\])/, 'a token reached the Chat view');
      } finally {
        await simAdmin.clearScenarios();
      }
    });
  });

  it('cancelling the request stops the run: cancelled, one POST, no file', async () => {
    await withSettings(FAST, async () => {
      await simAdmin.addScenario({ name: 'heartbeatStall' });
      try {
        const exportedBefore = api.lastExport()?.toString();
        const posts = await simAdmin.runSsePostCount();
        const cts = new vscode.CancellationTokenSource();
        const answer = ask(api, undefined, 'Add a soft glow to the title', cts.token);
        await waitFor(async () => (await simAdmin.runSsePostCount()) > posts, { message: 'the run to reach the simulator' });
        cts.cancel();
        const { stream, metadata } = await answer;
        assert.strictEqual(metadata.cancelled, true);
        assert.match(stream.plainText(), /Stopped/);
        assert.strictEqual((await simAdmin.runSsePostCount()) - posts, 1, 'the message was sent again');
        assert.strictEqual(api.lastExport()?.toString(), exportedBefore);
      } finally {
        await simAdmin.clearScenarios();
      }
    });
  });
});
