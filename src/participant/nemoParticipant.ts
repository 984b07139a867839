// `@nemo` in VS Code's native Chat view. Every command is a thin adapter over the
// same jobs the chat panel and the commands start: /generate submits the same
// generation (same options, same spending confirmation), with the attached #file
// as its script when there is one; /export the same export; /edit and a plain
// prompt the same chat message. The answer is built from that job's own events
// (jobReply.ts), its follow-ups from what it left (followups.ts). Registered only
// where the chat API exists.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { creditsText, type CreditBalance } from '../client/credits';
import { isNemoError } from '../core/errors';
import { routeIntent } from '../core/routing/intent';
import { summarizeTimeline } from '../core/timeline/build';
import type { Timeline } from '../core/timeline/model';
import { prepareGeneration, type GenerationQuestionDeps } from '../dialogs/generationOptions';
import { MAX_SELECTION_CHARS, type GenerationRequest } from '../jobs/generation';
import type { JobRequest } from '../jobs/job';
import type { JobRunner } from '../jobs/runner';
import type { NemoLog } from '../log';
import { titleFromText, type ProjectChoice } from '../projects/projects';
import { promptWithoutReferences, readAttachedScript } from './attachedFiles';
import { JobReply } from './jobReply';
import { ResponseWriter } from './responseWriter';

export interface ParticipantDeps {
  runner: JobRunner;
  /** The chat's project (export, edits) and a new one per generation. */
  projects: ProjectChoice;
  credits: CreditBalance;
  /** What Generate Video from Selection needs for its options and cost confirmation. */
  generation: GenerationQuestionDeps;
  /** The timeline shown in the tree (the last run's result). */
  currentTimeline(): Timeline | undefined;
  /** Fetches the current project's timeline (and shows it in the tree); undefined without a project. */
  loadTimeline(signal: AbortSignal): Promise<Timeline | undefined>;
  /** True when the balance belongs to a guest (anonymous) token. */
  isGuest(): boolean;
  log: NemoLog;
}

type Command = 'generate' | 'status' | 'export' | 'credits' | 'edit';

export function createNemoChatHandler(d: ParticipantDeps): vscode.ChatRequestHandler {
  return async (request, _context, stream, token) => {
    const out = new ResponseWriter(stream);
    const command = request.command ?? '';
    try {
      switch (command) {
        case 'generate':
          return await generate(d, request, out, token);
        case 'status':
          return await status(d, out, token);
        case 'export':
          return await runJob(d, 'export', { kind: 'export', projectId: d.projects.activeId }, out, token);
        case 'credits':
          return await credits(d, out, token);
        case 'edit':
          return await edit(d, request.prompt, out, token);
        default:
          // An attached file can only be a script: a prompt with one is a generation.
          if (request.references.some((r) => r.value instanceof vscode.Uri || r.value instanceof vscode.Location)) return await generate(d, request, out, token);
          return await freeText(d, request.prompt, out, token);
      }
    } catch (e) {
      d.log.failure(`@nemo /${command || 'prompt'} failed`, e);
      out.text(`⚠️ ${errorText(e)}`);
      return { metadata: { command: command || 'edit', failed: true } };
    }
  };
}

// -- the commands -----------------------------------------------------------------

