// A saved export folder on a remote or virtual file system is re-checked against its
// workspace folder before a resumed export lands in it. A root whose path does not
// decode must refuse everything (mutation testing found it accepted everything).
import * as assert from 'node:assert/strict';
import { OutsideWorkspaceError, recheckSavedFolder } from '../../../src/core/export/folder';

describe('recheckSavedFolder on other schemes', () => {
  it('accepts a folder inside its workspace folder on the same host', async () => {
    await recheckSavedFolder('vscode-remote://box/ws/videos', 'vscode-remote://box/ws');
  });

  it('refuses a folder outside, on another host, or when either path does not decode', async () => {
    for (const [dir, root] of [
      ['vscode-remote://box/etc', 'vscode-remote://box/ws'],
      ['vscode-remote://other/ws/videos', 'vscode-remote://box/ws'],
      ['vscode-remote://box/etc', 'vscode-remote://box/ws%E0%A4%A'],
      ['vscode-remote://box/ws%E0%A4%A/videos', 'vscode-remote://box/ws'],
    ]) {
      await assert.rejects(recheckSavedFolder(dir!, root!), OutsideWorkspaceError, `${dir} in ${root}`);
    }
  });
});
