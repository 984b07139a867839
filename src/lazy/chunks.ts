// Code that is not needed to activate, loaded on first use so that the bundle VS Code
// loads at activation stays small (bench row P6). Each loader is the only way in to its
// chunk. In the source (unit tests, tsx) a loader is a plain require; the build
// (esbuild.mjs, lazyChunks) turns each `require('./x')` below into `import('./x')`, so
// esbuild splits that module and everything only it needs into a chunk of its own.
/* eslint-disable @typescript-eslint/no-require-imports */

/** `@nemo` and the language-model tool: used by few sessions, registered at activation. */
export async function loadChatApis(): Promise<typeof import('./chatApis')> {
  return require('./chatApis');
}

/** A chat run (the agent conversation, the SSE reader, GUI-phrase translation): on the first message. */
export async function loadChatJob(): Promise<typeof import('../jobs/chatJob')> {
  return require('../jobs/chatJob');
}

/** Rendering and downloading an export: on the first export, or when a window left one to finish. */
export async function loadExportEngine(): Promise<typeof import('./exportEngine')> {
  return require('./exportEngine');
}

/** The NemoVideo API client: on the first request. */
export async function loadApiClient(): Promise<typeof import('../core/api/client')> {
  return require('../core/api/client');
}

/** The projects' store, records, source anchors and storyboards: when the Projects list is first read. */
export async function loadProjectCore(): Promise<typeof import('./projectCore')> {
  return require('./projectCore');
}

/** What the Projects view's and the lenses' commands do: on the first such command. */
export async function loadProjectCommands(): Promise<typeof import('./projectCommands')> {
  return require('./projectCommands');
}

/** What typed text means (the intent tables): on the first message typed in the chat. */
export async function loadRouting(): Promise<typeof import('./routing')> {
  return require('./routing');
}

/** Generate Video from Selection (with its options and cost), segment edits, Try Offline: on the first run of one of them. */
export async function loadCommandActions(): Promise<typeof import('./commandActions')> {
  return require('./commandActions');
}
