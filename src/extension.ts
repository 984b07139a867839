// Activation: wires the VS Code shell around the core. Everything here is
// synchronous and does no I/O, so activate() returns within milliseconds:
// the API client, the chat history and the token are created or read on first
// use, and in-flight render jobs are resumed right after activation.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { TokenStore } from './auth/tokenStore';
import { ChatPanel, registerChatPanelSerializer } from './chat/chatPanel';
import { ClientProvider } from './client/clientProvider';
import { answerPromptsForTests } from './commands/prompts';
import { registerCommands } from './commands/registerCommands';
import { ChatController } from './conversation/chatController';
import { HistoryStore } from './conversation/historyStore';
import { JobQueue } from './conversation/jobQueue';
import { Transcript } from './conversation/transcript';
import { Workflows } from './conversation/workflows';
import { ExportService, markShuttingDown } from './export/exportService';
import { isCancellation } from './core/errors';
import { RenderJobFileStore } from './export/renderJobFileStore';
import { redact } from './core/api/redact';
import { NemoLog } from './log';
import { setRedactor } from './redaction';
import { SimulatorLauncher } from './offline/simulatorLauncher';
import { registerChatFeatures } from './participant/chatFeatures';
import { fanOut, TranscriptFeed } from './participant/transcriptFeed';
import { ProjectStore } from './project/projectStore';
import { Settings } from './settings';
import { StatusBar } from './statusBar';
import type { NemoVideoTestApi } from './testApi';
import { TimelineProvider } from './tree/timelineProvider';
import { UploadService } from './upload/uploadService';
import { interceptExternalLinks, openExternal } from './util/external';

/** VS Code's guide to keyring problems (secret storage kept in memory only). */
const KEYRING_TROUBLESHOOTING = 'https://code.visualstudio.com/docs/configure/settings-sync#_troubleshooting-keychain-issues';

