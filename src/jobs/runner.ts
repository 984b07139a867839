// The one runner every front end starts its work through. Jobs of one project run
// one at a time, in the order they were submitted: a message typed while a video is
// being generated waits its turn instead of racing it (§4.9 "queue requests"), and
// several selections in a row each get their own run and file. Each project has its
// own queue, so projects can work side by side. A job that only finishes what an
// earlier window left runs beside the queue.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { ProjectId } from '../projects/projects';
import type { Job, JobEvent, JobEventBody, JobRequest, JobResult } from './job';

/** What a job's work gets: its identity, its signal (Stop, cancel()) and the way to report. */
export interface JobContext {
  readonly id: string;
  readonly projectId: ProjectId;
  readonly signal: AbortSignal;
  emit(event: JobEventBody): void;
}

/** How one job is done. */
export interface JobWork {
  /** What the job sends to the agent (shown as the user's message). */
  message?: string;
  /** Runs at once, before the job is queued (questions to the user); false: the user backed out. */
  prepare?(ctx: JobContext): Promise<boolean>;
  /** Runs when the job's turn comes; reports through ctx.emit and never needs to throw. */
  run(ctx: JobContext): Promise<Partial<Pick<JobResult, 'uploaded'>> | void>;
  /** Runs beside its project's queue at once (it never makes the project busy). */
  background?: boolean;
}

export class JobRunner implements vscode.Disposable {
  private readonly queues = new Map<ProjectId, ProjectQueue>();
  private readonly beside = new Set<RunningJob>();
  private idleWaiters: Array<() => void> = [];
  private readonly submitted = new vscode.EventEmitter<Job>();
  private readonly changed = new vscode.EventEmitter<ProjectId>();
  /** Fires inside submit(), before the job's first event: subscribe to its events here to see all of them. */
  readonly onDidSubmit = this.submitted.event;
  /** A project's queue changed: a job started, ended, was queued or dropped. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly workFor: (request: JobRequest) => JobWork,
    private readonly onUnexpected: (e: unknown) => void,
  ) {}

  submit(request: JobRequest, listener?: (event: JobEvent) => void): Job {
    const work = this.workFor(request);
    const job = new RunningJob(request, work, (j) => this.cancel(j), this.onUnexpected);
    if (listener) job.onEvent(listener);
    this.submitted.fire(job);
    if (work.prepare) void this.prepareThenAdmit(job, work.prepare);
    else this.admit(job);
    return job;
  }

  /** True while a job of the project runs (not counting work beside the queue). */
  busy(projectId: ProjectId): boolean {
    return this.queues.get(projectId)?.current !== undefined;
  }

  /** Jobs of the project waiting behind the current one. */
  pending(projectId: ProjectId): number {
    return this.queues.get(projectId)?.waiting.length ?? 0;
  }

  /** The job of the project that runs now. */
  running(projectId: ProjectId): Job | undefined {
    return this.queues.get(projectId)?.current;
  }

  /** Stop: aborts the project's job in progress and drops everything queued behind it. */
  stop(projectId: ProjectId): boolean {
    const q = this.queues.get(projectId);
    if (!q) return false;
    const hadWork = q.current !== undefined || q.waiting.length > 0;
    for (const job of q.waiting.splice(0)) job.drop();
    q.current?.abort();
    this.changed.fire(projectId);
    this.settleIdle();
    return hadWork;
  }

