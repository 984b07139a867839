// The NemoVideo activity-bar container and its Timeline tree view.
import { activityBarEntry, runFromCommandPalette } from '../../../scripts/lib/workbench.mjs';

const sidebar = (page) => page.locator('.part.sidebar');
/** The Timeline's pane of the NemoVideo container (the Projects view sits above it). */
const timelinePane = (page) => sidebar(page).locator('.pane', { has: page.locator('.pane-header', { hasText: /^Timeline/i }) });

/** Opens the NemoVideo container (unless it is already showing). */
export async function openTimelineView(page, { timeout = 30000 } = {}) {
  const title = sidebar(page).locator('.composite.title', { hasText: /NemoVideo/i });
  const deadline = Date.now() + timeout;
  if (!(await title.isVisible().catch(() => false))) {
    // The activity-bar entry toggles: clicking it while NemoVideo is already the
    // container (just after a reload, before the side bar has drawn) hides it again.
    // So click only an entry that is not checked, and otherwise ask for the view
    // itself, as the palette does; that never hides anything.
    const entry = activityBarEntry(page, 'NemoVideo');
    const checked = await entry.evaluate((el) => !!el.closest('.action-item')?.classList.contains('checked')).catch(() => true);
    if (!checked && await sidebar(page).isVisible().catch(() => false)) await entry.click();
    else await runFromCommandPalette(page, 'NemoVideo: Focus on Timeline View');
    const first = await title.waitFor({ timeout: Math.min(10000, timeout) }).then(() => true, () => false);
    if (!first) await runFromCommandPalette(page, 'NemoVideo: Focus on Timeline View');
  }
  await title.waitFor({ timeout: Math.max(1000, deadline - Date.now()) });
  await pointerAway(page);
  return sidebar(page);
}

/** The welcome content shown while the Timeline is empty. */
export function timelineWelcome(page) {
  return timelinePane(page).locator('.welcome-view-content');
}

/**
 * The rows of the Timeline tree as { label, description, level } (level 1 = track,
 * 2 = segment), read from the rendered list like a person reads them.
 */
export async function treeRows(page) {
  return timelinePane(page).locator('.monaco-list-row').evaluateAll((rows) => rows.map((row) => ({
    label: row.querySelector('.label-name')?.textContent?.trim() ?? '',
    description: row.querySelector('.label-description')?.textContent?.trim() ?? '',
    level: Number(row.getAttribute('aria-level') ?? 0),
  })));
}

/** Waits for a tree row whose text matches, and returns its locator. */
export async function waitForTreeRow(page, text, { timeout = 30000 } = {}) {
  const row = timelinePane(page).locator('.monaco-list-row', { hasText: text }).first();
  await row.waitFor({ state: 'visible', timeout });
  return row;
}

/**
 * Waits until the tree shows at least `count` top-level rows (tracks): the view
 * fills in asynchronously after it is revealed, so reading it at once can see
 * an empty list.
 */
export async function waitForTracks(page, count = 1, { timeout = 30000 } = {}) {
  await timelinePane(page).locator('.monaco-list-row[aria-level="1"]').nth(count - 1).waitFor({ state: 'visible', timeout });
}

/** Expands every collapsed row once (tracks -> segments). */
export async function expandAllRows(page) {
  const collapsed = timelinePane(page).locator('.monaco-list-row[aria-expanded="false"]');
  for (let n = await collapsed.count(); n > 0; n = await collapsed.count()) {
    await collapsed.first().click();
  }
}

/** Clicks an action in the view's title bar (e.g. "Export Video", "Refresh Timeline"). */
export async function clickViewTitleAction(page, label) {
  const action = `.action-label[aria-label^="${label}"]`;
  // A view's title actions show while the pointer is over its own header (or the side bar's title, with one view).
  const header = sidebar(page).locator('.pane-header', { has: page.locator(action) }).first();
  await ((await header.count()) ? header : sidebar(page)).hover();
  await sidebar(page).locator(`.title-actions ${action}, .actions-container ${action}`).first().click();
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
