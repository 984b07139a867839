// Moves a finished download into the workspace through vscode.workspace.fs (so
// it works in Remote and virtual workspaces): copied under a temporary hidden
// name, then renamed to a free name. An existing file is never overwritten, and
// a failure (read-only folder, full disk) leaves no half-written file behind.
import * as vscode from 'vscode';
import { nextFreeName } from '../core/export/fileName';
import { assertInsideOnDisk, ExportProblem } from './exportTarget';

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

async function removeQuietly(uri: vscode.Uri): Promise<void> {
  try {
    await vscode.workspace.fs.delete(uri, { useTrash: false });
  } catch {
    // Already gone.
  }
}

/** Copies `source` to the temporary `dest` (replacing a leftover of a crash), across file systems if needed. */
async function copyInto(source: vscode.Uri, dest: vscode.Uri): Promise<void> {
  try {
    await vscode.workspace.fs.copy(source, dest, { overwrite: true });
  } catch (e) {
    if (source.scheme === dest.scheme) throw e;
    // Some providers cannot copy from another scheme: go through memory instead.
    await vscode.workspace.fs.writeFile(dest, await vscode.workspace.fs.readFile(source));
  }
}

/** Plain-language reason for a write failure. */
export function writeProblem(e: unknown, where: string): ExportProblem {
  const text = e instanceof Error ? `${(e as { code?: string }).code ?? ''} ${e.message}` : String(e);
  if (/ENOSPC|no space/i.test(text)) {
    return new ExportProblem(vscode.l10n.t('The disk is full, so the video could not be saved in {0}. Free some space, then export again.', where), 'diskFull');
  }
  if (/NoPermissions|EACCES|EPERM|EROFS|read-only|permission/i.test(text)) {
    return new ExportProblem(
      vscode.l10n.t('NemoVideo may not write to {0} (read-only or no permission). Change the folder permissions or nemoVideo.exportFolder, then export again.', where),
      'readOnly',
    );
  }
  return new ExportProblem(vscode.l10n.t('The video could not be saved in {0}: {1}', where, e instanceof Error ? e.message : String(e)), 'writeFailed');
}

/**
 * Places `source` in `dir` under `fileName` or the next free variant ("x (2).mp4").
 * `root` is the workspace folder `dir` must stay inside.
 */
export async function placeInFolder(source: vscode.Uri, dir: vscode.Uri, root: vscode.Uri, fileName: string, label: string): Promise<vscode.Uri> {
  await assertInsideOnDisk(dir, root);
  try {
    await vscode.workspace.fs.createDirectory(dir);
  } catch (e) {
    throw writeProblem(e, label);
  }
  // Again after creating it: the folder may have been swapped for a link meanwhile.
  await assertInsideOnDisk(dir, root);
  for (let attempt = 0; attempt < 5; attempt++) {
    const name = await nextFreeName(fileName, (candidate) => exists(vscode.Uri.joinPath(dir, candidate)));
    const finalUri = vscode.Uri.joinPath(dir, name);
    const partial = vscode.Uri.joinPath(dir, `.${name}.${process.pid}.partial`);
    try {
      await copyInto(source, partial);
    } catch (e) {
      await removeQuietly(partial);
      throw writeProblem(e, label);
    }
    try {
      await vscode.workspace.fs.rename(partial, finalUri, { overwrite: false });
      return finalUri;
    } catch (e) {
      await removeQuietly(partial);
      // Someone else took the name in between: pick the next free one.
      if (e instanceof vscode.FileSystemError && e.code === 'FileExists') continue;
      if (await exists(finalUri)) continue;
      throw writeProblem(e, label);
    }
  }
  throw new ExportProblem(vscode.l10n.t('Could not find a free file name in {0}.', label), 'writeFailed');
}

/** Writes `source` to a file the user chose in a Save dialog (they confirmed any overwrite there). */
export async function placeAtFile(source: vscode.Uri, file: vscode.Uri): Promise<vscode.Uri> {
  const partial = file.with({ path: `${file.path}.${process.pid}.partial` });
  try {
    await copyInto(source, partial);
    await vscode.workspace.fs.rename(partial, file, { overwrite: true });
    return file;
  } catch (e) {
    await removeQuietly(partial);
    throw writeProblem(e, file.fsPath || file.path);
  }
}
