// Journey 4 (issue 3): out of credits (2001) shows the registration link; a
// 402 on export shows the register-to-export message. Both as error cards in
// the chat, in plain language.
import assert from 'node:assert/strict';
import { chatElement, errorMessages, openChat, sendPrompt, waitForAssistantText, waitUntilIdle } from './support/chat.mjs';
import { notificationToasts } from './support/notifications.mjs';
import { useSession } from './support/session.mjs';
import { armScenario } from './support/sim.mjs';

describe('journey 4: out of credits and export blocked', function () {
  const session = useSession({ journey: 'credits-errors', settings: { 'nemoVideo.autoExport': false } });

  it('2001 shows the registration link; 402 shows "register to unlock export"', async function () {
    const { page, sim } = session;
    const chat = await openChat(page);
    // A finished video first, so that Export has something to export.
    await sendPrompt(chat, 'Make a 15 second video about a lighthouse at dawn');
    await waitForAssistantText(chat, { minLength: 10 });
    await waitUntilIdle(chat, { timeout: 120000 });

    armScenario(sim, 'noCredits');
    await sendPrompt(chat, 'Add a title that says Hello');
    const noCredits = errorMessages(chat).last();
    await noCredits.waitFor({ timeout: 30000 });
    const cardText = `${await noCredits.innerText()} ${(await noCredits.locator('.actions button').allInnerTexts()).join(' ')}`;
    assert.match(cardText, /regist/i, `the 2001 card does not offer registration: ${cardText}`);
    assert.doesNotMatch(cardText, /2001|\{"/, 'the card shows a raw code or JSON instead of plain language');
    await session.shot('out-of-credits', chatElement(page));
    await waitUntilIdle(chat);

    armScenario(sim, 'exportBlocked');
    const before = await errorMessages(chat).count();
    await chat.locator('#export').click();
    await errorMessages(chat).nth(before).waitFor({ timeout: 30000 });
    assert.match(await errorMessages(chat).nth(before).innerText(), /register.*unlock export|unlock export/i);
    // The export's step in the chat ends as failed, not with a "done" check.
    assert.equal(await chat.locator('.msg.progress').last().getAttribute('data-status'), 'failed');
    // The failed export's progress notification must go away (it used to linger beside the error).
    await notificationToasts(page).filter({ hasText: /Exporting video/ }).first().waitFor({ state: 'hidden', timeout: 10000 });
    await session.shot('export-blocked', chatElement(page));
  });
});