async function generate(d: ParticipantDeps, request: vscode.ChatRequest, out: ResponseWriter, token: vscode.CancellationToken): Promise<vscode.ChatResult> {
  const attached = await readAttachedScript(request.references);
  if (attached.kind === 'problem') {
    out.text(attached.text);
    return { metadata: { command: 'generate', attachment: false } };
  }
  const input =
    attached.kind === 'script'
      ? scriptInput(attached.script.text, attached.script.source, promptWithoutReferences(request.prompt, request.references))
      : generationInput(request.prompt);
  if (!input) {
    out.ownMarkdown(
      vscode.l10n.t(
        'Select the text you want to turn into a video in an editor, or write it after `/generate`, for example: `@nemo /generate A 30-second teaser for a neighbourhood coffee shop`.',
      ),
    );
    return { metadata: { command: 'generate', empty: true } };
  }
  if (input.text.length > MAX_SELECTION_CHARS) {
    out.text(vscode.l10n.t('The text is too long ({0} characters). Use at most {1} characters, for example one section of the script.', input.text.length, MAX_SELECTION_CHARS));
    return { metadata: { command: 'generate', tooLong: true } };
  }
  // The same options and spending confirmation as Generate Video from Selection (the panel is not opened here).
  const options = await prepareGeneration(d.generation, 1);
  if (!options || token.isCancellationRequested) {
    out.text(vscode.l10n.t('Nothing was generated, and no credits were spent.'));
    return { metadata: { command: 'generate', declined: true } };
  }
  out.text(
    input.attached
      ? vscode.l10n.t('🎬 Generating a {0}-second {1} video from {2} ({3} characters).', options.durationSeconds, options.aspectRatio, input.source ?? '', input.text.length)
      : input.source
        ? vscode.l10n.t('🎬 Generating a {0}-second {1} video from the selection in {2} ({3} characters).', options.durationSeconds, options.aspectRatio, input.source, input.text.length)
        : vscode.l10n.t('🎬 Generating a {0}-second {1} video from your prompt ({2} characters).', options.durationSeconds, options.aspectRatio, input.text.length),
  );
  const req: GenerationRequest = { text: input.text, options, ...(input.source ? { source: input.source } : {}) };
  return runJob(d, 'generate', { kind: 'generation', projectId: d.projects.newGeneration(titleFromText(input.text)), request: req }, out, token);
}

async function status(d: ParticipantDeps, out: ResponseWriter, token: vscode.CancellationToken): Promise<vscode.ChatResult> {
  const timeline = await d.loadTimeline(signalOf(token));
  if (!timeline) {
    out.text(vscode.l10n.t('There is no video project yet. Describe a video or generate one from a selection.'));
    return { metadata: { command: 'status', project: false } };
  }
  out.text(summarizeTimeline(timeline));
  if (timeline.exportable) out.button({ command: 'nemoVideo.export', title: vscode.l10n.t('Export Video') });
  out.button({ command: 'nemoVideo.openChat', title: vscode.l10n.t('Open NemoVideo Chat') });
  return { metadata: { command: 'status', project: true, exportable: timeline.exportable } };
}

async function credits(d: ParticipantDeps, out: ResponseWriter, token: vscode.CancellationToken): Promise<vscode.ChatResult> {
  const c = await d.credits.refresh(signalOf(token));
  out.text(creditsText(c));
  if (d.isGuest()) {
    out.text(vscode.l10n.t('These are guest credits; set an API token to use your own account.'));
    out.button({ command: 'nemoVideo.setToken', title: vscode.l10n.t('Set API Token…') });
  }
  return { metadata: { command: 'credits', available: c.available } };
}

/** /edit: the prompt goes to the agent as a change to the current video, without the routing of a plain prompt. */
async function edit(d: ParticipantDeps, prompt: string, out: ResponseWriter, token: vscode.CancellationToken): Promise<vscode.ChatResult> {
  const text = prompt.trim();
  if (!text) return freeText(d, '', out, token);
  return runJob(d, 'edit', { kind: 'message', projectId: d.projects.activeId, text }, out, token);
}

