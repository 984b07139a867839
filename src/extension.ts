// Activation: wires the VS Code shell around the core. Everything here is
// synchronous and does no I/O, so activate() returns within milliseconds:
// the API client, the chat history and the token are created or read on first
// use, and in-flight render jobs are resumed right after activation.
//
// The layers (docs/architecture.md): every front end (the chat panel, @nemo, the
// language-model tool, the commands, the Timeline tree, the status bar, the
// notifications) starts its work as a job on the one JobRunner and shows what the
// jobs' events say; the jobs use the services (client, projects, export, upload),
// and the services the core.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { NemoAuthProvider } from './auth/authProvider';
import { TokenStore } from './auth/tokenStore';
import { createChatPanel } from './chatPanel/createChatPanel';
import { ClientProvider } from './client/clientProvider';
import { CreditBalance } from './client/credits';
import { registerCommands } from './commands/registerCommands';
import { redact } from './core/api/redact';
import { answerPromptsForTests } from './dialogs/prompts';
import { ExportService, markShuttingDown } from './export/exportService';
import { createJobRunner } from './jobs/jobs';
import { lazyChatHandler, lazyGenerateVideoTool } from './lazy/chatFrontEnds';
import { registerGenerateVideoTool } from './lmTool/registerTool';
import { NemoLog } from './log';
import { showJobNotifications } from './notifications/jobNotifications';
import { SimulatorLauncher } from './offline/simulatorLauncher';
import { registerNemoParticipant } from './participant/registerParticipant';
import { openProjectInWeb } from './projects/openInWeb';
import { Projects } from './projects/projects';
import { SourceStatus } from './projects/sourceStatus';
import { ProjectsProvider } from './projectsTree/projectsProvider';
import { ProjectLenses } from './codeLens/projectLenses';
import { setRedactor } from './redaction';
import { Settings } from './settings';
import { StatusBar } from './statusBar/statusBar';
import type { NemoVideoTestApi } from './testApi';
import { TimelineProvider } from './timelineTree/timelineProvider';
import { UploadService } from './upload/uploadService';
import { interceptExternalLinks, openExternal } from './util/external';

/** VS Code's guide to keyring problems (secret storage kept in memory only). */
const KEYRING_TROUBLESHOOTING = 'https://code.visualstudio.com/docs/configure/settings-sync#_troubleshooting-keychain-issues';

