// Every string the chat webview shows, in English. The host translates this
// list with vscode.l10n.t and sends the result in `snapshot.strings`, keyed by
// the English text (webviews cannot call vscode.l10n themselves). A test can
// check that l10n/bundle.l10n.zh-cn.json covers every entry.
// Placeholders are {0}, {1}… as in vscode.l10n.t.
export const UI_STRINGS = [
  'NemoVideo',
  'Conversation',
  'Simulator',
  'Connected to the local simulator: nothing is charged and videos are samples.',
  '{0} credits',
  'Credits available on your account',
  'Guest credits. Set an API token to use your own account.',
  'New project',
  'Start a new video project',
  'Credits',
  'Show credits',
  'Export',
  'Export the video into the workspace',
  'Attach',
  'Attach a video, image or audio file',
  'Send',
  'Send (Enter)',
  'Stop',
  'Stop the current run',
  'Describe a video, or ask for a change…',
  'Message NemoVideo',
  'Enter to send · Shift+Enter for a new line',
  'Working…',
  'You said:',
  'NemoVideo said:',
  'Error',
  'Stopped',
  'Failed',
  'Turn text into video',
  'Describe the video you want, or select text in an editor and run “Generate Video from Selection”.',
  'A 30-second teaser for a neighbourhood coffee shop',
  'Explain a new app feature in 15 seconds, vertical 9:16',
  'Jump to latest',
  'Open {0}',
  'The extension did not answer in time. Please try again.',
  'Something went wrong. Please try again.',
  'Your message is too long ({0} characters, the limit is {1}).',
] as const;

export type UiString = (typeof UI_STRINGS)[number];
