// assertInsideOnDisk and recheckSavedFolder (issue 8, issue 12 item 7) on a real
// file system in a temp dir: the export folder must really be inside the
// workspace folder, so a symbolic link that points out (or dangles) is refused,
// also when it appeared after the folder was chosen.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { assertInsideOnDisk, OutsideWorkspaceError, recheckSavedFolder } from '../../../src/core/export/folder';

async function refused(p: Promise<unknown>): Promise<OutsideWorkspaceError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof OutsideWorkspaceError, `expected OutsideWorkspaceError, got ${String(e)}`);
    return e;
  }
  assert.fail('the folder was accepted');
}

describe('export/assertInsideOnDisk', () => {
  let base: string;
  let ws: string;
  let outside: string;

  beforeEach(() => {
    base = realpathSync(mkdtempSync(path.join(tmpdir(), 'nemo-inside-')));
    ws = path.join(base, 'ws');
    outside = path.join(base, 'outside');
    mkdirSync(ws);
    mkdirSync(outside);
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it('accepts an existing folder inside the workspace folder', async () => {
    mkdirSync(path.join(ws, 'videos'));
    await assertInsideOnDisk(path.join(ws, 'videos'), ws);
  });

  it('accepts a folder that does not exist yet (its deepest existing part is inside)', async () => {
    await assertInsideOnDisk(path.join(ws, 'videos', '2026', 'nov'), ws);
  });

  it('accepts the workspace folder itself', async () => {
    await assertInsideOnDisk(ws, ws);
  });

  it('accepts a symbolic link that stays inside the workspace folder', async () => {
    mkdirSync(path.join(ws, 'real'));
    symlinkSync(path.join(ws, 'real'), path.join(ws, 'videos'), 'dir');
    await assertInsideOnDisk(path.join(ws, 'videos', 'sub'), ws);
  });

  it('accepts a workspace folder opened through a symbolic link', async () => {
    symlinkSync(ws, path.join(base, 'ws-link'), 'dir');
    await assertInsideOnDisk(path.join(base, 'ws-link', 'videos'), path.join(base, 'ws-link'));
  });

  it('refuses a folder that is a symbolic link to outside the workspace', async () => {
    symlinkSync(outside, path.join(ws, 'videos'), 'dir');
    const e = await refused(assertInsideOnDisk(path.join(ws, 'videos'), ws));
    assert.equal(e.realPath, outside);
  });

  it('refuses a folder BELOW a symbolic link that points outside (not created yet)', async () => {
    symlinkSync(outside, path.join(ws, 'videos'), 'dir');
    const e = await refused(assertInsideOnDisk(path.join(ws, 'videos', 'a', 'b'), ws));
    assert.equal(e.realPath, outside);
  });

  it('refuses a dangling symbolic link (creating the folder would follow it)', async () => {
    symlinkSync(path.join(outside, 'not-yet'), path.join(ws, 'videos'), 'dir');
    const e = await refused(assertInsideOnDisk(path.join(ws, 'videos'), ws));
    assert.equal(e.realPath, path.join(outside, 'not-yet'));
  });

  it('refuses a path that is lexically outside, without asking the disk', async () => {
    await refused(assertInsideOnDisk(path.join(ws, '..', 'outside'), ws));
    await refused(assertInsideOnDisk(`${ws}-evil/videos`, ws));
  });

  it('refuses a folder that is not under the workspace folder as written, even if it resolves inside it', async () => {
    // An export folder is always the workspace folder joined with the setting; anything else was not made by us.
    symlinkSync(ws, path.join(base, 'alias'), 'dir');
    await refused(assertInsideOnDisk(path.join(base, 'alias', 'videos'), ws));
  });
});

describe('export/recheckSavedFolder (a saved target, checked again before a resumed export lands)', () => {
  let base: string;
  let ws: string;
  let outside: string;
  const uri = (p: string) => pathToFileURL(p).toString();

  beforeEach(() => {
    base = realpathSync(mkdtempSync(path.join(tmpdir(), 'nemo-recheck-')));
    ws = path.join(base, 'my ws');
    outside = path.join(base, 'outside');
    mkdirSync(ws);
    mkdirSync(outside);
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it('accepts the saved folder while it is still inside the workspace folder', async () => {
    mkdirSync(path.join(ws, 'videos'));
    await recheckSavedFolder(uri(path.join(ws, 'videos')), uri(ws));
  });

  it('refuses the saved folder after it became a symbolic link to outside the workspace', async () => {
    mkdirSync(path.join(ws, 'videos'));
    await recheckSavedFolder(uri(path.join(ws, 'videos')), uri(ws));
    rmSync(path.join(ws, 'videos'), { recursive: true });
    symlinkSync(outside, path.join(ws, 'videos'), 'dir');
    const e = await refused(recheckSavedFolder(uri(path.join(ws, 'videos')), uri(ws)));
    assert.equal(e.realPath, outside);
  });

  it('refuses a saved folder that is not inside its saved root at all', async () => {
    await refused(recheckSavedFolder(uri(outside), uri(ws)));
  });

  it('refuses garbage instead of throwing something else', async () => {
    await refused(recheckSavedFolder('not a uri', uri(ws)));
    await refused(recheckSavedFolder('file://remote-host/share/x', uri(ws)));
  });

  it('checks other schemes lexically on the same scheme and host', async () => {
    await recheckSavedFolder('vscode-remote://ssh-remote%2Bbox/home/me/ws/videos', 'vscode-remote://ssh-remote%2Bbox/home/me/ws');
    await refused(recheckSavedFolder('vscode-remote://ssh-remote%2Bbox/home/me/other', 'vscode-remote://ssh-remote%2Bbox/home/me/ws'));
    await refused(recheckSavedFolder('vscode-remote://ssh-remote%2Bother/home/me/ws/videos', 'vscode-remote://ssh-remote%2Bbox/home/me/ws'));
    await refused(recheckSavedFolder('vscode-remote://ssh-remote%2Bbox/home/me/ws/../x', 'vscode-remote://ssh-remote%2Bbox/home/me/ws'));
  });
});
