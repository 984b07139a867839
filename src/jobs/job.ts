// What a job is: one piece of work a user started for a project (a chat message,
// a generation, an export, an upload, the exports a closed window left), run by the
// JobRunner. A job reports everything it does as JobEvents, in order; every front
// end (the chat panel, @nemo, the language-model tool, the Timeline tree, the
// notifications) is an adapter that turns the events of the jobs it follows into
// its own output. No front end reads another's output.
import type * as vscode from 'vscode';
import type { UploadedFile } from '../core/api/types';
import type { RunEvent } from '../core/conversation/runEvents';
import type { RenderProgress } from '../core/jobs/renderJob';
import type { SourceAnchor } from '../core/projects/sourceAnchor';
import type { Timeline } from '../core/timeline/model';
import type { ExportResult } from '../export/exportService';
import type { ProjectId } from '../projects/projects';
import type { GenerationRequest } from './generation';
import type { Remedy } from './errorText';

/** What to do, and for which project. */
export type JobRequest =
  /** A message for the agent: typed in a chat, a Timeline edit, or @nemo's free text. */
  | { kind: 'message'; projectId: ProjectId; text: string }
  /** A new video from a text: always a new project session. */
  | { kind: 'generation'; projectId: ProjectId; request: GenerationRequest }
  /** Update Video: the revised source text sent to the project as an edit (never a new generation), then exported. */
  | { kind: 'update'; projectId: ProjectId; source: SourceAnchor }
  /** Render the project's current draft and save the MP4 into the workspace. */
  | { kind: 'export'; projectId: ProjectId }
  /** Upload a file (picked now unless given), or the media file at an https `url`, into the project. */
  | { kind: 'upload'; projectId: ProjectId; file?: vscode.Uri; url?: string }
  /** Finish the exports an earlier or closed window left; runs beside the queue. */
  | { kind: 'resumeExports'; projectId: ProjectId };

export type JobKind = JobRequest['kind'];

/** Something the agent's text offered that the client does itself. */
export type SuggestedAction = Extract<RunEvent, { type: 'suggestedAction' }>['action'];

/** A progress line: an agent `step` ends the reply before it; `status` is a note on the work going on; `render` is an export's render-and-download step. */
export type ProgressKind = 'step' | 'status' | 'render';

/** A transfer in progress: the render and download of an export, or an upload. */
export type Transfer = { what: 'render'; progress: RenderProgress } | { what: 'upload'; percent: number };

export type JobEventBody =
  /** Waits behind other work of its project. */
  | { type: 'queued' }
  /** Left the queue (or was never in it): runs now. */
  | { type: 'started' }
  /** Stop or cancel() took it out of the queue before it started; nothing was sent. */
  | { type: 'dropped' }
  /** The message goes to the agent now (a chat message or a generation). */
  | { type: 'runStarted' }
  /** Live text of the agent's reply: append `text` (only the new text). */
  | { type: 'textDelta'; text: string }
  /** Take back the live text shown so far; later deltas start from empty. */
  | { type: 'textRetracted' }
  /** A complete reply text; it replaces the live text before it. */
  | { type: 'text'; text: string }
  /** The agent asked something (worded with its options; `options` as they are, for buttons). */
  | { type: 'question'; text: string; options?: string[] }
  /** The agent's text suggested something the client does itself. */
  | { type: 'suggestedAction'; action: SuggestedAction }
  /** The agent's reply stream ended. */
  | { type: 'runEnded'; status: 'done' | 'error' | 'cancelled' }
  | { type: 'progress'; text: string; kind: ProgressKind }
  /**
   * Something the user should know about the job, in plain words. `endsStep`: the step
   * still open (the render step, else the last progress line) ended this way.
   */
  | { type: 'notice'; text: string; endsStep?: 'cancelled' | 'failed' }
  /** What a run did when the agent said nothing about it (a silent reply, a recovery). */
  | { type: 'summary'; text: string }
  /** The project's timeline as it is now. */
  | { type: 'timeline'; timeline: Timeline }
  /** The run produced a result; `timeline` is the project's timeline after it, when known. */
  | { type: 'runResult'; timeline?: Timeline }
  | { type: 'transfer'; transfer: Transfer }
  /** A video was saved. */
  | { type: 'exported'; file: ExportResult }
  /**
   * Something failed. `text` says it in plain language (it starts with ⚠️), `remedies`
   * are what the user can do about it; `notify` asks for a notification as well.
   */
  | { type: 'error'; error: unknown; text: string; remedies: Remedy[]; notify?: 'error' | 'warning'; endsStep?: 'failed' }
  /** The last event: how the job ended. */
  | { type: 'result'; result: JobResult };

export type JobEvent = JobEventBody & { jobId: string; projectId: ProjectId };

export interface JobResult {
  /**
   * `done`: it ran to its end (errors may have been reported on the way: see `errors`);
   * `cancelled`: Stop or cancel() ended it; `dropped`: it never started;
   * `declined`: the user backed out before it was queued.
   */
  status: 'done' | 'cancelled' | 'dropped' | 'declined';
  /** The texts of the job's error events. */
  errors: string[];
  /** The project's timeline when the job ended, if the job knows it. */
  timeline?: Timeline;
  /** The video this job saved, if it saved one. */
  exported?: ExportResult;
  uploaded?: UploadedFile[];
}

export interface Job {
  readonly id: string;
  readonly projectId: ProjectId;
  readonly request: JobRequest;
  /** What the job sends to the agent, for a message or a generation. */
  readonly message?: string;
  /** Settles with the last event; never rejects. */
  readonly result: Promise<JobResult>;
  /** When the job left the queue and began (`Date.now()`); undefined while it waits. */
  readonly startedAt: number | undefined;
  /**
   * Calls `listener` with every later event. Events can start as soon as the job is
   * submitted: to see all of them, pass the listener to JobRunner.submit, or subscribe
   * in JobRunner.onDidSubmit.
   */
  onEvent(listener: (event: JobEvent) => void): vscode.Disposable;
  /** Ends this job only: a running job is aborted, a queued one dropped. */
  cancel(): void;
}
