// The extension host's console reaches the harness through the workbench's
// codeAutomationLog hook, mixed with the workbench's own start-up chatter.
// These patterns drop the well-known, harmless chatter (shown with --verbose).
export const WORKBENCH_NOISE = [
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket/,
  /^\[reconnection-grace-time\]/,
  /^Updating additional builtin extensions cache/,
  /^\[Service Worker\]/,
  /^\[AgentHost/,
  /^\[AccountPolicyGate\]/,
  /open-vsx\.org|gallery\/extensionquery/, // no marketplace access offline
  /^Timed out waiting for authentication provider/,
  /^Creation of workbench contribution '[^']+' took \d+ms/, // slow-start timing notes
  /\/static\/out\/vs\/code\/browser\/workbench\/workbench\.js/, // stacks from the browser-side bundle
];

export function isWorkbenchNoise(text) {
  return WORKBENCH_NOISE.some((re) => re.test(text));
}
