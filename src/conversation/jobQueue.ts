// One thing at a time: chat runs, generations, exports and uploads of this
// window go through this queue, so a message typed while a video is being
// generated waits its turn instead of racing it (§4.9 "queue requests"), and
// several selections in a row each get their own run and file.
import * as vscode from 'vscode';

export interface Job {
  /** Shown next to the busy indicator. */
  label: string;
  run(signal: AbortSignal): Promise<void>;
  /** Called instead of run() when Stop dropped the job before it started. */
  dropped?(): void;
}

interface Entry {
  job: Job;
  done: () => void;
}

export class JobQueue implements vscode.Disposable {
  private readonly waiting: Entry[] = [];
  private current: { job: Job; abort: AbortController } | undefined;
  /** Work that runs beside the queue but still counts as busy (resumed renders). */
  private background = 0;
  private idleWaiters: Array<() => void> = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly onUnexpected: (e: unknown) => void) {}

  get busy(): boolean {
    return this.current !== undefined;
  }

  get currentLabel(): string | undefined {
    return this.current?.job.label;
  }

  /** Jobs waiting behind the current one. */
  get pending(): number {
    return this.waiting.length;
  }

  /** Resolves when the job has run (or was dropped). Never rejects: jobs report their own errors. */
  enqueue(job: Job): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push({ job, done: resolve });
      this.changed.fire();
      void this.pump();
    });
  }

  /** Aborts the job in progress and drops everything queued behind it. */
  stop(): boolean {
    const hadWork = this.current !== undefined || this.waiting.length > 0;
    for (const entry of this.waiting.splice(0)) {
      try {
        entry.job.dropped?.();
      } catch (e) {
        this.onUnexpected(e);
      }
      entry.done();
    }
    this.current?.abort.abort();
    this.changed.fire();
    this.settleIdle();
    return hadWork;
  }

  /** Counts `work` as busy for idle() without queueing it. */
  track<T>(work: Promise<T>): Promise<T> {
    this.background++;
    const end = () => {
      this.background--;
      this.settleIdle();
    };
    work.then(end, end);
    return work;
  }

  /** Resolves when nothing runs, nothing is queued and no background work is left. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return !this.current && this.waiting.length === 0 && this.background === 0;
  }

  private settleIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private async pump(): Promise<void> {
    if (this.current) return;
    const entry = this.waiting.shift();
    if (!entry) {
      this.settleIdle();
      return;
    }
    const abort = new AbortController();
    this.current = { job: entry.job, abort };
    this.changed.fire();
    try {
      await entry.job.run(abort.signal);
    } catch (e) {
      this.onUnexpected(e);
    } finally {
      this.current = undefined;
      entry.done();
      this.changed.fire();
      void this.pump();
    }
  }

  dispose(): void {
    this.stop();
    this.changed.dispose();
  }
}
