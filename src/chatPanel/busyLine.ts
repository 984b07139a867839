// The line beside Stop while the project works: what the running job does now (its
// kind, then "Working…" once the agent has the message, then the render's or the
// upload's progress), and which run numbers the streamed deltas. Posted as `busy`, and
// part of every snapshot (so a resync does not fall back to "Working…").
import * as vscode from 'vscode';
import { renderProgressText } from '../export/progressText';
import type { JobEvent, JobKind } from '../jobs/job';
import type { JobRunner } from '../jobs/runner';
import type { ProjectId } from '../projects/projects';
import type { Snapshot } from '../protocol';
import type { Transcript } from './transcript';

/** What the busy line says while a job runs, before it says more. */
function jobLabel(kind: JobKind): string | undefined {
  switch (kind) {
    case 'message':
      return vscode.l10n.t('Sending your message…');
    case 'generation':
      return vscode.l10n.t('Generating a video…');
    case 'update':
      return vscode.l10n.t('Updating the video…');
    case 'export':
      return vscode.l10n.t('Exporting the video…');
    case 'upload':
      return vscode.l10n.t('Uploading…');
    case 'resumeExports':
      return undefined;
  }
}

export class BusyLine {
  /** What the line says for a running job, once it says more than its kind's label. */
  private readonly labels = new Map<string, string>();
  /** The job whose agent run is in progress, if any: its id numbers the stream deltas. */
  private runId: string | undefined;

  constructor(
    private readonly runner: JobRunner,
    private readonly projectId: ProjectId,
    private readonly transcript: Transcript,
  ) {}

  /** One event of a job of the project. */
  handle(kind: JobKind, e: JobEvent): void {
    switch (e.type) {
      case 'runStarted':
        this.runId = e.jobId;
        // A generation's typical duration is documented (docs/protocol.md §4.9, §12: 100–300 s); a message's depends on what it asks.
        this.labels.set(e.jobId, kind === 'generation' ? vscode.l10n.t('Generating… (usually 2–5 min)') : vscode.l10n.t('Working…'));
        return this.post();
      case 'runEnded':
        if (this.runId === e.jobId) this.runId = undefined;
        return;
      case 'transfer': {
        const label = e.transfer.what === 'render' ? renderProgressText(e.transfer.progress).message : `${vscode.l10n.t('Uploading…')} ${Math.round(e.transfer.percent)}%`;
        if (label === this.labels.get(e.jobId)) return;
        this.labels.set(e.jobId, label);
        return this.post();
      }
      case 'result':
        this.labels.delete(e.jobId);
        if (this.runId === e.jobId) this.runId = undefined;
        return;
    }
  }

  /** The queue changed (a job started or ended): the line follows. */
  post(): void {
    const label = this.label();
    this.transcript.post({ type: 'busy', busy: this.runner.busy(this.projectId), ...(this.runId ? { runId: this.runId } : {}), ...(label ? { label } : {}) });
  }

  /** The busy part of a snapshot: whether the project works, the run in progress and the deltas its messages already hold. */
  snapshot(): Pick<Snapshot, 'busy' | 'runId' | 'lastSeq' | 'busyLabel' | 'busyElapsedMs'> {
    const runId = this.runId;
    const lastSeq = runId !== undefined ? this.transcript.lastSeq(runId) : undefined;
    const busyLabel = this.label();
    const startedAt = this.runner.running(this.projectId)?.startedAt;
    return {
      busy: this.runner.busy(this.projectId),
      ...(runId !== undefined ? { runId } : {}),
      ...(lastSeq !== undefined ? { lastSeq } : {}),
      ...(busyLabel !== undefined ? { busyLabel } : {}),
      ...(startedAt !== undefined ? { busyElapsedMs: Math.max(0, Date.now() - startedAt) } : {}),
    };
  }

  private label(): string | undefined {
    const job = this.runner.running(this.projectId);
    return job ? (this.labels.get(job.id) ?? jobLabel(job.request.kind)) : undefined;
  }
}
