// The whole flow in the real extension host against each ADK wire shape the
// simulator speaks (docs/adk-wire.md): ADK 1.22+ progressive streaming, 1.0-1.21
// legacy streaming, and 0.x's snake_case envelope, each with streaming forced on
// (a gateway may turn it on whatever the request said). Generate -> a silent or
// talkative edit -> the auto-exported MP4: every text and progress line once, no
// error card, exactly one /run_sse POST per message.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ChatMessage, WebviewToHost } from '../../src/protocol';
import type { NemoVideoTestApi } from '../../src/testApi';
import { getTestApi } from './support/extension';
import { withSettings } from './support/settings';
import { simAdmin } from './support/simAdmin';

const FAST = { askOptions: false, confirmBeforeSpending: false, autoExport: true, exportFolder: 'videos' };
const WIRES = ['adkProgressive', 'adkLegacy', 'adkV0'] as const;
let n = 0;

async function send(api: NemoVideoTestApi, text: string): Promise<void> {
  const msg: WebviewToHost = { type: 'send', requestId: `wire-${Date.now()}-${++n}`, text };
  await api.chat.injectForTest(msg);
  await api.idle();
}

/** Messages of the same role and text that follow each other: what a duplicated event shows. */
function repeated(messages: ChatMessage[]): string[] {
  const out: string[] = [];
  for (let i = 1; i < messages.length; i++) {
    const a = messages[i - 1]!;
    const b = messages[i]!;
    if (a.role === b.role && a.text === b.text && (a.role === 'assistant' || a.role === 'progress')) out.push(`${b.role}: ${b.text}`);
  }
  return out;
}

describe('every ADK wire shape, end to end', function () {
  this.timeout(240_000);
  let api: NemoVideoTestApi;

  before(async () => {
    api = (await getTestApi('chat', 'idle', 'snapshot', 'lastExport', 'tokenStore')) as NemoVideoTestApi;
    await api.tokenStore.set(await simAdmin.userToken(1_000_000));
  });

  afterEach(() => simAdmin.clearScenarios());

  for (const wire of WIRES) {
    it(`${wire} with streaming on: generate, edit, export; each message once, no error`, async () => {
      await withSettings(FAST, async () => {
        await simAdmin.addScenario({ name: wire, times: -1 });
        await simAdmin.addScenario({ name: 'streaming', times: -1 });
        await vscode.commands.executeCommand('nemoVideo.newSession');
        const before = api.snapshot().messages.length;
        const exportedBefore = api.lastExport()?.toString();
        const postsBefore = await simAdmin.runSsePostCount();

        await send(api, 'Make a 15-second video about a lighthouse at dawn');
        await send(api, 'Add a title that says Hello');

        const messages = api.snapshot().messages.slice(before);
        const transcript = messages.map((m) => `${m.role}: ${m.text}`).join('\n');
        assert.strictEqual(await simAdmin.runSsePostCount(), postsBefore + 2, `one POST per message\n${transcript}`);
        assert.deepStrictEqual(messages.filter((m) => m.role === 'error').map((m) => m.text), [], `an error card:\n${transcript}`);
        assert.deepStrictEqual(repeated(messages), [], `shown twice:\n${transcript}`);
        const assistantTexts = messages.filter((m) => m.role === 'assistant').map((m) => m.text);
        assert.strictEqual(new Set(assistantTexts).size, assistantTexts.length, `an agent text shown twice:\n${transcript}`);
        assert.ok(assistantTexts.length > 0, `no agent text:\n${transcript}`);
        assert.doesNotMatch(transcript, /\badk_[a-z_]+|transfer_to_agent|errorCode|error_code|"partial"|\{"/, `raw wire content shown:\n${transcript}`);
        const exported = api.lastExport();
        assert.ok(exported && exported.toString() !== exportedBefore, `the generation was not exported:\n${transcript}`);
      });
    });
  }
});
