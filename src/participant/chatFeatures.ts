// Wires `@nemo` and the `nemo_generate_video` tool to the extension's shared
// services at activation (both only where the running VS Code has the API).
import type * as vscode from 'vscode';
import type { ClientProvider } from '../client/clientProvider';
import type { JobQueue } from '../conversation/jobQueue';
import type { Transcript } from '../conversation/transcript';
import type { Workflows } from '../conversation/workflows';
import type { ExportService } from '../export/exportService';
import { createGenerateVideoTool, registerGenerateVideoTool } from '../lmTool/generateVideoTool';
import type { GenerateVideoInput } from '../lmTool/toolInput';
import type { NemoLog } from '../log';
import type { Settings } from '../settings';
import type { StatusBar } from '../statusBar';
import type { TimelineProvider } from '../tree/timelineProvider';
import { createNemoChatHandler, registerNemoParticipant } from './nemoParticipant';
import type { TranscriptFeed } from './transcriptFeed';

export interface ChatFeatureDeps {
  context: vscode.ExtensionContext;
  feed: TranscriptFeed;
  workflows: Workflows;
  exporter: ExportService;
  transcript: Transcript;
  settings: Settings;
  timeline: TimelineProvider;
  queue: JobQueue;
  clients: ClientProvider;
  status: StatusBar;
  log: NemoLog;
}

export interface ChatFeatures {
  disposables: vscode.Disposable[];
  participantHandler: vscode.ChatRequestHandler;
  generateVideoTool: vscode.LanguageModelTool<GenerateVideoInput>;
  /** Whether this VS Code had the API to register each. */
  registered: { participant: boolean; tool: boolean };
}

export function registerChatFeatures(d: ChatFeatureDeps): ChatFeatures {
  const common = {
    feed: d.feed,
    exporter: d.exporter,
    workflows: d.workflows,
    currentTimeline: () => d.timeline.current(),
    log: d.log,
  };
  const participantHandler = createNemoChatHandler({
    ...common,
    generation: { settings: d.settings, workflows: d.workflows, transcript: d.transcript, globalState: d.context.globalState, openChat: () => undefined },
    isBusy: () => d.queue.busy || d.queue.pending > 0,
    isGuest: () => d.clients.peek()?.tokenIsAnonymous ?? false,
  });
  const generateVideoTool = createGenerateVideoTool({
    ...common,
    globalState: d.context.globalState,
    knownBalance: () => d.status.creditsAvailable,
    trusted: () => d.settings.current().trusted,
  });
  const participant = registerNemoParticipant(d.context.extensionUri, participantHandler, d.log);
  const tool = registerGenerateVideoTool(generateVideoTool, d.log);
  return {
    disposables: [participant, tool].filter((x): x is vscode.Disposable => x !== undefined),
    participantHandler,
    generateVideoTool,
    registered: { participant: participant !== undefined, tool: tool !== undefined },
  };
}
