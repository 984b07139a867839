// The chat panel (a webview, two iframes deep), through the selectors the
// webview keeps stable for these journeys: textarea #prompt; buttons #send #stop #attach #export;
// messages .msg.user / .msg.assistant / .msg.error, each with `.actions button`.
import { activityBarEntry, runFromCommandPalette, waitVisibleUnlessDialog } from '../../../scripts/lib/workbench.mjs';

const CHAT_WEBVIEW = 'iframe.webview.ready[src*="extensionId=nemovideo.nemovideo-vscode"]';

/** The chat's content frame (the extension's HTML inside the workbench's webview host page). */
export function chatFrame(page) {
  return page.locator(CHAT_WEBVIEW).filter({ visible: true }).first()
    .contentFrame().locator('iframe#active-frame').contentFrame();
}

/** The outer iframe element of the chat, for screenshots of just the chat. */
export function chatElement(page) {
  return page.locator(CHAT_WEBVIEW).filter({ visible: true }).first();
}

/** Opens the chat from the command palette and waits until its prompt box is usable. */
export async function openChat(page, { timeout = 30000 } = {}) {
  await runFromCommandPalette(page, 'NemoVideo: Open Chat');
  const chat = chatFrame(page);
  await waitVisibleUnlessDialog(page, chat.locator('#prompt'), { timeout });
  return chat;
}

/** Types a prompt the way a person does (key by key) and clicks Send. */
export async function sendPrompt(chat, text) {
  const prompt = chat.locator('#prompt');
  await prompt.click();
  await prompt.pressSequentially(text, { delay: 5 });
  await chat.locator('#send').click();
}

export const userMessages = (chat) => chat.locator('.msg.user');
export const assistantMessages = (chat) => chat.locator('.msg.assistant');
export const errorMessages = (chat) => chat.locator('.msg.error');

/** Waits until the last assistant message shows at least `minLength` characters and returns its text. */
export async function waitForAssistantText(chat, { minLength = 1, timeout = 60000 } = {}) {
  const last = assistantMessages(chat).last();
  await last.filter({ hasText: new RegExp(`\\S[\\s\\S]{${Math.max(0, minLength - 1)},}`) }).waitFor({ state: 'visible', timeout });
  return (await last.textContent()).trim();
}

/** Clicks an action button (e.g. "Retry", "Register") on a message. */
export async function clickMessageAction(message, label) {
  await message.locator('.actions button', { hasText: label }).first().click();
}

/** Resolves once no run is going on: the Stop button (shown only while busy) is hidden. */
export async function waitUntilIdle(chat, { timeout = 120000 } = {}) {
  await chat.locator('#stop').waitFor({ state: 'hidden', timeout });
}

export { activityBarEntry };
