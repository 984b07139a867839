// What one chat run reports (core/conversation/runEvents.ts), as the events of its
// job: the reply stays delta-shaped, tool calls and timers become progress lines in
// plain words, a question is worded with its options.
import * as vscode from 'vscode';
import type { RunEvent } from '../core/conversation/runEvents';
import type { JobEventBody } from './job';

/** What the run reports, as the job's events: the reply as deltas, tool calls as progress lines. */
export function chatJobEvent(e: RunEvent): JobEventBody | undefined {
  switch (e.type) {
    case 'started':
      return { type: 'runStarted' };
    case 'textDelta':
    case 'textRetracted':
    case 'text':
    case 'suggestedAction':
      return e;
    case 'progress':
      return { type: 'progress', kind: 'step', text: `⚙️ ${e.label}` };
    case 'stillWorking':
      return { type: 'progress', kind: 'status', text: vscode.l10n.t('⏳ Still working… ({0} min)', Math.max(1, Math.round(e.elapsedMs / 60_000))) };
    case 'question': {
      const options = e.options?.length ? '\n' + e.options.map((o, i) => `${i + 1}. ${o}`).join('\n') : '';
      return e.options?.length ? { type: 'question', text: `❓ ${e.text}${options}`, options: e.options } : { type: 'question', text: `❓ ${e.text}` };
    }
    case 'recovering':
      return { type: 'progress', kind: 'status', text: vscode.l10n.t('🔌 Connection lost. Checking the project for results ({0} of {1})…', e.attempt, e.max) };
    case 'done':
      return { type: 'runEnded', status: 'done' };
    case 'error':
      return { type: 'runEnded', status: 'error' };
    case 'cancelled':
      return { type: 'runEnded', status: 'cancelled' };
  }
}
