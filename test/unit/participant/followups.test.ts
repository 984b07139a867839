// The follow-ups under an @nemo answer follow what the answer left: Export only for
// a video that can be exported and was not just saved, edits only where there is a
// project, nothing after a failure, a stop or an answer without a project; edits go
// to /edit, never back to /generate (which would spend credits again).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { withFakeVscode } from '../../support/fakeVscodeFor';

const MODULE = path.resolve(__dirname, '../../../src/participant/followups');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { followupsFor } = withFakeVscode(require.resolve('../../support/fakeVscode'), [MODULE], () => require(MODULE) as typeof import('../../../src/participant/followups'));

const labels = (metadata: unknown) => followupsFor(metadata).map((f) => `${f.command} ${f.label}`);

describe('participant/followups', () => {
  const table: Array<[string, unknown, string[]]> = [
    ['a generation that was not saved yet', { command: 'generate', project: true, exportable: true, errors: 0 }, ['export Export', 'edit Make it shorter', 'edit Add music']],
    ['a generation that was saved', { command: 'generate', project: true, exportable: true, exported: 'file:///v.mp4', errors: 0 }, ['edit Make it shorter', 'edit Add music']],
    ['an export', { command: 'export', project: true, exportable: true, exported: 'file:///v.mp4', errors: 0 }, ['edit Make it shorter', 'edit Add music']],
    ['a timeline that cannot be exported yet', { command: 'edit', project: true, exportable: false, errors: 0 }, ['edit Make it shorter', 'edit Add music']],
    ['status of an exportable project', { command: 'status', project: true, exportable: true }, ['export Export', 'edit Make it shorter', 'edit Add music']],
    ['status without a project', { command: 'status', project: false }, []],
    ['an answer with errors', { command: 'export', project: true, exportable: true, errors: 1 }, []],
    ['a stopped answer', { command: 'edit', project: true, exportable: true, cancelled: true, errors: 0 }, []],
    ['a failed answer', { command: 'generate', failed: true }, []],
    ['credits', { command: 'credits', available: 3 }, []],
    ['help', { command: 'help' }, []],
    ['no metadata', undefined, []],
  ];
  for (const [name, metadata, expected] of table) it(name, () => assert.deepEqual(labels(metadata), expected));

  it('every follow-up says what it sends', () => {
    for (const f of followupsFor({ project: true, exportable: true })) assert.ok(f.prompt.trim().length > 3, JSON.stringify(f));
  });
});
