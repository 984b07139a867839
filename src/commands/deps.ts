// What the commands work with. Its own module, so that registerCommands.ts and the
// command modules it imports do not import each other.
import type * as vscode from 'vscode';
import type { TokenStore } from '../auth/tokenStore';
import type { ClientProvider } from '../client/clientProvider';
import type { CreditBalance } from '../client/credits';
import type { JobRunner } from '../jobs/runner';
import type { NemoLog } from '../log';
import type { SimulatorLauncher } from '../offline/simulatorLauncher';
import type { Projects } from '../projects/projects';
import type { SourceStatus } from '../projects/sourceStatus';
import type { Settings } from '../settings';
import type { TimelineProvider } from '../timelineTree/timelineProvider';

export interface CommandDeps {
  context: vscode.ExtensionContext;
  settings: Settings;
  tokens: TokenStore;
  clients: ClientProvider;
  projects: Projects;
  /** Where each project's source text is now. */
  sources: Pick<SourceStatus, 'of' | 'inDocument'>;
  runner: JobRunner;
  credits: CreditBalance;
  timeline: TimelineProvider;
  simulator: SimulatorLauncher;
  log: NemoLog;
  openChat(opts?: { preserveFocus?: boolean; reportErrors?: boolean }): void;
  /** Adds a line to the chat panel. */
  tellChat(text: string): void;
  /** New Video Project, as the chat panel does it. */
  newProject(): Promise<void>;
  /** Open Project in NemoVideo Web, as the chat panel does it (a failure is said in the chat). */
  openInWeb(): Promise<void>;
}
