// Fault matrix, uploads (docs/protocol.md §8, §11): unsupported type (4001) and file
// too large (4002), each before the upload (the client's own check) and after it
// (the server's reply). A refused file never ends up in the project.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { UploadWarning } from '../../src/core/api/types';
import { faultIt } from './support/ledger';
import { assertShown, rejectionOf, shown } from './support/userView';
import { World } from './support/world';

const GROUP = 'upload';
const KB = 1024;

function sourceFile(w: World, name: string, bytes: number): string {
  const p = path.join(w.workDir, name);
  writeFileSync(p, randomBytes(bytes));
  return p;
}

function uploadRequests(w: World): number {
  return w.sim.stats().requests.filter((r) => r.path.startsWith('/api/upload-video/')).length;
}

describe('faults: uploads', () => {
  faultIt(GROUP, 'unsupported file (4001) before upload: local check', async (row) => {
    const { w, h, sessionId } = await World.forRow(row);
    const file = sourceFile(w, 'script.docx', 4 * KB);

    const e = assertShown(await rejectionOf(h.drive(h.client.uploadFile(sessionId, file))), {
      kind: 'unsupportedFile',
      action: 'chooseAnotherFile',
      retryable: false,
      says: /script\.docx cannot be uploaded: NemoVideo accepts video \(MP4/,
    });
    assert.equal(uploadRequests(w), 0, 'nothing was sent');
    assert.deepEqual((await h.state(sessionId)).videoInfos, []);
    row.outcome(`${shown(e)} (no request)`);
  });

  faultIt(GROUP, 'unsupported file (4001) after upload: server reply', async (row) => {
    const { w, h, sessionId } = await World.forRow(row);
    // The local check can only judge a local file's extension; a link is judged by the server.
    const e = assertShown(await rejectionOf(h.drive(h.client.uploadUrls(sessionId, ['https://media.example/brochure.pdf']))), {
      kind: 'unsupportedFile',
      action: 'chooseAnotherFile',
      retryable: false,
      says: /does not accept this file type/,
    });
    assert.equal(e.code, 4001);
    assert.equal(uploadRequests(w), 1, 'a 4001 is not retried');
    assert.deepEqual((await h.state(sessionId)).videoInfos, [], 'the project did not get the file');
    row.outcome(shown(e));
  });

  faultIt(GROUP, 'file too large (4002) before upload: soft warning, not a block', async (row) => {
    const { w, h, sessionId } = await World.forRow(row, { sim: { maxUploadBytes: 256 * KB }, config: { uploadWarnBytes: 64 * KB } });
    const file = sourceFile(w, 'clip.mp4', 128 * KB);
    const warnings: UploadWarning[] = [];

    const files = await h.drive(h.client.uploadFile(sessionId, file, { onWarning: (x) => warnings.push(x) }));

    assert.equal(warnings.length, 1, 'warned before sending (§14 item 1: never blocked on size locally)');
    assert.equal(warnings[0].sizeBytes, 128 * KB);
    assert.match(warnings[0].message, /^clip\.mp4 is .* MB\. Files above .* MB may be refused; if so, compress or trim it\.$/);
    assert.equal(files.length, 1);
    assert.equal(uploadRequests(w), 1);
    assert.equal((await h.state(sessionId)).videoInfos.length, 1, 'uploaded exactly once');
    row.outcome('warning shown, upload went through once');
  });

  faultIt(GROUP, 'file too large (4002) after upload: server reply', async (row) => {
    const { w, h, sessionId } = await World.forRow(row, { sim: { maxUploadBytes: 256 * KB }, config: { uploadWarnBytes: 64 * KB } });
    const file = sourceFile(w, 'long-take.mov', 512 * KB);
    const warnings: UploadWarning[] = [];

    const e = assertShown(await rejectionOf(h.drive(h.client.uploadFile(sessionId, file, { onWarning: (x) => warnings.push(x) }))), {
      kind: 'fileTooLarge',
      action: 'compressFile',
      retryable: false,
      says: /Compress or trim it/,
    });
    assert.equal(e.code, 4002);
    assert.equal(warnings.length, 1, 'the local warning came first');
    const stats = w.sim.stats();
    assert.equal(uploadRequests(w), 1, 'a 4002 is not retried');
    assert.deepEqual(stats.uploads.map((u) => [u.filename, u.bytes, u.accepted]), [['long-take.mov', 512 * KB, false]], 'the server saw the whole file and refused it');
    assert.deepEqual((await h.state(sessionId)).videoInfos, []);
    row.outcome(shown(e));
  });
});