let disposeSimulator: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): NemoVideoTestApi | undefined {
  const activationStarted = performance.now();
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
  const projects = new ProjectStore(context.workspaceState, () => originOf(clients.backend().apiBaseUrl), (what, e) => log.failure(what, e));
  const status = new StatusBar();

  const onError = (what: string, e: unknown) => log.failure(what, e);
  const history = new HistoryStore((context.storageUri ?? context.globalStorageUri).fsPath, onError);
  const transcript = new Transcript(history);
  const queue = new JobQueue((e) => onError('A queued job failed', e));
  const renderJobs = new RenderJobFileStore(path.join(context.globalStorageUri.fsPath, 'render-jobs.json'), onError);
  const exporter = new ExportService(context.globalStorageUri, settings, renderJobs, log);
  const uploader = new UploadService(context.globalStorageUri, settings);
  const timeline = new TimelineProvider(
    {
      fetchDraft: async () => {
        const project = projects.current();
        if (!project) return undefined;
        const api = await clients.get();
        return { draft: (await api.state(project.sessionId)).draft };
      },
    },
    (e) => onError('Could not refresh the timeline', e),
  );

  // What the webview may know about the host: never the token, only whether a user token is set.
  const hostState = { signedIn: false, credits: undefined as number | undefined };
  const workflows = new Workflows({
    transcript,
    queue,
    clients,
    projects,
    exporter,
    uploader,
    timeline,
    status,
    settings,
    log,
    onCredits: (available) => {
      hostState.credits = available;
      transcript.post({ type: 'credits', available });
    },
  });
  const controller = new ChatController(transcript, history, queue, workflows, projects, exporter, log, () => ({
    signedIn: hostState.signedIn,
    credits: hostState.credits,
    simulator: clients.backend().simulator,
    trusted: vscode.workspace.isTrusted,
  }));
  const chat = new ChatPanel(context.extensionUri, log, controller);
  // SHIP: @nemo and the language-model tool read the same transcript the panel gets.
  const feed = new TranscriptFeed();
  transcript.attach(fanOut(chat, feed));
  const chatFeatures = registerChatFeatures({ context, feed, workflows, exporter, transcript, settings, timeline, queue, clients, status, log });
  const simulator = new SimulatorLauncher(__dirname);
  disposeSimulator = () => simulator.stop();
  const openChat = (opts?: { preserveFocus?: boolean; reportErrors?: boolean }) => {
    try {
      chat.show({ preserveFocus: opts?.preserveFocus, column: vscode.ViewColumn.Beside });
    } catch (e) {
      if (opts?.reportErrors) throw e;
      // A broken panel must not stop a generation or an export: they report in notifications too.
      onError('Could not open the chat panel', e);
    }
  };

  const refreshSignedIn = () =>
    tokens.effectiveUserToken().then(
      (t) => {
        if (hostState.signedIn === !!t) return;
        hostState.signedIn = !!t;
        controller.postSnapshot();
      },
      (e: unknown) => onError('Could not read the token', e),
    );

  context.subscriptions.push(
    log,
    settings,
    tokens,
    clients,
    projects,
    status,
    queue,
    timeline,
    chat,
    registerChatPanelSerializer(chat),
    vscode.window.createTreeView('nemoVideo.timeline', { treeDataProvider: timeline, showCollapseAll: true }),
    ...registerCommands({ context, settings, tokens, clients, projects, workflows, transcript, timeline, status, simulator, log, openChat }),
    queue.onDidChange(() => transcript.post({ type: 'busy', busy: queue.busy, ...(workflows.currentRunId ? { runId: workflows.currentRunId } : {}), ...(queue.currentLabel ? { label: queue.currentLabel } : {}) })),
    clients.onDidChange(() => {
      status.setBackend(clients.backend());
      hostState.credits = undefined;
      controller.postSnapshot();
    }),
    settings.onDidChange(() => controller.postSnapshot()),
    tokens.onDidChangeUserToken(() => void refreshSignedIn()),
    projects.onDidChange(() => controller.postSnapshot()),
    { dispose: () => void history.flush() },
    feed, // SHIP
    ...chatFeatures.disposables, // SHIP: @nemo and nemo_generate_video (where the API exists)
  );

  const resume = () =>
    queue.track(
      exporter.resume(
        () => clients.get(),
        (r) => {
          if ('uri' in r) workflows.announceExport(r);
          else if (!isCancellation(r.error)) workflows.reportError(r.error, 'export');
        },
      ),
    );

  const activateMs = performance.now() - activationStarted;
  log.debug(`Activated in ${activateMs.toFixed(1)} ms.`);
  recordActivationForBenchmark(activateMs);
  // After activation: nothing above waited for disk or network.
  setTimeout(() => {
    // Reading the configuration the first time costs tens of milliseconds: not during activate().
    status.setBackend(clients.backend());
    void refreshSignedIn();
    void warnIfSecretsWereLost(tokens);
    void resume().catch((e: unknown) => onError('Could not resume the render jobs', e));
  }, 0);

  // Other extensions can read what activate() returns (extensions.getExtension().exports):
  // the test surface holds the token store and an unconfirmed spending path, so it exists
  // only in the extension host of a test run. Users' windows return nothing.
  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  const logLines: string[] = [];
  log.tap = (line) => void (logLines.push(line) > 5_000 && logLines.shift());
  return {
    chat,
    timeline,
    tokenStore: { get: () => tokens.get(), set: (v) => tokens.set(v), delete: () => tokens.delete() },
    idle: () => queue.idle(),
    lastExport: () => exporter.lastExport(),
    snapshot: () => controller.getSnapshot(),
    apiBaseUrl: () => clients.backend().apiBaseUrl,
    project: () => projects.current(),
    settings: () => settings.current(),
    renderJobs: { save: (r) => renderJobs.save(r), list: () => renderJobs.list(), newDestPath: () => exporter.tempPath() },
    resumeRenderJobs: () => resume(),
    answerPrompts: (fn) => answerPromptsForTests(fn),
    historyFile: () => history.file,
    logText: () => logLines.join('\n'),
    interceptExternalLinks: (fn) => interceptExternalLinks(fn && ((uri) => fn(uri.toString(true)))),
    stopOfflineSimulator: async () => {
      if (!simulator.url) return;
      await simulator.stop();
      clients.useSimulator(undefined);
    },
    // SHIP: the @nemo handler and the tool object, callable without VS Code's chat UI.
    participantHandler: chatFeatures.participantHandler,
    generateVideoTool: chatFeatures.generateVideoTool,
    chatApis: chatFeatures.registered,
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
function recordActivationForBenchmark(activateMs: number): void {
  const file = process.env.NEMO_BENCH_ACTIVATION_FILE;
  if (!file) return;
  setTimeout(() => {
    void import('node:fs').then((fs) => fs.promises.appendFile(file, JSON.stringify({ activateMs }) + '\n')).catch(() => undefined);
  }, 0);
}
