// Journey 2 (issue 3): type a prompt in the chat → the text streams → Stop
// cancels it, and the simulator saw exactly one /run_sse POST (a stopped
// message is never sent again, not even when the next one is sent). Escape in the
// composer does the same as Stop.
import assert from 'node:assert/strict';
import { assistantMessages, chatElement, openChat, sendPrompt, userMessages, waitForAssistantText, waitUntilIdle } from './support/chat.mjs';
import { useSession } from './support/session.mjs';
import { armScenario, runSsePostCount } from './support/sim.mjs';

describe('journey 2: chat streaming and Stop', function () {
  const session = useSession({
    journey: 'chat-stop',
    // Slow enough to watch the text grow and press Stop while the run is still going.
    simOptions: { delays: { chunkMs: 250, textMs: 300, generateMs: 20000, heartbeatMs: 500 } },
  });

  it('the reply streams, Stop cancels it, and it is never re-sent', async function () {
    const { page, sim } = session;
    const chat = await openChat(page);
    armScenario(sim, 'streaming'); // partial text events for this run

    await sendPrompt(chat, 'Make a 15 second video about a lighthouse at dawn');
    await userMessages(chat).filter({ hasText: 'lighthouse at dawn' }).first().waitFor();
    const early = await waitForAssistantText(chat, { minLength: 3 });
    // Streaming: the same message grows while the run goes on.
    await assistantMessages(chat).last().filter({ hasText: new RegExp(`[\\s\\S]{${early.length + 1},}`) }).waitFor({ timeout: 30000 });
    await chat.locator('#stop').waitFor({ state: 'visible' });
    await session.shot('streaming', chatElement(page));

    await chat.locator('#stop').click();
    await waitUntilIdle(chat, { timeout: 15000 });
    await chat.getByText(/Stopped/).first().waitFor(); // the user is told the run stopped
    await session.shot('stopped', chatElement(page));
    assert.equal(runSsePostCount(sim), 1, 'the simulator should have seen exactly one /run_sse POST');

    // The next message is sent once; the stopped one is not sent again with it.
    await sendPrompt(chat, 'What can you do?');
    await userMessages(chat).filter({ hasText: 'What can you do?' }).first().waitFor();
    await waitUntilIdle(chat, { timeout: 60000 });
    assert.equal(runSsePostCount(sim), 2);
    await session.shot('next-message', chatElement(page));
  });
});

describe('journey 2b: Escape stops', function () {
  const session = useSession({
    journey: 'chat-escape',
    simOptions: { delays: { chunkMs: 250, textMs: 300, generateMs: 20000, heartbeatMs: 500 } },
  });

  it('Escape in the composer stops the run, and the message is not sent again', async function () {
    const { page, sim } = session;
    const chat = await openChat(page);
    const before = runSsePostCount(sim);
    armScenario(sim, 'streaming');
    await sendPrompt(chat, 'Make a 15 second video about a harbour at night');
    await waitForAssistantText(chat, { minLength: 3 });
    await chat.locator('#stop').waitFor({ state: 'visible' });
    // The focus is still in the composer after sending: Escape there is Stop.
    await chat.locator('#prompt').press('Escape');
    await waitUntilIdle(chat, { timeout: 15000 });
    await chat.getByText(/Stopped/).last().waitFor();
    assert.equal(runSsePostCount(sim), before + 1, 'one /run_sse POST for the stopped message');
    await session.shot('escape-stopped', chatElement(page));
  });
});
