// An export's progress as the notification and the chat's busy line say it.
import * as vscode from 'vscode';
import type { RenderProgress } from '../core/jobs/renderJob';

/** An export's progress in words, and in percent of the whole export when that is known (rendering is 80 of it). */
export function renderProgressText(p: RenderProgress): { percent?: number; message: string } {
  switch (p.phase) {
    case 'submitting':
      return { percent: 0, message: vscode.l10n.t('Starting the render…') };
    case 'rendering':
      return p.percent !== undefined
        ? { percent: p.percent * 0.8, message: vscode.l10n.t('Rendering… {0}%', Math.round(p.percent)) }
        : { message: vscode.l10n.t('Rendering…') };
    case 'retrying':
      return { message: vscode.l10n.t('The render failed; trying once more…') };
    case 'downloading': {
      const part = p.totalBytes ? p.receivedBytes / p.totalBytes : 0;
      return {
        percent: 80 + part * 20,
        message: p.totalBytes ? vscode.l10n.t('Downloading… {0}%', Math.round(part * 100)) : vscode.l10n.t('Downloading… {0} MB', (p.receivedBytes / 1048576).toFixed(1)),
      };
    }
  }
}
