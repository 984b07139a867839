// Render jobs (§3.8–3.11, §7). A job's status is computed from the clock when it
// is polled (pending -> processing -> completed|failed), so no timer runs per job.
import type { RenderRecordStats } from './types';

export interface RenderJob {
  id: string;
  sessionId: string;
  userId: string;
  createdAt: number;
  durationMs: number;
  pendingMs: number;
  /** renderFail: the job ends `failed` instead of `completed`. */
  failMessage?: string;
  outputUrl: string;
  /** Playback length written into output.duration (from the draft). */
  seconds?: number;
  cancelledAt?: number;
  attempts: number;
  polls: number;
  downloads: number;
  /** brokenDownload fired for this job: downloads are cut halfway ('cdn', 'fallback' or both). */
  broken?: 'cdn' | 'fallback' | 'both';
  hostile: boolean;
}

export type RenderStatusValue = 'pending' | 'processing' | 'completed' | 'failed';

export interface RenderView {
  status: RenderStatusValue;
  progress: number;
  completedAt?: number;
  error?: string;
}

export function viewOf(job: RenderJob, now: number): RenderView {
  if (job.cancelledAt !== undefined) return { status: 'failed', progress: 0, completedAt: job.cancelledAt, error: 'Render cancelled' };
  const elapsed = now - job.createdAt;
  if (elapsed >= job.durationMs) {
    const completedAt = job.createdAt + job.durationMs;
    return job.failMessage ? { status: 'failed', progress: 60, completedAt, error: job.failMessage } : { status: 'completed', progress: 100, completedAt };
  }
  if (elapsed < job.pendingMs) return { status: 'pending', progress: 5 };
  const share = (elapsed - job.pendingMs) / Math.max(1, job.durationMs - job.pendingMs);
  return { status: 'processing', progress: Math.min(95, Math.max(5, 5 + Math.floor(share * 90))) };
}

export class RenderRegistry {
  readonly jobs = new Map<string, RenderJob>();

  reset(): void {
    this.jobs.clear();
  }

  /** The job if it exists and belongs to the user (others' jobs look absent). */
  of(userId: string, id: string): RenderJob | undefined {
    const j = this.jobs.get(id);
    return j && j.userId === userId ? j : undefined;
  }

  stats(now: number): Record<string, RenderRecordStats> {
    const out: Record<string, RenderRecordStats> = {};
    for (const j of this.jobs.values()) {
      out[j.id] = { status: viewOf(j, now).status, attempts: j.attempts, polls: j.polls, downloads: j.downloads, sessionId: j.sessionId };
    }
    return out;
  }
}
