// Opening links in the user's browser goes through here, so that the
// integration tests can observe the links (a claim link must carry `ct=` and
// never the API token) without a browser window or a confirmation dialog.
import * as vscode from 'vscode';

let interceptor: ((uri: vscode.Uri) => void) | undefined;

/** Opens `uri` outside VS Code; resolves without waiting for the user's answer to any prompt. */
export function openExternal(uri: vscode.Uri): void {
  if (interceptor) {
    interceptor(uri);
    return;
  }
  void vscode.env.openExternal(uri);
}

/** Tests only: capture links instead of opening them (undefined restores normal behaviour). */
export function interceptExternalLinks(fn: ((uri: vscode.Uri) => void) | undefined): void {
  interceptor = fn;
}
