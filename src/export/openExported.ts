// Opening a saved video, and showing it in the Explorer (or the OS file manager
// when it lies outside the workspace).
import * as vscode from 'vscode';

export async function openExported(uri: vscode.Uri): Promise<void> {
  // VS Code's built-in media preview plays H.264 MP4 (its webviews have no AAC audio, so the clip may be silent there).
  await vscode.commands.executeCommand('vscode.open', uri);
}

export async function revealExported(uri: vscode.Uri): Promise<void> {
  if (vscode.workspace.getWorkspaceFolder(uri)) await vscode.commands.executeCommand('revealInExplorer', uri);
  else await vscode.commands.executeCommand('revealFileInOS', uri);
}