/** No command: routed like text typed into the chat panel (§13.1), else a chat edit of the current project. */
async function freeText(d: ParticipantDeps, prompt: string, out: ResponseWriter, token: vscode.CancellationToken): Promise<vscode.ChatResult> {
  const text = prompt.trim();
  if (!text) {
    out.ownMarkdown(
      vscode.l10n.t(
        'Ask **@nemo** to make or change a video:\n\n- `/generate` turns the selection in the editor, an attached `#file` or your prompt into a video\n- `/edit` changes the current video, for example “make the intro shorter”\n- `/status` shows the timeline of the current video\n- `/export` saves the MP4 into the workspace\n- `/credits` shows your balance\n\nAnything else goes to NemoVideo as a change to the current video too.',
      ),
    );
    return { metadata: { command: 'help' } };
  }
  switch (routeIntent(text).kind) {
    case 'export':
      return runJob(d, 'export', { kind: 'export', projectId: d.projects.activeId }, out, token);
    case 'credits':
      return credits(d, out, token);
    case 'status':
      return status(d, out, token);
    case 'upload':
      out.text(vscode.l10n.t('Pick the file to upload with NemoVideo: Upload Media, or the Attach button in the NemoVideo chat.'));
      out.button({ command: 'nemoVideo.upload', title: vscode.l10n.t('Upload Media…') });
      return { metadata: { command: 'upload' } };
    case 'agent':
      return runJob(d, 'edit', { kind: 'message', projectId: d.projects.activeId, text }, out, token);
  }
}

/** Runs one job, answering from its events, and ends with Open Video / Open NemoVideo Chat. Cancelling the request cancels the job. */
async function runJob(d: ParticipantDeps, command: Command, request: JobRequest, out: ResponseWriter, token: vscode.CancellationToken): Promise<vscode.ChatResult> {
  const reply = new JobReply(out);
  const job = d.runner.submit(request, (e) => reply.handle(e));
  const cancel = token.onCancellationRequested(() => job.cancel());
  if (token.isCancellationRequested) job.cancel();
  const result = await job.result.finally(() => cancel.dispose());
  const cancelled = result.status === 'cancelled' || result.status === 'dropped';
  if (cancelled) out.text(vscode.l10n.t('⏹ Stopped.'));
  if (result.exported) {
    out.button({ command: 'vscode.open', title: vscode.l10n.t('Open Video'), arguments: [result.exported.uri] });
  } else if (!cancelled && result.errors.length === 0 && (result.timeline ?? d.currentTimeline())?.exportable) {
    out.button({ command: 'nemoVideo.export', title: vscode.l10n.t('Export Video') });
  }
  out.button({ command: 'nemoVideo.openChat', title: vscode.l10n.t('Open NemoVideo Chat') });
  const timeline = result.timeline ?? d.currentTimeline();
  return {
    metadata: {
      command,
      cancelled,
      ...(result.exported ? { exported: result.exported.uri.toString() } : {}),
      errors: result.errors.length,
      project: !!timeline && timeline.tracks.length > 0,
      exportable: !!timeline?.exportable,
    },
  };
}

// -- helpers ----------------------------------------------------------------------

interface GenerationInput {
  text: string;
  /** The file the text came from: a selection in it, or attached. */
  source?: string;
  attached?: boolean;
}

/** The attached files as the script; what else the prompt says comes first, as the user's direction. */
function scriptInput(script: string, source: string, prompt: string): GenerationInput {
  return { text: prompt ? `${prompt}\n\n${script}` : script, source, attached: true };
}

/** The active editor's selection, else the prompt; undefined when both are empty. */
function generationInput(prompt: string): GenerationInput | undefined {
  const editor = vscode.window.activeTextEditor;
  const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection).trim() : '';
  if (editor && selected) return { text: selected, source: path.basename(editor.document.uri.path) };
  const text = prompt.trim();
  return text ? { text } : undefined;
}

function signalOf(token: vscode.CancellationToken): AbortSignal {
  const abort = new AbortController();
  if (token.isCancellationRequested) abort.abort();
  else token.onCancellationRequested(() => abort.abort());
  return abort.signal;
}

function errorText(e: unknown): string {
  if (isNemoError(e)) return e.message;
  return vscode.l10n.t('Something went wrong: {0}', e instanceof Error ? e.message : String(e));
}
