// The chat of one project: its history file, its transcript, the buttons on its
// messages and its busy line. Every project's jobs are followed into its own chat,
// shown or not, so a run in one project keeps its transcript (and its file) while the
// panel shows another; only the shown project's chat reaches the webview.
import type { ExportService } from '../export/exportService';
import type { Job } from '../jobs/job';
import type { JobRunner } from '../jobs/runner';
import type { NemoLog } from '../log';
import type { ProjectId } from '../projects/projects';
import type { RequestReply } from '../protocol';
import { BusyLine } from './busyLine';
import { ChoiceAnswers } from './choices';
import { HistoryStore } from './historyStore';
import { JobTranscript } from './jobTranscript';
import { MessageButtons, type ClientCommand } from './messageButtons';
import { QueuedEdits } from './queuedEdits';
import { Transcript, type MessageSink } from './transcript';

export interface ProjectChatDeps {
  /** Where the history files are (the workspace storage). */
  dir: string;
  runner: JobRunner;
  exporter: Pick<ExportService, 'isExported'>;
  log: NemoLog;
  clientCommand(kind: ClientCommand): Promise<RequestReply>;
  openInWeb(): Promise<void>;
}

export class ProjectChat {
  readonly history: HistoryStore;
  readonly transcript: Transcript;
  readonly busy: BusyLine;
  readonly buttons: MessageButtons;
  readonly choices: ChoiceAnswers;
  readonly edits: QueuedEdits;

  constructor(
    readonly projectId: ProjectId,
    historyFile: string,
    sink: MessageSink,
    d: ProjectChatDeps,
  ) {
    this.history = new HistoryStore(d.dir, (what, e) => d.log.failure(what, e), historyFile);
    this.transcript = new Transcript(this.history);
    this.transcript.attach(sink);
    this.busy = new BusyLine(d.runner, projectId, this.transcript);
    this.buttons = new MessageButtons({
      transcript: this.transcript,
      exporter: d.exporter,
      log: d.log,
      resend: (text) => void d.runner.submit({ kind: 'message', projectId, text }),
      clientCommand: (kind) => d.clientCommand(kind),
      openInWeb: () => d.openInWeb(),
    });
    const send = (text: string): void => void d.runner.submit({ kind: 'message', projectId, text });
    this.choices = new ChoiceAnswers({ transcript: this.transcript, log: d.log, answer: send });
    this.edits = new QueuedEdits({ transcript: this.transcript, log: d.log, send });
  }

  /** Shows a job of this project in its transcript and busy line. */
  follow(job: Job): void {
    const view = new JobTranscript(this.transcript, job, this.edits);
    job.onEvent((e) => {
      // Whatever reaches the agent next in this project's session (a typed message, an
      // update, a resend) passes the open question. Retired when it reaches the agent, not
      // when it is queued: a question that ends the run it waited behind is passed too.
      if (e.type === 'runStarted') this.choices.retireOpen();
      view.handle(e);
      this.busy.handle(job.request.kind, e);
    });
  }
}
