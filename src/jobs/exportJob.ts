// Export Video as a job: the project's draft must be exportable (the one rule of
// core/jobs/draftReady.ts, asked once, before any question about where the file
// goes), then the target, then the render and the download (ExportService). The
// same steps follow a generation when automatic export is on.
import * as vscode from 'vscode';
import type { NemoClient } from '../core/api/client';
import { isCancellation, isNemoError } from '../core/errors';
import { exportableDraft } from '../core/jobs/draftReady';
import { buildTimeline } from '../core/timeline/build';
import type { ExportResult, ExportService } from '../export/exportService';
import type { ProjectRecord } from '../projects/projects';
import { failureEvent, type FailureDeps } from './failure';
import type { JobContext, JobWork } from './runner';

export interface ExportJobDeps extends FailureDeps {
  exporter: ExportService;
}

export function exportJob(d: ExportJobDeps): JobWork {
  return {
    run: async (ctx) => {
      await exportSteps(ctx, d, {});
    },
  };
}

/** The exports a closed or crashed window left, finished beside the queue; `again` when another look is due. */
export function resumeExportsJob(d: ExportJobDeps, again: () => void): JobWork {
  return {
    background: true,
    run: (ctx) =>
      d.exporter
        .resume(
          () => d.clients.get(),
          (r) => {
            if ('uri' in r) ctx.emit({ type: 'exported', file: r });
            else if (!isCancellation(r.error)) ctx.emit(failureEvent(d, r.error, 'export'));
          },
          again,
        )
        .catch((e: unknown) => d.log.failure('Could not resume the render jobs', e)),
  };
}

/** Renders the project's draft (`given.draft` when it is exportable, else the current one) and saves the MP4. */
export async function exportSteps(ctx: JobContext, d: ExportJobDeps, given: { api?: NemoClient; project?: ProjectRecord; draft?: unknown }): Promise<ExportResult | undefined> {
  try {
    const api = given.api ?? (await d.clients.get());
    const project = given.project ?? d.projects.get(ctx.projectId);
    if (!project) return noVideo(ctx);
    let draft: unknown;
    try {
      draft = await exportableDraft(given.draft, async () => {
        const state = await api.state(project.sessionId, ctx.signal);
        ctx.emit({ type: 'timeline', timeline: buildTimeline(state.draft) });
        return state.draft;
      });
    } catch (e) {
      if (isNemoError(e, 'noDraft')) return noVideo(ctx);
      throw e;
    }
    const target = await d.exporter.chooseTarget(project.title);
    ctx.emit({ type: 'progress', kind: 'render', text: vscode.l10n.t('⏳ Rendering and downloading the video…') });
    const file = await d.exporter.export({
      api,
      project,
      target,
      signal: ctx.signal,
      draft,
      onProgress: (progress) => ctx.emit({ type: 'transfer', transfer: { what: 'render', progress } }),
    });
    ctx.emit({ type: 'exported', file });
    await d.projects.markExported(project.id, { uri: file.uri.toString(), bytes: file.bytes });
    return file;
  } catch (e) {
    ctx.emit(failureEvent(d, e, 'export'));
    return undefined;
  }
}

function noVideo(ctx: JobContext): undefined {
  ctx.emit({ type: 'notice', text: vscode.l10n.t('There is no video to export yet. Generate one first.') });
  return undefined;
}
