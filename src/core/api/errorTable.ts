// docs/protocol.md §11 as plain-language NemoErrors: one place decides what the
// user reads and which action the UI offers for every failure the client sees.
import { NemoError } from '../errors';
import type { Failure } from './envelope';
import { redact } from './redact';
import { ACCEPTED_FORMATS_TEXT } from './uploadTypes';
import { billingLink } from './endpoints';

export interface ErrorContext {
  /** True when the request used an anonymous token. */
  anonymous: boolean;
  /** `$WEB/register?bind=<user_id>` (or `$WEB/register` when the id is unknown). */
  registerLink: string;
  /** `$WEB`, where registered users top up. */
  webBaseUrl: string;
  /** /run_sse: nothing about it is ever "safe to repeat as is" (double charge). */
  runSse: boolean;
  /** Values to strip from anything that reaches `detail`. */
  secrets: ReadonlyArray<string | undefined>;
  /** Seconds from Retry-After (429). */
  retryAfterSeconds?: number;
}

export const MESSAGES = {
  tokenExpiredUser: 'Your NemoVideo token was rejected or has expired. Set a new token to continue.',
  tokenExpiredAnonymous:
    'NemoVideo did not accept the free starter sign-in, even after renewing it. Please try again later, or set your own NemoVideo token.',
  sessionNotFound: 'This project no longer exists on NemoVideo. Start a new project to continue (uploaded media must be sent again).',
  creditsAnonymous: 'You are out of free credits. Register at nemovideo.com to get more credits and keep this project.',
  creditsUser: 'You are out of credits. Top up at nemovideo.com to continue.',
  unsupportedFile: `NemoVideo does not accept this file type. Send a ${ACCEPTED_FORMATS_TEXT} file.`,
  fileTooLarge: 'This file is too large for NemoVideo. Compress or trim it, then try again.',
  missingClientId: 'NemoVideo could not identify this installation. Please try again.',
  exportBlocked: 'Register at nemovideo.com to unlock export.',
  exportBlockedUser: 'Your NemoVideo plan does not include export. Upgrade your plan at nemovideo.com to unlock it.',
  rateLimited: (s: number | undefined) =>
    s !== undefined ? `NemoVideo is busy right now. Please try again in ${s} s.` : 'NemoVideo is busy right now. Please try again in a minute.',
  badRequest: 'NemoVideo did not accept the request. This is a bug in the extension; please report it.',
  forbidden: 'NemoVideo refused this request for your account.',
  notFound: 'NemoVideo could not find what was asked for.',
  server: 'NemoVideo is having trouble right now. Please try again in a moment.',
  network: 'Cannot reach NemoVideo. Check your internet connection and try again.',
  invalidResponse: 'NemoVideo sent a reply this extension does not understand. Please try again later.',
  rejected: 'NemoVideo could not complete the request. Please try again.',
  cancelled: 'Cancelled.',
} as const;

export function toNemoError(f: Failure, ctx: ErrorContext): NemoError {
  const detail = redact(
    [f.detail, f.code !== undefined ? `code ${f.code}` : undefined, f.httpStatus !== undefined ? `HTTP ${f.httpStatus}` : undefined, f.serverMessage]
      .filter((x): x is string => !!x)
      .join(' · '),
    ctx.secrets,
  );
  const base = { code: f.code ?? f.httpStatus, httpStatus: f.httpStatus, detail };
  // A /run_sse send is never "retryable as is": repeating it could charge twice.
  const retryable = (yes: boolean) => yes && !ctx.runSse;

  switch (f.reason) {
    case 'auth':
      return ctx.anonymous
        ? new NemoError({ ...base, kind: 'tokenExpired', message: MESSAGES.tokenExpiredAnonymous, action: 'retry' })
        : new NemoError({ ...base, kind: 'tokenExpired', message: MESSAGES.tokenExpiredUser, action: 'reauth' });
    case 'sessionNotFound':
      return new NemoError({ ...base, kind: 'sessionNotFound', message: MESSAGES.sessionNotFound, action: 'newSession' });
    case 'credits':
      return ctx.anonymous
        ? new NemoError({ ...base, kind: 'insufficientCredits', message: MESSAGES.creditsAnonymous, action: 'register', link: ctx.registerLink })
        : new NemoError({ ...base, kind: 'insufficientCredits', message: MESSAGES.creditsUser, action: 'topUp', link: ctx.webBaseUrl });
    case 'unsupportedFile':
      return new NemoError({ ...base, kind: 'unsupportedFile', message: MESSAGES.unsupportedFile, action: 'chooseAnotherFile' });
    case 'fileTooLarge':
      return new NemoError({ ...base, kind: 'fileTooLarge', message: MESSAGES.fileTooLarge, action: 'compressFile' });
    case 'missingClientId':
      return new NemoError({ ...base, kind: 'missingClientId', message: MESSAGES.missingClientId, action: 'retry', retryable: true });
    case 'exportBlocked':
      // 402 is a plan/attribution issue, never credits (§11): no retry. A guest registers; a registered
      // user already has an account, so the way to export is a plan that includes it.
      return ctx.anonymous
        ? new NemoError({ ...base, kind: 'exportBlocked', message: MESSAGES.exportBlocked, action: 'register', link: ctx.registerLink })
        : new NemoError({ ...base, kind: 'exportBlocked', message: MESSAGES.exportBlockedUser, action: 'upgradePlan', link: billingLink(ctx.webBaseUrl) });
    case 'rateLimited':
      return new NemoError({
        ...base,
        kind: 'rateLimited',
        message: MESSAGES.rateLimited(ctx.retryAfterSeconds),
        action: 'wait',
        retryable: retryable(true),
        retryAfterSeconds: ctx.retryAfterSeconds,
      });
    case 'badRequest':
      return new NemoError({ ...base, kind: 'badRequest', message: MESSAGES.badRequest });
    case 'forbidden':
      return new NemoError({ ...base, kind: 'badRequest', message: MESSAGES.forbidden });
    case 'notFound':
      return new NemoError({ ...base, kind: 'badRequest', message: MESSAGES.notFound });
    case 'server':
      return new NemoError({ ...base, kind: 'server', message: MESSAGES.server, action: 'retry', retryable: retryable(true) });
    case 'network':
      return new NemoError({ ...base, kind: 'network', message: MESSAGES.network, action: 'retry', retryable: retryable(true) });
    case 'invalidResponse':
      return new NemoError({ ...base, kind: 'invalidResponse', message: MESSAGES.invalidResponse, action: 'retry', retryable: retryable(true) });
    case 'rejected':
      return new NemoError({ ...base, kind: 'unknown', message: MESSAGES.rejected, action: 'retry' });
  }
}

export function cancelledError(cause?: unknown): NemoError {
  return new NemoError({ kind: 'cancelled', message: MESSAGES.cancelled, cause });
}
