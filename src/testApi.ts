// What activate() returns in the extension host of a test run (ExtensionMode.Test)
// and nowhere else: a small API for the integration tests to observe and drive the
// extension from inside the extension host. A user's window returns undefined,
// since every installed extension can read an extension's exports.
import type * as vscode from 'vscode';
import type { ChatTestSurface } from './chatPanel/testSurface';
import type { RenderJobRecord } from './core/jobs/renderJob';
import type { PromptAnswerer } from './dialogs/prompts';
import type { GenerateVideoInput } from './lmTool/toolInput';
import type { ProjectRecord } from './projects/projects';
import type { ResolvedSettings } from './settingsResolver';

export interface NemoVideoTestApi extends ChatTestSurface {
  readonly timeline: vscode.TreeDataProvider<unknown> & { refresh(): Promise<void> };
  readonly tokenStore: { get(): Promise<string | undefined>; set(v: string): Promise<void>; delete(): Promise<void> };
  /** Resolves when no job runs or waits (a run, a generation, an export, an upload, resumed exports). */
  idle(): Promise<void>;
  /** URI of the last file exported into the workspace. */
  lastExport(): vscode.Uri | undefined;
  /** The effective API base URL (after settings/env/trust rules). */
  apiBaseUrl(): string;

  /** The current project of this workspace (session id as a string). */
  project?(): ProjectRecord | undefined;
  /** The Projects view and the projects behind it. */
  projects?: {
    list(): ProjectRecord[];
    activeId(): string;
    setActive(id: string): void;
    /** The view's rows: title, description and contextValue, as VS Code shows them. */
    rows(): Array<{ id: string; label: string; description: string; contextValue: string }>;
    /** Waits until the list was read. */
    ready(): Promise<void>;
  };
  /** The lenses the extension shows in a document: title and command of each. */
  codeLenses?(uri: vscode.Uri): Promise<Array<{ line: number; title: string; command: string; arguments: unknown[] }>>;
  /** The settings as resolved now (scopes, trust and env applied). */
  settings?(): ResolvedSettings;
  /** The persisted render jobs (what a reload would resume). */
  renderJobs?: {
    save(record: RenderJobRecord): Promise<void>;
    list(): Promise<RenderJobRecord[]>;
    /** Where the job's temporary download lives: pass it as the record's destPath. */
    newDestPath(): Promise<string>;
  };
  /** Runs the resume step of activation again (as after a window reload) and waits for it. */
  resumeRenderJobs?(): Promise<void>;
  /** Captures links the extension would open in the browser (undefined: open them again). */
  interceptExternalLinks?(fn: ((url: string) => void) | undefined): void;
  /** The lines written to the NemoVideo log since activation, as written (redacted). */
  logText?(): string;
  /** Answers the commands' confirmations and input boxes (undefined: ask the user again). */
  answerPrompts?(fn: PromptAnswerer | undefined): void;
  /** The Accounts menu's provider, the object VS Code calls (getSessions, createSession, removeSession). */
  accounts?: vscode.AuthenticationProvider;
  /** Stops the offline simulator started by Try Offline and switches back to the configured API. */
  stopOfflineSimulator?(): Promise<void>;

  // The native chat features, callable without VS Code's chat UI.
  /** The `@nemo` chat participant's request handler (the same function VS Code calls). */
  participantHandler?: vscode.ChatRequestHandler;
  /** The `nemo_generate_video` tool object (prepareInvocation / invoke), as registered with vscode.lm. */
  generateVideoTool?: vscode.LanguageModelTool<GenerateVideoInput>;
  /** Whether this VS Code had the API to register `@nemo` and the tool. */
  chatApis?: { participant: boolean; tool: boolean };
}
