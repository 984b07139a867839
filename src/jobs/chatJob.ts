// A message for the agent, as a job: typed in a chat, a Timeline edit, @nemo's free
// text, or a generation (a message made from a text, always in a new project). The
// core runs it (core/conversation/run.ts, which also fetches the state before and
// after within its own time bounds); the state decides what the run produced
// (core/conversation/outcome.ts). A generation that made the first video of its
// project is exported at once when automatic export is on.
import * as vscode from 'vscode';
import type { CreditBalance } from '../client/credits';
import type { NemoClient } from '../core/api/client';
import { systemClock } from '../core/clock';
import { mayOfferResend, producedResult } from '../core/conversation/outcome';
import { runMessage, type RunOutcome } from '../core/conversation/run';
import type { RunEvent } from '../core/conversation/runEvents';
import { isDraftExportable } from '../core/jobs/draftReady';
import type { SourceAnchor } from '../core/projects/sourceAnchor';
import { projectLanguageFor } from '../core/routing/language';
import { buildTimeline } from '../core/timeline/build';
import type { Timeline } from '../core/timeline/model';
import { titleFromText, type ProjectRecord } from '../projects/projects';
import { redactOut } from '../redaction';
import type { Settings } from '../settings';
import { exportSteps, type ExportJobDeps } from './exportJob';
import { failureEvent } from './failure';
import { chatJobEvent } from './chatRunEvents';
import { generationPrompt, updatePrompt, type GenerationRequest } from './generation';
import type { JobContext, JobWork } from './runner';

export interface ChatJobDeps extends ExportJobDeps {
  credits: CreditBalance;
  settings: Settings;
  /** The project's timeline as last shown, for when the run could not fetch the state. */
  knownTimeline(): Timeline | undefined;
}

/** A chat message: sent to the current project (made on first use). */
export function messageJob(d: ChatJobDeps, text: string): JobWork {
  return { message: text, run: (ctx) => runChat(ctx, d, { text, titleFrom: text }) };
}

/** A generation: a new project for each, so each text gets its own video and file. */
export function generationJob(d: ChatJobDeps, req: GenerationRequest): JobWork {
  const prompt = generationPrompt(req);
  return { message: prompt, run: (ctx) => runChat(ctx, d, { text: prompt, titleFrom: req.text, newProject: true }) };
}

/**
 * Update Video: the revised text as an edit of the project's video (its music, title and
 * style kept), exported under a new file name once the project changed; the project's
 * source then points at the revised text.
 */
export function updateJob(d: ChatJobDeps, source: SourceAnchor): JobWork {
  const text = updatePrompt(source.text);
  return {
    message: text,
    run: async (ctx) => {
      const project = d.projects.get(ctx.projectId);
      if (!project) {
        ctx.emit({ type: 'notice', text: vscode.l10n.t('This project has no video yet, so there is nothing to update.') });
        return;
      }
      let api: NemoClient;
      try {
        api = await d.clients.get();
      } catch (e) {
        ctx.emit(failureEvent(d, e, 'run', { resend: true }));
        return;
      }
      try {
        const changed = await runAgent(ctx, d, api, project, text, { generation: false, exportAfter: true });
        if (changed) await d.projects.setSource(project.id, source);
      } catch (e) {
        ctx.emit(failureEvent(d, e, 'run', { resend: false, api }));
      }
    },
  };
}


async function runChat(ctx: JobContext, d: ChatJobDeps, msg: { text: string; titleFrom: string; newProject?: boolean }): Promise<void> {
  let api: NemoClient;
  let project: ProjectRecord;
  const title = titleFromText(msg.titleFrom);
  // A new project speaks the language the user wrote in (§3.2), else the setting's or VS Code's.
  const language = projectLanguageFor(msg.titleFrom, d.settings.projectLanguage());
  try {
    api = await d.clients.get();
    const made = await d.projects.ensureSession(ctx.projectId, api, title, ctx.signal, language);
    project = made.project;
    if (msg.newProject && made.created) {
      ctx.emit({ type: 'notice', text: vscode.l10n.t('🆕 New video project "{0}". This may take a few minutes.', project.title) });
    }
  } catch (e) {
    // Before the run started (token, new project): nothing was sent, so sending again is safe.
    ctx.emit(failureEvent(d, e, 'run', { resend: true }));
    return;
  }
  try {
    await runAgent(ctx, d, api, project, msg.text, { generation: msg.newProject === true });
  } catch (e) {
    ctx.emit(failureEvent(d, e, 'run', { resend: true, api }));
  }
}

