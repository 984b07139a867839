// Every command of the manifest (ids are fixed: checks call them), registered
// synchronously at activation. Each is a thin adapter over the workflows.
import { redactOut } from '../redaction';
import * as vscode from 'vscode';
import type { TokenStore } from '../auth/tokenStore';
import type { ClientProvider } from '../client/clientProvider';
import type { Transcript } from '../conversation/transcript';
import { creditsText, type Workflows } from '../conversation/workflows';
import { isNemoError } from '../core/errors';
import type { NemoLog } from '../log';
import type { SimulatorLauncher } from '../offline/simulatorLauncher';
import type { ProjectStore } from '../project/projectStore';
import type { Settings } from '../settings';
import type { StatusBar } from '../statusBar';
import type { TimelineProvider } from '../tree/timelineProvider';
import { generateFromSelection } from './generateFromSelection';
import { editSegment, removeSegment } from './segmentCommands';
import { setToken, signOut } from './tokenCommands';
import { tryOffline } from './tryOffline';

export interface CommandDeps {
  context: vscode.ExtensionContext;
  settings: Settings;
  tokens: TokenStore;
  clients: ClientProvider;
  projects: ProjectStore;
  workflows: Workflows;
  transcript: Transcript;
  timeline: TimelineProvider;
  status: StatusBar;
  simulator: SimulatorLauncher;
  log: NemoLog;
  openChat(opts?: { preserveFocus?: boolean; reportErrors?: boolean }): void;
}

export function registerCommands(d: CommandDeps): vscode.Disposable[] {
  const guarded =
    (id: string, fn: (...args: never[]) => unknown) =>
    async (...args: never[]): Promise<void> => {
      try {
        await fn(...args);
      } catch (e) {
        d.log.failure(`Command ${id} failed`, e);
        const message = isNemoError(e) ? e.message : e instanceof Error ? e.message : String(e);
        void vscode.window.showErrorMessage(vscode.l10n.t('NemoVideo: {0}', redactOut(message)));
      }
    };
  const register = (id: string, fn: (...args: never[]) => unknown) => vscode.commands.registerCommand(id, guarded(id, fn));

  return [
    register('nemoVideo.generateFromSelection', () =>
      generateFromSelection({
        settings: d.settings,
        workflows: d.workflows,
        transcript: d.transcript,
        globalState: d.context.globalState,
        openChat: () => d.openChat({ preserveFocus: true }),
      }),
    ),
    register('nemoVideo.openChat', () => d.openChat({ reportErrors: true })),
    register('nemoVideo.newSession', async () => {
      await d.workflows.newProject();
      d.openChat();
    }),
    register('nemoVideo.export', () => d.workflows.exportVideo()),
    register('nemoVideo.upload', (uri?: vscode.Uri) => d.workflows.upload(uri instanceof vscode.Uri ? uri : undefined)),
    register('nemoVideo.showCredits', () => showCredits(d)),
    register('nemoVideo.setToken', () => setToken(d)),
    register('nemoVideo.signOut', () => signOut(d)),
    register('nemoVideo.openInWeb', () => d.workflows.openInWeb()),
    register('nemoVideo.refreshTimeline', () => d.timeline.refresh()),
    register('nemoVideo.tryOffline', () => tryOffline(d)),
    // Only the tree node: extra arguments are ignored, so no caller can skip the questions.
    register('nemoVideo.editSegment', (node?: unknown) => editSegment(d, node)),
    register('nemoVideo.removeSegment', (node?: unknown) => removeSegment(d, node)),
  ];
}

async function showCredits(d: CommandDeps): Promise<void> {
  const c = await d.workflows.credits();
  const anonymous = d.clients.peek()?.tokenIsAnonymous ?? false;
  const setToken = vscode.l10n.t('Set API Token…');
  // Not awaited: the command is done once the balance is shown; the notification may stay open.
  if (!anonymous) {
    void vscode.window.showInformationMessage(creditsText(c));
    return;
  }
  void vscode.window.showInformationMessage(`${creditsText(c)} ${vscode.l10n.t('These are guest credits; set an API token to use your own account.')}`, setToken).then((choice) => {
    if (choice === setToken) void vscode.commands.executeCommand('nemoVideo.setToken');
  });
}
