// Helpers for the web workbench served by code-server, driven through a
// playwright-core Page: the URL (with the Extension Development Host payload),
// waiting for it, the command palette and Quick Open, webview content two
// iframes deep, and notifications.
import path from 'node:path';

/** vscode-remote://<authority><absolute path> for a local path. */
export function remoteUri(authority, p) {
  const abs = path.resolve(p).split(path.sep).map(encodeURIComponent).join('/');
  return `vscode-remote://${authority}${abs.startsWith('/') ? abs : `/${abs}`}`;
}

/**
 * The workbench URL. The `payload` query is read by the web workbench exactly as
 * VS Code's own test/integration/browser uses it; a built workbench honours
 * extensionDevelopmentPath/extensionTestsPath only with the smoke-test driver
 * enabled, and only as vscode-remote URIs whose authority is the page's host.
 */
export function workbenchUrl(server, { folder, extensionDevelopmentPath, extensionTestsPath } = {}) {
  const authority = `127.0.0.1:${server.port}`;
  const u = new URL(server.url);
  if (folder) u.searchParams.set('folder', path.resolve(folder));
  const payload = [];
  for (const dev of [].concat(extensionDevelopmentPath ?? [])) payload.push(['extensionDevelopmentPath', remoteUri(authority, dev)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remoteUri(authority, extensionTestsPath)]);
  if (payload.length) {
    payload.push(['skipWelcome', 'true']);
    u.searchParams.set('payload', JSON.stringify(payload));
  }
  return u.toString();
}

/** Waits until the workbench has rendered its status bar and activity bar. */
export async function waitForWorkbench(page, timeout = 120000) {
  await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout });
  await page.waitForSelector('.monaco-workbench .part.activitybar', { timeout });
}

/** The activity-bar entry of a view container, by its title (e.g. "NemoVideo"). */
export function activityBarEntry(page, title) {
  return page.locator(`.part.activitybar .action-item a[aria-label^="${title}"], .part.activitybar .action-item[aria-label^="${title}"]`).first();
}

/**
 * The content frame of a webview (panel or webview view):
 * <iframe class="webview ready"> (the workbench's host page) -> <iframe id="active-frame">.
 * `nth` picks among several webviews in DOM order.
 */
export function webviewContent(page, nth = 0) {
  return page.locator('iframe.webview.ready').nth(nth)
    .contentFrame().locator('iframe#active-frame').contentFrame();
}

const quickInput = (page) => page.locator('.quick-input-widget');

/**
 * Runs a command through the command palette (F1: browsers reserve some Ctrl
 * shortcuts), matching its label "Category: Title". Retries, because the list is
 * computed when the palette opens and an extension's commands appear only once
 * its host is up.
 */
export async function runFromCommandPalette(page, label, { attempts = 5, rowTimeout = 3000 } = {}) {
  const input = quickInput(page).locator('input');
  for (let i = 1; ; i++) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${label}`);
    const row = quickInput(page).locator('.monaco-list-row', { hasText: label }).first();
    try {
      await row.waitFor({ state: 'visible', timeout: rowTimeout });
      await row.click();
      return;
    } catch (e) {
      await page.keyboard.press('Escape');
      if (i >= attempts) throw new Error(`command "${label}" not found in the command palette after ${attempts} attempts: ${e.message}`);
    }
  }
}

/** Opens a workspace file through Quick Open (the palette without the `>` prefix). */
export async function quickOpenFile(page, fileName, { timeout = 15000 } = {}) {
  const input = quickInput(page).locator('input');
  await page.keyboard.press('F1');
  await input.waitFor({ state: 'visible' });
  await input.fill(fileName);
  const row = quickInput(page).locator('.monaco-list-row', { hasText: fileName }).first();
  await row.waitFor({ state: 'visible', timeout });
  await row.click();
  await page.locator('.tabs-container .tab.active', { hasText: fileName }).waitFor({ timeout });
  // The tab shows before the text is painted; wait for the editor's lines.
  await page.locator('.part.editor .editor-group-container.active .monaco-editor .view-lines .view-line').first().waitFor({ timeout });
}

/** Answers an open quick pick by choosing the row that contains `text`. */
export async function pickQuickInputItem(page, text, { timeout = 15000 } = {}) {
  const row = quickInput(page).locator('.monaco-list-row', { hasText: text }).first();
  await row.waitFor({ state: 'visible', timeout });
  await row.click();
}

/** Visible notification toasts (absent in smoke-test-driver mode, where only the centre has them). */
export function notificationToasts(page) {
  return page.locator('.notifications-toasts .notification-toast');
}

/** Waits for a toast whose text matches `text` (string or RegExp) and returns its locator. */
export async function waitForNotification(page, text, { timeout = 30000 } = {}) {
  const toast = notificationToasts(page).filter({ hasText: text }).first();
  await toast.waitFor({ state: 'visible', timeout });
  return toast;
}

/** Clicks a button (e.g. "Open", "Cancel") on a toast that matches `text`. */
export async function clickNotificationButton(page, text, button, { timeout = 30000 } = {}) {
  const toast = await waitForNotification(page, text, { timeout });
  await toast.getByRole('button', { name: button }).click();
}

/** Opens the notification centre (bell in the status bar) and returns its list rows. */
export async function openNotificationCenter(page) {
  const center = page.locator('.notifications-center');
  if (!(await center.isVisible())) {
    await page.locator('.statusbar-item[id="status.notifications"] a, .statusbar-item[id="status.notifications"]').first().click();
    await center.waitFor({ state: 'visible' });
  }
  return center.locator('.notification-list-item');
}

/** Dismisses every notification (a command, so it works whether or not toasts show). */
export async function clearNotifications(page) {
  await runFromCommandPalette(page, 'Notifications: Clear All Notifications');
}

/** Texts of all visible notification toasts (for assertions and failure messages). */
export async function notificationTexts(page) {
  return (await notificationToasts(page).locator('.notification-list-item-message').allTextContents()).map((t) => t.trim());
}

/**
 * Waits for `locator` to become visible, but fails at once with the dialog's
 * text when the workbench shows an error dialog first (e.g. "command … not
 * found"), instead of waiting out the whole timeout.
 */
export async function waitVisibleUnlessDialog(page, locator, { timeout = 30000 } = {}) {
  const dialog = page.locator('.monaco-dialog-box');
  const shown = locator.waitFor({ state: 'visible', timeout }).then(() => 'shown');
  shown.catch(() => {}); // may lose the race; its timeout must not surface later
  const dialogShown = dialog.waitFor({ state: 'visible', timeout }).then(() => 'dialog', () => new Promise(() => {}));
  if ((await Promise.race([shown, dialogShown])) === 'dialog') {
    const text = (await dialog.innerText().catch(() => '')).replace(/\s+/g, ' ').trim();
    throw new Error(`the workbench showed a dialog instead: ${text}`);
  }
}
