// The `nemo_generate_video` language-model tool: lets agent mode turn a file or
// a text into a video. prepareInvocation always asks the user first (it spends
// credits), naming the source, the options, the estimated cost and - when it is
// already known - the balance. invoke submits the same generation job as Generate
// Video from Selection (with its automatic export) and answers from that job's
// result: the saved file and the timeline summary, or a plain error text.
import * as vscode from 'vscode';
import { formatCredits } from '../client/credits';
import { isNemoError } from '../core/errors';
import { summarizeTimeline } from '../core/timeline/build';
import type { Timeline } from '../core/timeline/model';
import { rememberedOptions } from '../dialogs/optionsMemory';
import { GENERATION_COST_CREDITS, type GenerationOptions, type GenerationRequest } from '../jobs/generation';
import type { JobRunner } from '../jobs/runner';
import type { NemoLog } from '../log';
import { titleFromText, type ProjectChoice } from '../projects/projects';
import { redactOut } from '../redaction';
import { plainMarkdown } from '../util/inertMarkdown';
import { describeSource, parseToolInput, readToolSource, ToolInputProblem, type GenerateVideoInput } from './toolInput';

export interface ToolDeps {
  runner: JobRunner;
  /** Each generation is a new project. */
  projects: ProjectChoice;
  globalState: vscode.Memento;
  /** The balance as last fetched, if it was (never fetched here: prepare must stay cheap). */
  knownBalance(): number | undefined;
  trusted(): boolean;
  /** The timeline shown in the tree (the last run's result). */
  currentTimeline(): Timeline | undefined;
  log: NemoLog;
}

export function createGenerateVideoTool(d: ToolDeps): vscode.LanguageModelTool<GenerateVideoInput> {
  return {
    prepareInvocation(options) {
      let input: GenerateVideoInput;
      try {
        input = parseToolInput(options.input);
      } catch {
        // Invalid input is refused by invoke before anything is spent: nothing to confirm.
        return { invocationMessage: vscode.l10n.t('Checking the video request…') };
      }
      const o = optionsFor(input, d.globalState);
      const what =
        o.voiceOver
          ? vscode.l10n.t('NemoVideo will turn {0} into a {1}-second {2} video with a voice-over and save the MP4 into the workspace.', describeSource(input), o.durationSeconds, o.aspectRatio)
          : vscode.l10n.t('NemoVideo will turn {0} into a {1}-second {2} video without a voice-over and save the MP4 into the workspace.', describeSource(input), o.durationSeconds, o.aspectRatio);
      const balance = d.knownBalance();
      const lines = [
        vscode.l10n.t('This spends about {0} credits.', formatCredits(GENERATION_COST_CREDITS)),
        ...(balance !== undefined ? [vscode.l10n.t('Your balance: {0} credits.', formatCredits(balance))] : []),
        ...(balance !== undefined && balance < GENERATION_COST_CREDITS ? [vscode.l10n.t('That may not be enough; the generation can stop with "out of credits".')] : []),
        ...(!d.trusted() ? [vscode.l10n.t('This workspace is not trusted, so NemoVideo always asks before spending credits.')] : []),
      ];
      // The file name comes from the model: shown escaped, like everything here.
      const message = plainMarkdown(`${what}\n\n${lines.join(' ')}`);
      return {
        invocationMessage: vscode.l10n.t('Generating a video with NemoVideo…'),
        confirmationMessages: { title: vscode.l10n.t('Generate a video with NemoVideo?'), message },
      };
    },

    async invoke(options, token) {
      try {
        const input = parseToolInput(options.input);
        const source = await readToolSource(input);
        if (token.isCancellationRequested) return result(vscode.l10n.t('Cancelled before anything was sent. No credits were spent.'));
        const req: GenerationRequest = { text: source.text, options: optionsFor(input, d.globalState), ...(source.source ? { source: source.source } : {}) };
        const job = d.runner.submit({ kind: 'generation', projectId: d.projects.newGeneration(titleFromText(source.text)), request: req });
        const cancel = token.onCancellationRequested(() => job.cancel());
        const done = await job.result.finally(() => cancel.dispose());
        const timeline = done.timeline ?? d.currentTimeline();
        const summary = timeline && timeline.tracks.length > 0 ? summarizeTimeline(timeline) : undefined;
        if (done.status === 'cancelled' || done.status === 'dropped') return result(vscode.l10n.t('The generation was stopped by the user. No video was saved.'));
        if (done.errors.length > 0) {
          return result(vscode.l10n.t('NemoVideo could not make the video: {0}', done.errors.map((e) => e.replace(/^⚠️\s*/, '')).join(' ')));
        }
        if (done.exported) {
          const saved = done.exported.uri;
          const where = saved.scheme === 'file' ? saved.fsPath : saved.toString();
          const lines = [vscode.l10n.t('The video was generated and saved to {0} ({1}).', done.exported.label, where)];
          if (summary) lines.push(summary);
          return result(lines.join('\n'));
        }
        const lines = [vscode.l10n.t('The video was generated but not saved yet (automatic export is off, or the video is not ready). Run “NemoVideo: Export Video” to save it.')];
        if (summary) lines.push(summary);
        return result(lines.join('\n'));
      } catch (e) {
        if (!(e instanceof ToolInputProblem)) d.log.failure('The nemo_generate_video tool failed', e);
        const text = e instanceof ToolInputProblem || isNemoError(e) ? e.message : vscode.l10n.t('Something went wrong: {0}', e instanceof Error ? e.message : String(e));
        return result(vscode.l10n.t('NemoVideo could not make the video: {0}', text));
      }
    },
  };
}

/** The options the agent gave, the rest as last chosen in Generate Video from Selection. */
function optionsFor(input: GenerateVideoInput, state: vscode.Memento): GenerationOptions {
  const last = rememberedOptions(state);
  return {
    durationSeconds: input.durationSeconds ?? last.durationSeconds,
    aspectRatio: input.aspectRatio ?? last.aspectRatio,
    voiceOver: input.voiceOver ?? last.voiceOver,
  };
}

function result(text: string): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(redactOut(text))]);
}
