// The one part of `vscode` that RunPresenter uses (localised progress lines), for tests
// that load it in plain Node. See streamDeltas.test.ts for how it is resolved.
export const l10n = {
  t: (message: string, ...args: unknown[]): string => message.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)])),
};
