// Where an exported video goes (README, Settings and Security): the exportFolder
// setting inside the chosen workspace folder. The setting is checked
// lexically by the core (no `..`, no absolute/drive/UNC path), and on disk
// the real path of every existing part must stay inside the workspace folder's
// real path, so a symlink that points out is refused as well.
import * as vscode from 'vscode';
import { assertInsideOnDisk as coreAssertInsideOnDisk, checkExportFolder, OutsideWorkspaceError } from '../core/export/folder';

/** A problem the user can fix; the message says how. */
export class ExportProblem extends Error {
  constructor(
    message: string,
    readonly reason: 'folderRefused' | 'writeFailed' | 'diskFull' | 'readOnly',
  ) {
    super(message);
    this.name = 'ExportProblem';
  }
}

export type ExportTarget =
  /** A folder inside a workspace folder; the file name is chosen when the video is ready. */
  | { kind: 'folder'; dir: vscode.Uri; root: vscode.Uri; label: string }
  /** A file the user chose in a Save dialog (no folder open). */
  | { kind: 'file'; file: vscode.Uri; label: string };

/** The export folder of `root` per its exportFolder setting, after the lexical check. */
export function exportDirFor(root: vscode.WorkspaceFolder | vscode.Uri, setting: string): { dir: vscode.Uri; label: string } {
  const rootUri = root instanceof vscode.Uri ? root : root.uri;
  const check = checkExportFolder(setting);
  if (!check.ok) {
    throw new ExportProblem(
      vscode.l10n.t('The export folder "{0}" is not allowed: {1} Set nemoVideo.exportFolder to a folder inside the workspace, such as videos.', setting, check.message),
      'folderRefused',
    );
  }
  return { dir: vscode.Uri.joinPath(rootUri, ...check.segments), label: check.segments.join('/') };
}

/**
 * Refuses a folder whose real location leaves the workspace folder (a symlink
 * pointing out): the core's assertInsideOnDisk does the check. Only local
 * (file:) folders can be checked on disk; other file systems are checked
 * lexically only.
 */
export async function assertInsideOnDisk(dir: vscode.Uri, root: vscode.Uri): Promise<void> {
  if (dir.scheme !== 'file' || root.scheme !== 'file') return;
  await refusedAsProblem(() => coreAssertInsideOnDisk(dir.fsPath, root.fsPath));
}

/** Runs `check` and turns the core's OutsideWorkspaceError into the ExportProblem the user sees. */
export async function refusedAsProblem<T>(check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (e) {
    throw asExportProblem(e);
  }
}

/** The core's OutsideWorkspaceError as the ExportProblem the user sees; anything else unchanged. */
export function asExportProblem(e: unknown): unknown {
  if (!(e instanceof OutsideWorkspaceError)) return e;
  return new ExportProblem(
    vscode.l10n.t('The export folder points outside the workspace folder ({0}), for example through a symbolic link. Nothing was written. Choose a folder inside the workspace in nemoVideo.exportFolder.', e.realPath),
    'folderRefused',
  );
}
