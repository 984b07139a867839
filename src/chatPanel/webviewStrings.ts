// The webview's UI strings, translated on the host (webviews cannot call
// vscode.l10n). Use for Snapshot.strings:
//   strings: webviewStrings((s) => vscode.l10n.t(s))
// `translate` must leave {0}-style placeholders in place; the webview fills them.
import { UI_STRINGS } from '../../webview/strings';

export function webviewStrings(translate: (english: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of UI_STRINGS) {
    const translated = translate(s);
    if (translated && translated !== s) out[s] = translated;
  }
  return out;
}

export { UI_STRINGS };
