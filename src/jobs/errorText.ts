// A NemoError in plain language (docs/protocol.md §11): the text every front end
// shows (the chat panel's error card, notifications, @nemo, the language-model
// tool) and the remedies the user can take, each front end as its own buttons.
// Sending again is offered only where repeating is safe, and even then it never
// happens by itself: it is a new, explicit request with the same text.
import * as vscode from 'vscode';
import { isResendSafeKind } from '../core/conversation/outcome';
import { billingLink } from '../core/api/endpoints';
import type { NemoError } from '../core/errors';

/** Something the user can do about an error. */
export interface Remedy {
  kind: 'resend' | 'exportAgain' | 'showTimeline' | 'newProject' | 'setToken' | 'openLink';
  label: string;
  /** For openLink: an https URL. */
  url?: string;
}

export type FailedOperation = 'run' | 'export' | 'upload' | 'other';

export interface ErrorContext {
  /** What failed: a chat run can be sent again, an export run again. */
  operation: FailedOperation;
  /** For runs: sending the same text again is safe (nothing was produced). */
  resend?: boolean;
  tokenIsAnonymous: boolean;
  /** `$WEB/register?bind=…` when known. */
  registerLink?: string;
  webBaseUrl: string;
}

export interface ErrorText {
  /** Starts with ⚠️. */
  text: string;
  remedies: Remedy[];
}

const EXPORT_RETRY_SAFE = new Set<NemoError['kind']>(['network', 'server', 'renderFailed', 'renderTimeout', 'downloadFailed', 'rateLimited', 'invalidResponse', 'unknown']);

export function describeNemoError(error: NemoError, ctx: ErrorContext): ErrorText {
  const actions: Remedy[] = [];
  const link = (label: string, url: string | undefined) => {
    if (url && url.startsWith('https:')) actions.push({ kind: 'openLink', label, url });
  };
  let text: string;
  switch (error.kind) {
    case 'insufficientCredits':
      if (ctx.tokenIsAnonymous) {
        text = vscode.l10n.t('You are out of credits. Register for free to get more credits and keep this project.');
        link(vscode.l10n.t('Register'), ctx.registerLink ?? error.link ?? `${ctx.webBaseUrl}/register`);
      } else {
        text = vscode.l10n.t('You are out of credits. Top up at nemovideo.com, then try again.');
        link(vscode.l10n.t('Top up'), error.link ?? ctx.webBaseUrl);
      }
      break;
    case 'exportBlocked':
      // 402 is the plan, not credits (docs/protocol.md §11): registering is the way up only for a guest.
      if (ctx.tokenIsAnonymous) {
        text = vscode.l10n.t('Register at nemovideo.com to unlock export.');
        link(vscode.l10n.t('Register'), ctx.registerLink ?? error.link ?? `${ctx.webBaseUrl}/register`);
      } else {
        text = vscode.l10n.t('Your NemoVideo plan does not include export. Upgrade your plan at nemovideo.com, then export again.');
        link(vscode.l10n.t('Upgrade plan'), billingLink(ctx.webBaseUrl));
      }
      break;
    case 'tokenExpired':
      if (ctx.tokenIsAnonymous) text = vscode.l10n.t('The session expired and could not be renewed. Try again in a moment.');
      else {
        text = vscode.l10n.t('Your NemoVideo API token was not accepted (it may have expired or been revoked). Set a new token.');
        actions.push({ kind: 'setToken', label: vscode.l10n.t('Set token') });
      }
      break;
    case 'sessionNotFound':
      if (ctx.operation === 'run') {
        text = vscode.l10n.t('The project was no longer found on the server, so a new project was started. Press Send again to repeat your request in it.');
      } else {
        text = vscode.l10n.t('This video project no longer exists on the server. Start a new one.');
        actions.push({ kind: 'newProject', label: vscode.l10n.t('New project') });
      }
      break;
    case 'rateLimited':
      text = vscode.l10n.t('The server is busy. Wait a minute, then try again.');
      break;
    case 'streamTimeout':
      text = vscode.l10n.t('The server stopped answering. The work may still finish: check the timeline before sending again.');
      actions.push({ kind: 'showTimeline', label: vscode.l10n.t('Show timeline') });
      break;
    case 'streamDropped':
      text = vscode.l10n.t('The connection was lost and the project did not change. Check the timeline before sending again.');
      actions.push({ kind: 'showTimeline', label: vscode.l10n.t('Show timeline') });
      break;
    case 'network':
      text = vscode.l10n.t('Could not reach NemoVideo. Check your connection (and proxy settings), then try again.');
      break;
    case 'noDraft':
      text = vscode.l10n.t('There is no video to export yet. Generate one first.');
      break;
    case 'renderFailed':
      text = vscode.l10n.t('Export failed, please try again later.');
      break;
    case 'renderTimeout':
      text = vscode.l10n.t('The export took too long. Try again later.');
      break;
    case 'downloadFailed':
      // A failure that trying again cannot fix (disk full, folder not writable, over the size
      // limit) keeps the core's own sentence, which says what to change.
      text = error.retryable ? vscode.l10n.t('The video could not be downloaded. Try the export again.') : error.message;
      break;
    case 'unsupportedFile':
    case 'fileTooLarge':
    case 'agentError':
    case 'streamError':
    case 'server':
    default:
      text = error.message || vscode.l10n.t('Something went wrong.');
      break;
  }
  // The caller says resend only when the state showed nothing was produced (core/conversation/outcome.ts).
  if (ctx.operation === 'run' && ctx.resend && isResendSafeKind(error.kind)) {
    actions.unshift({ kind: 'resend', label: vscode.l10n.t('Send again') });
  }
  if (ctx.operation === 'export' && EXPORT_RETRY_SAFE.has(error.kind)) {
    actions.unshift({ kind: 'exportAgain', label: vscode.l10n.t('Export again') });
  }
  return { text: `⚠️ ${text}`, remedies: actions.slice(0, 6) };
}