let disposeSimulator: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): NemoVideoTestApi | undefined {
  const activationStarted = performance.now();
  // Where activate()'s time goes, for `npm run bench` (P5): ms since the start, per step.
  const phases: Record<string, number> = {};
  const mark = (step: string) => void (phases[step] = Math.round((performance.now() - activationStarted) * 100) / 100);
  const log = new NemoLog();
  const settings = new Settings((m) => log.warn(m));
  const tokens = new TokenStore(context);
  const version = String((context.extension.packageJSON as { version?: unknown }).version ?? '0.0.0');
  const clients = new ClientProvider(settings, tokens, log, version);
  setRedactor((text) => {
    const once = redact(text, tokens.knownSecrets());
    // The client also knows the anonymous tokens it holds (the simulator's are never stored).
    return clients.peek()?.redact(once) ?? once;
  });
  const onError = (what: string, e: unknown) => log.failure(what, e);
  // Per user and workspace (workspace storage, not the repository): session ids belong to the user's account.
  const storageDir = (context.storageUri ?? context.globalStorageUri).fsPath;
  const projects = new Projects(storageDir, context.workspaceState, () => originOf(clients.backend().apiBaseUrl), log);
  const sources = new SourceStatus(projects);
  const credits = new CreditBalance(clients);
  const status = new StatusBar(credits, clients);
  const accounts = new NemoAuthProvider({ tokens, clients, credits, projects, settings, log });
  mark('services');

  // -- the services and the jobs -----------------------------------------------------
  const exporter = new ExportService(context.globalStorageUri, settings, path.join(context.globalStorageUri.fsPath, 'render-jobs.json'), log);
  const uploader = new UploadService(context.globalStorageUri, settings);
  const timeline = new TimelineProvider(
    {
      fetchDraft: async (signal) => {
        const project = projects.current();
        if (!project) return undefined;
        const api = await clients.get();
        return { draft: (await api.state(project.sessionId, signal)).draft };
      },
    },
    (e) => onError('Could not refresh the timeline', e),
  );
  const runner = createJobRunner(
    { clients, projects, credits, settings, exporter, uploader, log, knownTimeline: () => timeline.current() },
    (e) => onError('A job failed', e),
  );

  // -- the chat panel ------------------------------------------------------------------
  mark('jobs');
  const { panel: chat, controller, disposables: chatPanelParts } = createChatPanel(context.extensionUri, {
    historyDir: storageDir,
    runner,
    credits,
    timeline,
    projects,
    clients,
    exporter,
    log,
    openProjectInWeb: () => openProjectInWeb(clients, projects.current()),
    tokens,
    settings,
    globalState: context.globalState,
  });
  const openChat = (opts?: { preserveFocus?: boolean; reportErrors?: boolean }) => {
    try {
      chat.show({ preserveFocus: opts?.preserveFocus, column: vscode.ViewColumn.Beside });
    } catch (e) {
      if (opts?.reportErrors) throw e;
      // A broken panel must not stop a generation or an export: they report in notifications too.
      onError('Could not open the chat panel', e);
    }
  };
  const tellChat = (text: string) => controller.note(text);

  // -- @nemo and the language-model tool (where this VS Code has their APIs) ----------------
  mark('chatPanel');
  const participantHandler = lazyChatHandler({
    runner,
    projects,
    credits,
    generation: { settings, credits, globalState: context.globalState, openChat: () => undefined, tellChat },
    currentTimeline: () => timeline.current(),
    loadTimeline: (signal) => timeline.load(signal),
    isGuest: () => clients.peek()?.tokenIsAnonymous ?? false,
    log,
  });
  const generateVideoTool = lazyGenerateVideoTool({
    runner,
    projects,
    globalState: context.globalState,
    knownBalance: () => credits.available,
    trusted: () => settings.current().trusted,
    currentTimeline: () => timeline.current(),
    log,
  });
  const participant = registerNemoParticipant(context.extensionUri, participantHandler, log);
  const tool = registerGenerateVideoTool(generateVideoTool, log);

  mark('chatApis');
  const simulator = new SimulatorLauncher(__dirname);
  const projectsView = new ProjectsProvider(projects, runner, sources);
  const lenses = new ProjectLenses(projects, sources, {
    storyboardLenses: () => vscode.workspace.getConfiguration('nemoVideo').get<boolean>('storyboard.codeLens', true) !== false,
    onDidChange: settings.onDidChange,
  });
  disposeSimulator = () => simulator.stop();

  mark('views');
  context.subscriptions.push(
    log,
    settings,
    tokens,
    clients,
    projects,
    credits,
    status,
    accounts,
    ...accounts.register(),
    runner,
    timeline,
    ...chatPanelParts,
    sources,
    projectsView,
    vscode.window.createTreeView('nemoVideo.projects', { treeDataProvider: projectsView }),
    lenses,
    vscode.languages.registerCodeLensProvider([{ scheme: 'file' }, { scheme: 'untitled' }, { scheme: 'vscode-remote' }], lenses),
    vscode.window.createTreeView('nemoVideo.timeline', { treeDataProvider: timeline, showCollapseAll: true }),
    ...timeline.follow(runner, projects),
    showJobNotifications(runner),
    ...registerCommands({
      context,
      settings,
      tokens,
      clients,
      projects,
      sources,
      runner,
      credits,
      timeline,
      simulator,
      log,
      openChat,
      tellChat,
      newProject: () => controller.newProject(),
      openInWeb: () => controller.openInWeb(),
    }),
    ...[participant, tool].filter((x): x is vscode.Disposable => x !== undefined),
  );

  // Exports a closed window left are said in the chat shown when they finish.
  const resumeExports = () => runner.submit({ kind: 'resumeExports', projectId: projects.activeId }).result.then(() => undefined);

  const activateMs = performance.now() - activationStarted;
  log.debug(`Activated in ${activateMs.toFixed(1)} ms.`);
  recordActivationForBenchmark(activateMs, phases);
  // After activation: nothing above waited for disk or network.
  setTimeout(() => {
    // Reading the configuration the first time costs tens of milliseconds: not during activate().
    status.showBackend();
    void controller.refreshSignedIn();
    void warnIfSecretsWereLost(tokens);
    void resumeExports();
  }, 0);

  // Other extensions can read what activate() returns (extensions.getExtension().exports):
  // the test surface holds the token store and an unconfirmed spending path, so it exists
  // only in the extension host of a test run. Users' windows return nothing.
  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  // Renders in the simulator finish within seconds: tests poll faster than a user may set (NEMO_TEST_RENDER_POLL_SECONDS).
  exporter.pollFasterForTests(Number(process.env.NEMO_TEST_RENDER_POLL_SECONDS));
  const logLines: string[] = [];
  log.tap = (line) => void (logLines.push(line) > 5_000 && logLines.shift());
  return {
    chat,
    timeline,
    tokenStore: { get: () => tokens.get(), set: (v) => tokens.set(v), delete: () => tokens.delete() },
    idle: () => runner.idle(),
    lastExport: () => exporter.lastExport(),
    snapshot: () => controller.getSnapshot(),
    apiBaseUrl: () => clients.backend().apiBaseUrl,
    project: () => projects.current(),
    projects: {
      list: () => projects.all(),
      activeId: () => projects.activeId,
      setActive: (id) => projects.setActive(id),
      ready: () => projects.ready,
      rows: () =>
        projectsView.getChildren().map((n) => {
          const item = projectsView.getTreeItem(n);
          const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
          return { id: n.project.id, label, description: String(item.description ?? ''), contextValue: item.contextValue ?? '' };
        }),
    },
    codeLenses: async (uri) => {
      const document = await vscode.workspace.openTextDocument(uri);
      return (await lenses.provideCodeLenses(document)).map((l) => ({ line: l.range.start.line, title: l.command?.title ?? '', command: l.command?.command ?? '', arguments: l.command?.arguments ?? [] }));
    },
    settings: () => settings.current(),
    renderJobs: { save: async (r) => (await exporter.jobs()).save(r), list: async () => (await exporter.jobs()).list(), newDestPath: () => exporter.tempPath() },
    resumeRenderJobs: resumeExports,
    answerPrompts: (fn) => answerPromptsForTests(fn),
    accounts,
    historyFile: () => controller.historyFile(),
    logText: () => logLines.join('\n'),
    interceptExternalLinks: (fn) => interceptExternalLinks(fn && ((uri) => fn(uri.toString(true)))),
    stopOfflineSimulator: async () => {
      if (!simulator.url) return;
      await simulator.stop();
      clients.useSimulator(undefined);
    },
    // The @nemo handler and the tool object, callable without VS Code's chat UI.
    participantHandler,
    generateVideoTool,
    chatApis: { participant: participant !== undefined, tool: tool !== undefined },
  };
}

