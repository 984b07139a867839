// The busy line's part of a snapshot: whether the project works, what it does, and how
// long its job has run, so a reloaded page or another project shown counts on from there.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { withFakeVscode } from '../../support/fakeVscodeFor';

const MODULE = path.resolve(__dirname, '../../../src/chatPanel/busyLine');
const PROGRESS_TEXT = path.resolve(__dirname, '../../../src/export/progressText');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { BusyLine } = withFakeVscode(require.resolve('../../support/fakeVscode'), [MODULE, PROGRESS_TEXT], () => require(MODULE) as typeof import('../../../src/chatPanel/busyLine'));

function lineFor(job: { id: string; request: { kind: string }; startedAt: number | undefined } | undefined) {
  const runner = { busy: () => job !== undefined, running: () => job };
  const transcript = { lastSeq: () => undefined, post: () => undefined };
  return new BusyLine(runner as never, 'p', transcript as never);
}

describe('chatPanel/BusyLine: the snapshot', () => {
  it('says how long the running job has run', () => {
    const before = Date.now();
    const s = lineFor({ id: 'j', request: { kind: 'generation' }, startedAt: before - 65_000 }).snapshot();
    assert.equal(s.busy, true);
    assert.equal(s.busyLabel, 'Generating a video…');
    assert.ok(s.busyElapsedMs !== undefined && s.busyElapsedMs >= 65_000 && s.busyElapsedMs <= Date.now() - before + 65_000, `elapsed ${s.busyElapsedMs}`);
  });

  it('says nothing of a duration when nothing runs, and never a negative one', () => {
    assert.equal(lineFor(undefined).snapshot().busyElapsedMs, undefined);
    assert.equal(lineFor({ id: 'j', request: { kind: 'message' }, startedAt: undefined }).snapshot().busyElapsedMs, undefined);
    // A start a little in the future (a clock step back) counts as just begun.
    assert.equal(lineFor({ id: 'j', request: { kind: 'message' }, startedAt: Date.now() + 10_000 }).snapshot().busyElapsedMs, 0);
  });
});
