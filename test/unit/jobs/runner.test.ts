// The JobRunner: jobs of one project in order, projects side by side, Stop and
// cancel(), work beside the queue, questions before the queue, and a result that says
// what the events said. The runner imports `vscode` only for its event emitters.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { JobEvent, JobRequest } from '../../../src/jobs/job';
import type { JobContext, JobWork } from '../../../src/jobs/runner';
import { withFakeVscode } from '../../support/fakeVscodeFor';

const RUNNER = path.resolve(__dirname, '../../../src/jobs/runner');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { JobRunner } = withFakeVscode(require.resolve('../../support/fakeVscode'), [RUNNER], () => require(RUNNER) as typeof import('../../../src/jobs/runner'));

/** A job's work that runs until the test releases it. */
class Gate {
  ctx: JobContext | undefined;
  private release!: () => void;
  readonly done = new Promise<void>((r) => (this.release = r));
  work(extra: Partial<JobWork> = {}): JobWork {
    return {
      ...extra,
      run: async (ctx) => {
        this.ctx = ctx;
        await Promise.race([this.done, new Promise<void>((r) => ctx.signal.addEventListener('abort', () => r(), { once: true }))]);
      },
    };
  }
  open(): void {
    this.release();
  }
}

const message = (projectId: string, text = 'hi'): JobRequest => ({ kind: 'message', projectId, text });
const settle = () => new Promise((r) => setImmediate(r));

function setup(workFor: (request: JobRequest) => JobWork) {
  const unexpected: unknown[] = [];
  const runner = new JobRunner(workFor, (e) => unexpected.push(e));
  const events: JobEvent[] = [];
  runner.onDidSubmit((job) => job.onEvent((e) => events.push(e)));
  const types = (jobId: string) => events.filter((e) => e.jobId === jobId).map((e) => e.type);
  return { runner, events, types, unexpected };
}

/** A runner whose jobs each wait on the next of `count` gates, in the order they start. */
function gated(count: number) {
  const gates = Array.from({ length: count }, () => new Gate());
  let n = 0;
  return { gates, ...setup(() => gates[n++].work()) };
}

describe('jobs/JobRunner', () => {
  it('runs the jobs of one project one at a time, in order; the second says it waits', async () => {
    const { gates, runner, types } = gated(2);
    const first = runner.submit(message('p'));
    const second = runner.submit(message('p'));
    assert.equal(runner.busy('p'), true);
    assert.equal(runner.pending('p'), 1);
    assert.deepEqual(types(second.id), ['queued']);
    gates[0].open();
    assert.equal((await first.result).status, 'done');
    await settle();
    assert.deepEqual(types(second.id), ['queued', 'started']);
    gates[1].open();
    await second.result;
    await runner.idle();
    assert.deepEqual(types(first.id), ['started', 'result']);
  });

  it('a job knows when it began: not while it waits, from its start on', async () => {
    const { gates, runner } = gated(2);
    const before = Date.now();
    const first = runner.submit(message('p'));
    const second = runner.submit(message('p'));
    assert.ok(first.startedAt !== undefined && first.startedAt >= before && first.startedAt <= Date.now(), `started at ${first.startedAt}`);
    assert.equal(second.startedAt, undefined, 'a waiting job has not begun');
    assert.equal(runner.running('p')?.startedAt, first.startedAt);
    gates[0].open();
    await first.result;
    await settle();
    assert.ok(second.startedAt !== undefined && second.startedAt >= first.startedAt!, 'the second began when its turn came');
    gates[1].open();
    await runner.idle();
  });

  it('runs jobs of different projects side by side, every event naming its job and project', async () => {
    const { gates, runner, events } = gated(2);
    const a = runner.submit(message('a'));
    const b = runner.submit(message('b'));
    assert.equal(runner.busy('a') && runner.busy('b'), true, 'both run at once');
    gates.forEach((g) => g.open());
    await Promise.all([a.result, b.result]);
    assert.ok(events.every((e) => (e.jobId === a.id ? e.projectId === 'a' : e.projectId === 'b')));
  });

  it('Stop aborts the running job and drops the waiting ones; other projects go on', async () => {
    const { gates, runner, types } = gated(3);
    const running = runner.submit(message('p'));
    const waiting = runner.submit(message('p'));
    const other = runner.submit(message('q'));
    assert.equal(runner.stop('p'), true);
    assert.equal((await running.result).status, 'cancelled');
    assert.equal((await waiting.result).status, 'dropped');
    assert.deepEqual(types(waiting.id), ['queued', 'dropped', 'result']);
    assert.equal(runner.busy('q'), true, 'the other project was not stopped');
    gates[2].open();
    assert.equal((await other.result).status, 'done');
    assert.equal(runner.stop('p'), false, 'nothing left to stop');
  });

  it('cancel() ends only its own job: a waiting one is dropped, the running one goes on', async () => {
    const { gates, runner } = gated(2);
    const running = runner.submit(message('p'));
    const waiting = runner.submit(message('p'));
    waiting.cancel();
    assert.equal((await waiting.result).status, 'dropped');
    assert.equal(runner.busy('p'), true);
    gates[0].open();
    assert.equal((await running.result).status, 'done');
  });

  it('work beside the queue runs at once, never makes the project busy, and counts for idle()', async () => {
    const gate = new Gate();
    const { runner } = setup(() => gate.work({ background: true }));
    const job = runner.submit({ kind: 'resumeExports', projectId: 'p' });
    assert.equal(runner.busy('p'), false);
    let idle = false;
    const waited = runner.idle().then(() => (idle = true));
    await settle();
    assert.equal(idle, false, 'idle while background work runs');
    gate.open();
    await job.result;
    await waited;
  });

  it('asks its questions before it queues: declined work never queues or starts', async () => {
    const { runner, types } = setup(() => ({ prepare: async () => false, run: async () => assert.fail('ran') }));
    const job = runner.submit({ kind: 'upload', projectId: 'p' });
    assert.equal((await job.result).status, 'declined');
    assert.deepEqual(types(job.id), ['result']);
    assert.equal(runner.busy('p'), false);
  });

  it('the result says what the events said; a front end that throws breaks neither the job nor the others', async () => {
    const timeline = { tracks: [], exportable: false };
    const { runner, unexpected } = setup(() => ({
      run: async (ctx) => {
        ctx.emit({ type: 'error', error: new Error('x'), text: '⚠️ x', remedies: [] });
        ctx.emit({ type: 'timeline', timeline });
        return { uploaded: [] };
      },
    }));
    const seen: string[] = [];
    const job = runner.submit(message('p'), (e) => {
      seen.push(e.type);
      if (e.type === 'error') throw new Error('a broken front end');
    });
    const result = await job.result;
    assert.deepEqual(result, { status: 'done', errors: ['⚠️ x'], timeline, uploaded: [] });
    assert.deepEqual(seen, ['started', 'error', 'timeline', 'result']);
    assert.equal(unexpected.length, 1);
  });
});
