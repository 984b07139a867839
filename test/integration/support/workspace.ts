// The test workspace as the suites use it: its folder, a selected paragraph of
// script.md, the videos exported under videos/, and a registered simulator user
// for the suites that generate (an anonymous token has credits for one video only).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { simAdmin } from './simAdmin';
import type { NemoVideoTestApi } from './testApi';
import { waitFor } from './waitFor';

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the integration tests need a workspace folder');
  return folder.uri;
}

/** Opens script.md and selects its first paragraph (a line longer than 80 characters). */
export async function selectParagraph(): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceRoot(), 'script.md'));
  const editor = await vscode.window.showTextDocument(doc);
  const line = [...Array(doc.lineCount).keys()].map((i) => doc.lineAt(i)).find((l) => l.text.length > 80);
  assert.ok(line, 'script.md has no paragraph');
  editor.selection = new vscode.Selection(line.range.start, line.range.end);
  return editor;
}

/** An MP4 under the workspace's videos/ folder: it begins with an ISO BMFF `ftyp` box and is more than a header. */
export async function assertMp4UnderVideos(uri: vscode.Uri): Promise<void> {
  assert.ok(uri.path.startsWith(vscode.Uri.joinPath(workspaceRoot(), 'videos').path + '/'), `${uri.path} is not under videos/`);
  const bytes = await vscode.workspace.fs.readFile(uri);
  assert.ok(bytes.length > 1_000, `${uri.path} is only ${bytes.length} bytes`);
  assert.strictEqual(Buffer.from(bytes.subarray(4, 8)).toString('latin1'), 'ftyp', `${uri.path} is not an MP4`);
}

/** Signs in as a registered simulator user with plenty of credits; the returned function puts the earlier token back. */
export async function signInAsSimulatorUser(api: NemoVideoTestApi): Promise<() => Promise<void>> {
  const previous = await api.tokenStore.get();
  await api.tokenStore.set(await simAdmin.userToken(1_000_000));
  await waitFor(() => api.snapshot().signedIn, { message: 'the user token to be in use' });
  await api.idle();
  return async () => {
    await api.idle();
    if (previous === undefined) await api.tokenStore.delete();
    else await api.tokenStore.set(previous);
  };
}
