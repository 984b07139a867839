// The part of the `vscode` API that the host's chat code used by the P8 bench touches
// (RunPresenter's localised progress lines). The bench bundle aliases `vscode` to this file.
export const l10n = {
  t: (message: string, ...args: unknown[]): string => message.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)])),
};