  /** Resolves when no job runs or waits, in any project. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  dispose(): void {
    for (const projectId of [...this.queues.keys()]) this.stop(projectId);
    for (const job of this.beside) job.abort();
    this.submitted.dispose();
    this.changed.dispose();
  }

  // ---------------------------------------------------------------------------

  private async prepareThenAdmit(job: RunningJob, prepare: (ctx: JobContext) => Promise<boolean>): Promise<void> {
    let go = false;
    try {
      go = await prepare(job.context);
    } catch (e) {
      this.onUnexpected(e);
    }
    if (!go || job.signal.aborted) job.finish({ status: 'declined' });
    else this.admit(job);
  }

  private admit(job: RunningJob): void {
    if (job.work.background) {
      this.beside.add(job);
      void this.execute(job).finally(() => {
        this.beside.delete(job);
        this.settleIdle();
      });
      return;
    }
    const q = this.queue(job.projectId);
    if (q.current || q.waiting.length > 0) job.emit({ type: 'queued' });
    q.waiting.push(job);
    this.changed.fire(job.projectId);
    void this.pump(q);
  }

  private cancel(job: RunningJob): void {
    const q = this.queues.get(job.projectId);
    const i = q?.waiting.indexOf(job) ?? -1;
    if (q && i >= 0) {
      q.waiting.splice(i, 1);
      job.drop();
      this.changed.fire(job.projectId);
      this.settleIdle();
      return;
    }
    job.abort();
  }

  private queue(projectId: ProjectId): ProjectQueue {
    let q = this.queues.get(projectId);
    if (!q) this.queues.set(projectId, (q = { projectId, waiting: [], current: undefined }));
    return q;
  }

  private async pump(q: ProjectQueue): Promise<void> {
    if (q.current) return;
    const job = q.waiting.shift();
    if (!job) {
      this.settleIdle();
      return;
    }
    q.current = job;
    this.changed.fire(q.projectId);
    try {
      await this.execute(job);
    } finally {
      q.current = undefined;
      this.changed.fire(q.projectId);
      void this.pump(q);
    }
  }

  private async execute(job: RunningJob): Promise<void> {
    let extra: Partial<JobResult> | void = undefined;
    job.emit({ type: 'started' });
    try {
      extra = await job.work.run(job.context);
    } catch (e) {
      this.onUnexpected(e);
    }
    job.finish({ status: job.signal.aborted ? 'cancelled' : 'done', ...(extra ?? {}) });
  }

  private isIdle(): boolean {
    return this.beside.size === 0 && [...this.queues.values()].every((q) => !q.current && q.waiting.length === 0);
  }

  private settleIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}

interface ProjectQueue {
  projectId: ProjectId;
  waiting: RunningJob[];
  current: RunningJob | undefined;
}

/** A job and its bookkeeping: the listeners, the abort controller and what its events said. */
class RunningJob implements Job {
  readonly id = randomUUID();
  readonly projectId: ProjectId;
  readonly message: string | undefined;
  readonly result: Promise<JobResult>;
  readonly context: JobContext;
  private readonly control = new AbortController();
  private readonly listeners = new Set<(event: JobEvent) => void>();
  private readonly seen: Pick<JobResult, 'errors' | 'timeline' | 'exported'> = { errors: [] };
  private settle!: (r: JobResult) => void;
  private finished = false;
  startedAt: number | undefined;

  constructor(
    readonly request: JobRequest,
    readonly work: JobWork,
    private readonly cancelled: (job: RunningJob) => void,
    private readonly onUnexpected: (e: unknown) => void,
  ) {
    this.projectId = request.projectId;
    this.message = work.message;
    this.result = new Promise((resolve) => (this.settle = resolve));
    this.context = { id: this.id, projectId: this.projectId, signal: this.control.signal, emit: (e) => this.emit(e) };
  }

  get signal(): AbortSignal {
    return this.control.signal;
  }

  onEvent(listener: (event: JobEvent) => void): vscode.Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  cancel(): void {
    if (!this.finished) this.cancelled(this);
  }

  abort(): void {
    this.control.abort();
  }

  drop(): void {
    this.control.abort();
    this.emit({ type: 'dropped' });
    this.finish({ status: 'dropped' });
  }

  emit(body: JobEventBody): void {
    if (this.finished) return;
    if (body.type === 'started') this.startedAt = Date.now();
    if (body.type === 'error') this.seen.errors.push(body.text);
    if (body.type === 'timeline' || (body.type === 'runResult' && body.timeline)) this.seen.timeline = body.timeline;
    if (body.type === 'exported') this.seen.exported = body.file;
    const event = { ...body, jobId: this.id, projectId: this.projectId } as JobEvent;
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (e) {
        // A broken front end must not break the job or the other front ends.
        this.onUnexpected(e);
      }
    }
  }

  finish(end: Omit<JobResult, 'errors'> & Partial<Pick<JobResult, 'errors'>>): void {
    if (this.finished) return;
    const result: JobResult = { ...this.seen, ...end, errors: this.seen.errors };
    this.emit({ type: 'result', result });
    this.finished = true;
    this.listeners.clear();
    this.settle(result);
  }
}
