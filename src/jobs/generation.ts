// What a generation request holds (from a selection, @nemo or the language-model
// tool), and the message it becomes for the agent.
import * as vscode from 'vscode';

export type VideoLength = 15 | 30 | 60;
export type AspectRatio = '16:9' | '9:16' | '1:1';

export interface GenerationOptions {
  durationSeconds: VideoLength;
  aspectRatio: AspectRatio;
  voiceOver: boolean;
}

export interface GenerationRequest {
  /** The selected text (never empty). */
  text: string;
  options: GenerationOptions;
  /** Where the text came from, for the chat ("script.md"). */
  source?: string;
}

export const DEFAULT_GENERATION_OPTIONS: GenerationOptions = { durationSeconds: 30, aspectRatio: '16:9', voiceOver: true };

/** The agent gets the text as one message; longer texts are refused up front. */
export const MAX_SELECTION_CHARS = 20_000;

/** About 100 credits per generated clip (docs/protocol.md §9). */
export const GENERATION_COST_CREDITS = 100;
/** About 50 credits per editing session (docs/protocol.md §9): Update Video's estimate. */
export const EDIT_COST_CREDITS = 50;

export function generationPrompt(req: GenerationRequest): string {
  const o = req.options;
  return o.voiceOver
    ? vscode.l10n.t('Make a {0}-second {1} video with a voice-over from this text:\n\n{2}', o.durationSeconds, o.aspectRatio, req.text)
    : vscode.l10n.t('Make a {0}-second {1} video without a voice-over from this text:\n\n{2}', o.durationSeconds, o.aspectRatio, req.text);
}

/** The edit Update Video sends: the whole revised text, asking to keep what the user did not change. */
export function updatePrompt(text: string): string {
  return `The source text of this video was revised. Update the video to follow the revised text below. Keep its music, title and style; change only what the text changed.\n\n${text}`;
}