/** Runs the message; true when the project changed (the state shows a result). */
async function runAgent(ctx: JobContext, d: ChatJobDeps, api: NemoClient, project: ProjectRecord, text: string, opts: { generation: boolean; exportAfter?: boolean }): Promise<boolean> {
  const { signal } = ctx;
  // Whether the project already had a video is known after the run, from the state the
  // core fetched before sending: a run that made the first video of a project exports it.
  const hadVideoBefore = d.knownTimeline()?.exportable === true;
  let done: Extract<RunEvent, { type: 'done' }> | undefined;
  const stopNotices = api.onNotice((n) => ctx.emit({ type: 'progress', kind: 'status', text: `⏳ ${n.message}` }));
  let outcome: RunOutcome;
  try {
    outcome = await runMessage({
      api,
      sessionId: project.sessionId,
      text,
      clock: systemClock,
      signal,
      runId: ctx.id,
      onEvent: (e) => {
        if (e.type === 'done') done = e;
        const event = chatJobEvent(e);
        if (event) ctx.emit(event);
      },
    });
  } finally {
    stopNotices();
  }
  d.log.info(`Run ${ctx.id} ended: ${outcome.status}${outcome.error ? ` (${outcome.error.kind})` : ''}.`);

  const showResult = producedResult(outcome);
  if (outcome.status !== 'done' && showResult) {
    // The project changed before the run ended badly: that is the result; the error is a notice.
    if (outcome.error) d.log.warn(`Run ${ctx.id} ended with ${outcome.error.kind}${outcome.error.detail ? ` (${outcome.error.detail})` : ''}, but the project changed.`);
    const stopped = outcome.status === 'cancelled';
    ctx.emit({
      type: 'notice',
      endsStep: stopped ? 'cancelled' : 'failed',
      text: stopped
        ? vscode.l10n.t('⏹ Stopped. NemoVideo had already changed the project; this is what it made. Your message was not sent again.')
        : vscode.l10n.t('⚠️ {0} NemoVideo had already changed the project, so this is what it made; your message was not sent again.', redactOut(outcome.error?.message ?? '')),
    });
  }
  if (showResult) {
    if (done?.summary) ctx.emit({ type: 'summary', text: done.summary });
    const timeline = outcome.timeline ?? done?.timeline ?? (await currentTimeline(d, api, project));
    if (timeline) ctx.emit({ type: 'timeline', timeline });
    ctx.emit({ type: 'runResult', ...((timeline ?? d.knownTimeline()) ? { timeline: timeline ?? d.knownTimeline() } : {}) });
  } else if (outcome.status === 'error' && outcome.error) {
    if (outcome.error.kind === 'sessionNotFound') {
      // 1002: the old project is gone; the next message (or Send again) goes to a new one.
      await d.projects.replaceSession(project.id, api, signal).catch((e: unknown) => d.log.failure('Could not create a new project', e));
    }
    // Send again only where the state shows nothing was produced (a second generation costs twice).
    ctx.emit(failureEvent(d, outcome.error, 'run', { resend: mayOfferResend(outcome), api }));
  } else if (outcome.status === 'cancelled') {
    ctx.emit({ type: 'notice', text: vscode.l10n.t('⏹ Stopped. Your message was not sent again.') });
  }

  // The Projects view says whether the project has a video: a run that made or changed one leaves it ready;
  // a first generation that made nothing leaves it failed.
  if (showResult && project.state !== 'ready') await d.projects.markState(project.id, 'ready');
  else if (!showResult && project.state === 'generating') await d.projects.markState(project.id, 'failed');

  await d.credits.refresh().catch((e: unknown) => d.log.failure('Could not refresh the credits', e));

  const wasExportable = !opts.generation && (outcome.stateBefore ? isDraftExportable(outcome.stateBefore.draft) : hadVideoBefore);
  const autoExport = d.settings.forFolder(vscode.workspace.workspaceFolders?.[0]?.uri).autoExport;
  const exportNow = opts.exportAfter ? outcome.videoReady : !wasExportable && autoExport;
  if (showResult && outcome.status !== 'cancelled' && outcome.videoReady && exportNow && !signal.aborted) {
    ctx.emit({ type: 'progress', kind: 'status', text: vscode.l10n.t('🎬 The video is ready. Exporting it into the workspace…') });
    await exportSteps(ctx, d, { api, project, draft: outcome.stateAfter?.draft });
  }
  return showResult && outcome.status !== 'cancelled';
}

/** The project's timeline fresh from the server, when the run did not bring one; undefined when it cannot be read. */
async function currentTimeline(d: ChatJobDeps, api: NemoClient, project: ProjectRecord): Promise<Timeline | undefined> {
  try {
    return buildTimeline((await api.state(project.sessionId)).draft);
  } catch (e) {
    d.log.failure('Could not refresh the timeline', e);
    return undefined;
  }
}
