// Files into the project from the chat: several picked at once, dropped files only from
// inside the workspace (one outside refuses the drop), an upload by URL.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { JobRequest } from '../../../src/jobs/job';
import * as fake from '../../support/fakeVscode';
import { withFakeVscode } from '../../support/fakeVscodeFor';
import { RecordingLogger } from '../../support/memory';

const MODULE = path.resolve(__dirname, '../../../src/chatPanel/attachments');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Attachments } = withFakeVscode(require.resolve('../../support/fakeVscode'), [MODULE], () => require(MODULE) as typeof import('../../../src/chatPanel/attachments'));

describe('chatPanel/Attachments', () => {
  let submitted: JobRequest[];
  let log: RecordingLogger;
  let attachments: InstanceType<typeof Attachments>;
  const files = () => submitted.map((r) => (r.kind === 'upload' ? (r.file?.path ?? r.url) : r.kind));

  beforeEach(() => {
    submitted = [];
    log = new RecordingLogger();
    fake.workspace.workspaceFolders = [{ uri: fake.Uri.file('/home/me/project'), name: 'project', index: 0 }];
    fake.dialogs.open = undefined;
    fake.dialogs.asked.length = 0;
    attachments = new Attachments({ runner: { submit: (r: JobRequest) => (submitted.push(r), undefined) } as never, projectId: () => 'current', log });
  });
  afterEach(() => (fake.workspace.workspaceFolders = undefined));

  it('picks several files at once, each an upload of its own', async () => {
    fake.dialogs.open = [fake.Uri.file('/tmp/a.mp4'), fake.Uri.file('/tmp/b.png')];
    assert.deepEqual(await attachments.attach(undefined), { ok: true });
    assert.equal((fake.dialogs.asked[0] as { canSelectMany: boolean }).canSelectMany, true);
    assert.deepEqual(files(), ['/tmp/a.mp4', '/tmp/b.png']);
  });

  it('uploads nothing when the dialog is dismissed, or when more than ten are picked', async () => {
    assert.deepEqual(await attachments.attach(undefined), { ok: true });
    fake.dialogs.open = Array.from({ length: 11 }, (_, i) => fake.Uri.file(`/tmp/${i}.mp4`));
    assert.equal((await attachments.attach(undefined)).ok, false);
    assert.deepEqual(files(), []);
  });

  it('takes dropped files from inside the workspace', async () => {
    assert.deepEqual(await attachments.attach(['file:///home/me/project/clips/a%20b.mp4', 'file:///home/me/project/logo.png']), { ok: true });
    assert.deepEqual(files(), ['/home/me/project/clips/a b.mp4', '/home/me/project/logo.png']);
  });

  it('refuses a drop with any file from outside the workspace, and uploads none of it', async () => {
    for (const outside of ['file:///etc/passwd', 'file:///home/me/project/../.ssh/id_rsa', 'file:///home/me/project-evil/a.mp4', 'https://example.com/a.mp4', 'vscode-remote://x/home/me/project/a.mp4']) {
      const reply = await attachments.attach(['file:///home/me/project/a.mp4', outside]);
      assert.equal(reply.ok, false, outside);
      assert.ok(!reply.ok && /Only files from this workspace/.test(reply.error ?? ''));
    }
    assert.deepEqual(files(), []);
    assert.ok(log.lines.some((l) => /Refused 1 dropped file/.test(l)));
  });

  it('refuses every drop when no folder is open', async () => {
    fake.workspace.workspaceFolders = undefined;
    assert.equal((await attachments.attach(['file:///home/me/project/a.mp4'])).ok, false);
    assert.deepEqual(files(), []);
  });

  it('uploads a media address by URL', () => {
    attachments.uploadUrl('https://cdn.example.com/a.mp4');
    assert.deepEqual(submitted, [{ kind: 'upload', projectId: 'current', url: 'https://cdn.example.com/a.mp4' }]);
  });
});
