// The NemoVideo activity-bar container and its Timeline tree view.
import { activityBarEntry } from '../../../scripts/lib/workbench.mjs';

const sidebar = (page) => page.locator('.part.sidebar');

/** Opens the NemoVideo container from the activity bar (unless it is already showing). */
export async function openTimelineView(page, { timeout = 30000 } = {}) {
  const title = sidebar(page).locator('.composite.title');
  // After a reload the side bar can be hidden while its title still says NemoVideo.
  const showing = (await title.isVisible().catch(() => false)) && ((await title.textContent().catch(() => '')) ?? '').match(/NemoVideo/i);
  if (!showing) {
    await activityBarEntry(page, 'NemoVideo').click();
  }
  await sidebar(page).locator('.composite.title', { hasText: /NemoVideo/i }).waitFor({ timeout });
  await pointerAway(page);
  return sidebar(page);
}

/** The welcome content shown while the Timeline is empty. */
export function timelineWelcome(page) {
  return sidebar(page).locator('.welcome-view-content');
}

/**
 * The rows of the Timeline tree as { label, description, level } (level 1 = track,
 * 2 = segment), read from the rendered list like a person reads them.
 */
export async function treeRows(page) {
  return sidebar(page).locator('.monaco-list-row').evaluateAll((rows) => rows.map((row) => ({
    label: row.querySelector('.label-name')?.textContent?.trim() ?? '',
    description: row.querySelector('.label-description')?.textContent?.trim() ?? '',
    level: Number(row.getAttribute('aria-level') ?? 0),
  })));
}

/** Waits for a tree row whose text matches, and returns its locator. */
export async function waitForTreeRow(page, text, { timeout = 30000 } = {}) {
  const row = sidebar(page).locator('.monaco-list-row', { hasText: text }).first();
  await row.waitFor({ state: 'visible', timeout });
  return row;
}

/**
 * Waits until the tree shows at least `count` top-level rows (tracks): the view
 * fills in asynchronously after it is revealed, so reading it at once can see
 * an empty list.
 */
export async function waitForTracks(page, count = 1, { timeout = 30000 } = {}) {
  await sidebar(page).locator('.monaco-list-row[aria-level="1"]').nth(count - 1).waitFor({ state: 'visible', timeout });
}

/** Expands every collapsed row once (tracks -> segments). */
export async function expandAllRows(page) {
  const collapsed = sidebar(page).locator('.monaco-list-row[aria-expanded="false"]');
  for (let n = await collapsed.count(); n > 0; n = await collapsed.count()) {
    await collapsed.first().click();
  }
}

/** Clicks an action in the view's title bar (e.g. "Export Video", "Refresh Timeline"). */
export async function clickViewTitleAction(page, label) {
  const pane = sidebar(page);
  await pane.hover(); // title actions show on hover
  await pane.locator(`.title-actions .action-label[aria-label^="${label}"], .actions-container .action-label[aria-label^="${label}"]`).first().click();
  await pointerAway(page);
}

/** Moves the pointer off the view and lets its hover tooltip close, so no tooltip shows in screenshots. */
async function pointerAway(page) {
  await page.mouse.move(700, 500);
  await page.locator('.workbench-hover-container').first().waitFor({ state: 'hidden', timeout: 3000 }).catch(() => {});
}

/**
 * The NemoVideo activity-bar entry is drawn from the extension's icon file (a
 * CSS mask). A missing file leaves an invisible, yet clickable, entry, so check
 * what a person would see: that the icon image loads. Returns { url, status }.
 */
export async function activityBarIcon(page) {
  const label = activityBarEntry(page, 'NemoVideo').locator('xpath=self::a | .//a').first();
  return label.evaluate(async (el) => {
    const style = getComputedStyle(el);
    const mask = style.getPropertyValue('mask-image') || style.getPropertyValue('-webkit-mask-image') || style.backgroundImage;
    const url = /url\("?([^")]+)"?\)/.exec(mask)?.[1];
    if (!url) return { url: undefined, status: 0 };
    const res = await fetch(url);
    return { url, status: res.status, type: res.headers.get('content-type') };
  });
}
