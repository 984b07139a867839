// Detaching from a render job (the window closes mid-render): apart from the render job
// itself, so that the stores and the export service need not load the render and download
// code (src/lazy/chunks.ts) to stop following a job.
import { isNemoError, NemoError } from '../errors';

export const EXPORT_CANCELLED_MESSAGE = 'Export cancelled.';

/**
 * Abort reason that stops following a render WITHOUT cancelling it: `controller.abort(DETACH)`.
 * Used when the window closes mid-render; the persisted record lets the next window resume it.
 */
export const DETACH: unique symbol = Symbol('nemo.render.detach');

/** The error a job ends with when it was detached (DETACH): not the user's cancel, and its record stays for the next owner. */
export function detachedError(cause?: unknown): NemoError {
  return new NemoError({ kind: 'cancelled', message: EXPORT_CANCELLED_MESSAGE, detail: 'detached', ...(cause !== undefined ? { cause } : {}) });
}

/** True for the error of a detached job (see DETACH): leave its record alone. */
export function isDetached(e: unknown): boolean {
  return isNemoError(e, 'cancelled') && e.detail === 'detached';
}
