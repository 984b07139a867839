// Signing in where VS Code users look for it: the Accounts menu (issue 17). The
// installed extension, once active, adds "Sign in with NemoVideo" to the menu;
// choosing it asks paste-a-token or guest; the account then shows there and
// signs out there.
import assert from 'node:assert/strict';
import { activityBarEntry, pickQuickInputItem } from '../../scripts/lib/workbench.mjs';
import { waitForNotification } from './support/notifications.mjs';
import { useSession } from './support/session.mjs';
import { openTimelineView } from './support/tree.mjs';

/** Opens the Accounts menu (bottom of the activity bar) and returns the menu. */
async function openAccountsMenu(page) {
  await page.keyboard.press('Escape');
  await activityBarEntry(page, 'Accounts').click();
  const menu = page.locator('.monaco-menu').last();
  await menu.waitFor({ state: 'visible' });
  return menu;
}

function menuItem(menu, text) {
  return menu.locator('.action-item', { hasText: text }).first();
}

/** The menu is built when it opens: reopens it until `text` is in it (the extension adds its entry after activation). */
async function openAccountsMenuWith(page, text, { timeout = 30000 } = {}) {
  for (const deadline = Date.now() + timeout; ; ) {
    const menu = await openAccountsMenu(page);
    const item = menuItem(menu, text);
    if (await item.waitFor({ timeout: 2000 }).then(() => true, () => false)) return { menu, item };
    if (Date.now() > deadline) throw new Error(`the Accounts menu has no "${text}": ${await menu.innerText()}`);
  }
}

describe('accounts: sign in and out through the Accounts menu', function () {
  const session = useSession({ journey: 'accounts' });

  it('offers Sign in with NemoVideo, signs in with a pasted token, shows the account and signs out there', async function () {
    const { page, sim } = session;
    // Opening the NemoVideo view activates the extension (it does not activate at startup).
    await openTimelineView(page);

    const { item: signIn } = await openAccountsMenuWith(page, 'Sign in with NemoVideo');
    await session.shot('accounts-menu-sign-in', page.locator('.monaco-menu').last());
    await signIn.click();

    await pickQuickInputItem(page, 'Paste an API token');
    const token = sim.createUserToken(2500);
    const input = page.locator('.quick-input-widget input[type="password"]');
    await input.waitFor({ state: 'visible' });
    await input.fill(token);
    await page.keyboard.press('Enter');
    await waitForNotification(page, /Signed in to NemoVideo with your API token\. 2,500 credits available\./);

    const { menu: signedIn, item: account } = await openAccountsMenuWith(page, 'Your API token (NemoVideo)');
    assert.equal(await menuItem(signedIn, 'Sign in with NemoVideo').count(), 0, 'the sign-in entry outlived the sign-in');
    assert.ok(!(await page.locator('.monaco-menu').last().innerText()).includes(token.slice(-8)), 'a part of the token is in the Accounts menu');
    await account.hover();
    const signOut = page.locator('.monaco-menu .action-item', { hasText: /^Sign Out$/ }).last();
    await signOut.waitFor({ state: 'visible' });
    await session.shot('accounts-menu-signed-in');
    // A submenu item can miss a click while the submenu is still opening: click until the menu closes.
    for (let attempt = 1; ; attempt++) {
      await signOut.click();
      if (await signOut.waitFor({ state: 'hidden', timeout: 3000 }).then(() => true, () => false)) break;
      if (attempt === 3) throw new Error('the Accounts menu stayed open after three clicks on Sign Out');
    }
    // VS Code asks before signing out of an account.
    const confirm = page.locator('.monaco-dialog-box').getByRole('button', { name: 'Sign Out' });
    if (await confirm.waitFor({ state: 'visible', timeout: 10000 }).then(() => true, () => false)) await confirm.click();
    await waitForNotification(page, /Signed out of NemoVideo/);

    const { menu } = await openAccountsMenuWith(page, 'Sign in with NemoVideo');
    assert.equal(await menuItem(menu, 'Your API token').count(), 0, 'the account is still in the Accounts menu after signing out');
    await page.keyboard.press('Escape');
  });
});
