// Notifications as a user sees them: toasts (bottom right), including
// progress notifications with their bar and Cancel button.
export {
  clearNotifications, clickNotificationButton, notificationTexts, notificationToasts, openNotificationCenter, waitForNotification,
} from '../../../scripts/lib/workbench.mjs';
import { notificationToasts } from '../../../scripts/lib/workbench.mjs';

/** Waits for a progress toast (one with a running progress bar) whose text matches. */
export async function waitForProgressNotification(page, text, { timeout = 30000 } = {}) {
  const toast = notificationToasts(page).filter({ hasText: text })
    .filter({ has: page.locator('.monaco-progress-container.active, .monaco-progress-container .progress-bit') }).first();
  await toast.waitFor({ state: 'visible', timeout });
  return toast;
}
