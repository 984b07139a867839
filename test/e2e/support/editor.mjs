// The text editor, used with the keyboard: open a file through Quick Open,
// jump to a line, select a paragraph.
import { quickOpenFile } from '../../../scripts/lib/workbench.mjs';

export { quickOpenFile as openFile };

/** Go to Line: Quick Open with `:<line>`, then Enter. */
export async function goToLine(page, line) {
  const input = page.locator('.quick-input-widget input');
  await page.keyboard.press('F1');
  await input.waitFor({ state: 'visible' });
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden' });
}

/**
 * Selects from the start of `line` to the end of the file: in the fixture
 * script.md that is exactly the paragraph (Home, then Shift+Ctrl+End; immune to
 * word wrap, unlike Shift+End).
 */
export async function selectParagraphToEnd(page, line) {
  await goToLine(page, line);
  await page.keyboard.press('Home');
  await page.keyboard.press('Shift+Control+End');
  const status = page.locator('.statusbar-item[id="status.editor.selection"]');
  await status.filter({ hasText: /selected/ }).waitFor({ timeout: 10000 });
  return (await status.textContent())?.trim();
}