export async function deactivate(): Promise<void> {
  // In-flight renders are NOT cancelled: their ids are persisted and resume after a reload.
  // Hands this window's render jobs over at once (deletes its lease), so another window need not wait for it to expire.
  await markShuttingDown();
  await disposeSimulator?.();
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** A token stored in an earlier session is gone: the secret store keeps values in memory only here. Said once. */
async function warnIfSecretsWereLost(tokens: TokenStore): Promise<void> {
  if (!(await tokens.detectLostSecrets())) return;
  const help = vscode.l10n.t('Troubleshooting');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t(
      'Your NemoVideo token was not kept after the restart: VS Code could not use an OS keyring here, so secrets are kept in memory only. Set the token again, or set NEMO_TOKEN in the environment.',
    ),
    help,
  );
  if (choice === help) openExternal(vscode.Uri.parse(KEYRING_TROUBLESHOOTING));
}

/**
 * `npm run bench` (P5) sets NEMO_BENCH_ACTIVATION_FILE to read activate()'s duration
 * from outside the extension host; one JSON line per activation, written after
 * activate() has returned so the measurement does not include its own I/O.
 */
function recordActivationForBenchmark(activateMs: number, phases: Record<string, number>): void {
  const file = process.env.NEMO_BENCH_ACTIVATION_FILE;
  if (!file) return;
  setTimeout(() => {
    void import('node:fs').then((fs) => fs.promises.appendFile(file, JSON.stringify({ activateMs, phases }) + '\n')).catch(() => undefined);
  }, 0);
}
