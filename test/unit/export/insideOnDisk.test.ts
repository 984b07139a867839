// assertInsideOnDisk and recheckSavedFolder on a real
// file system in a temp dir: the export folder must really be inside the
// workspace folder, so a symbolic link that points out (or dangles) is refused,
// also when it appeared after the folder was chosen.
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { assertInsideOnDisk, OutsideWorkspaceError, recheckSavedFolder } from '../../../src/core/export/folder';
import { eachTestWorkspace } from '../../support/tempDir';

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
  const dirs = eachTestWorkspace('nemo-inside-');

  it('accepts an existing folder inside the workspace folder', async () => {
    mkdirSync(path.join(dirs.ws, 'videos'));
    await assertInsideOnDisk(path.join(dirs.ws, 'videos'), dirs.ws);
  });

  it('accepts a folder that does not exist yet (its deepest existing part is inside)', async () => {
    await assertInsideOnDisk(path.join(dirs.ws, 'videos', '2026', 'nov'), dirs.ws);
  });

  it('accepts the workspace folder itself', async () => {
    await assertInsideOnDisk(dirs.ws, dirs.ws);
  });

  it('accepts a symbolic link that stays inside the workspace folder', async () => {
    mkdirSync(path.join(dirs.ws, 'real'));
    symlinkSync(path.join(dirs.ws, 'real'), path.join(dirs.ws, 'videos'), 'dir');
    await assertInsideOnDisk(path.join(dirs.ws, 'videos', 'sub'), dirs.ws);
  });

  it('accepts a workspace folder opened through a symbolic link', async () => {
    symlinkSync(dirs.ws, path.join(dirs.base, 'ws-link'), 'dir');
    await assertInsideOnDisk(path.join(dirs.base, 'ws-link', 'videos'), path.join(dirs.base, 'ws-link'));
  });

  it('refuses a folder that is a symbolic link to outside the workspace', async () => {
    symlinkSync(dirs.outside, path.join(dirs.ws, 'videos'), 'dir');
    const e = await refused(assertInsideOnDisk(path.join(dirs.ws, 'videos'), dirs.ws));
    assert.equal(e.realPath, dirs.outside);
  });

  it('refuses a folder BELOW a symbolic link that points outside (not created yet)', async () => {
    symlinkSync(dirs.outside, path.join(dirs.ws, 'videos'), 'dir');
    const e = await refused(assertInsideOnDisk(path.join(dirs.ws, 'videos', 'a', 'b'), dirs.ws));
    assert.equal(e.realPath, dirs.outside);
  });

  it('refuses a dangling symbolic link (creating the folder would follow it)', async () => {
    symlinkSync(path.join(dirs.outside, 'not-yet'), path.join(dirs.ws, 'videos'), 'dir');
    const e = await refused(assertInsideOnDisk(path.join(dirs.ws, 'videos'), dirs.ws));
    assert.equal(e.realPath, path.join(dirs.outside, 'not-yet'));
  });

  it('refuses a path that is lexically outside, without asking the disk', async () => {
    await refused(assertInsideOnDisk(path.join(dirs.ws, '..', 'outside'), dirs.ws));
    await refused(assertInsideOnDisk(`${dirs.ws}-evil/videos`, dirs.ws));
  });

  it('refuses a folder that is not under the workspace folder as written, even if it resolves inside it', async () => {
    // An export folder is always the workspace folder joined with the setting; anything else was not made by us.
    symlinkSync(dirs.ws, path.join(dirs.base, 'alias'), 'dir');
    await refused(assertInsideOnDisk(path.join(dirs.base, 'alias', 'videos'), dirs.ws));
  });
});

describe('export/recheckSavedFolder (a saved target, checked again before a resumed export lands)', () => {
  const dirs = eachTestWorkspace('nemo-recheck-', 'my ws');
  const uri = (p: string) => pathToFileURL(p).toString();

  it('accepts the saved folder while it is still inside the workspace folder', async () => {
    mkdirSync(path.join(dirs.ws, 'videos'));
    await recheckSavedFolder(uri(path.join(dirs.ws, 'videos')), uri(dirs.ws));
  });

  it('refuses the saved folder after it became a symbolic link to outside the workspace', async () => {
    mkdirSync(path.join(dirs.ws, 'videos'));
    await recheckSavedFolder(uri(path.join(dirs.ws, 'videos')), uri(dirs.ws));
    rmSync(path.join(dirs.ws, 'videos'), { recursive: true });
    symlinkSync(dirs.outside, path.join(dirs.ws, 'videos'), 'dir');
    const e = await refused(recheckSavedFolder(uri(path.join(dirs.ws, 'videos')), uri(dirs.ws)));
    assert.equal(e.realPath, dirs.outside);
  });

  it('refuses a saved folder that is not inside its saved root at all', async () => {
    await refused(recheckSavedFolder(uri(dirs.outside), uri(dirs.ws)));
  });

  it('refuses garbage instead of throwing something else', async () => {
    await refused(recheckSavedFolder('not a uri', uri(dirs.ws)));
    await refused(recheckSavedFolder('file://remote-host/share/x', uri(dirs.ws)));
  });

  it('checks other schemes lexically on the same scheme and host', async () => {
    await recheckSavedFolder('vscode-remote://ssh-remote%2Bbox/home/me/ws/videos', 'vscode-remote://ssh-remote%2Bbox/home/me/ws');
    await refused(recheckSavedFolder('vscode-remote://ssh-remote%2Bbox/home/me/other', 'vscode-remote://ssh-remote%2Bbox/home/me/ws'));
    await refused(recheckSavedFolder('vscode-remote://ssh-remote%2Bother/home/me/ws/videos', 'vscode-remote://ssh-remote%2Bbox/home/me/ws'));
    await refused(recheckSavedFolder('vscode-remote://ssh-remote%2Bbox/home/me/ws/../x', 'vscode-remote://ssh-remote%2Bbox/home/me/ws'));
  });
});
