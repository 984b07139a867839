// The generation options last chosen (length, aspect ratio, voice-over), remembered in
// global state and shared by Generate from Selection, the chat's composer chips and the
// language-model tool. Apart from the questions (generationOptions.ts), which load with
// the commands that ask them.
import type * as vscode from 'vscode';
import { DEFAULT_GENERATION_OPTIONS, type AspectRatio, type GenerationOptions, type VideoLength } from '../jobs/generation';

const OPTIONS_KEY = 'nemoVideo.generationOptions';

export function rememberOptions(state: vscode.Memento, options: GenerationOptions): void {
  // Not awaited: persisting can be slow and the choice is already in memory.
  void Promise.resolve(state.update(OPTIONS_KEY, options)).then(undefined, () => undefined);
}

/** The options of the last generation (or the defaults). */
export function rememberedOptions(state: vscode.Memento): GenerationOptions {
  const saved = state.get<Partial<GenerationOptions>>(OPTIONS_KEY);
  return {
    durationSeconds: [15, 30, 60].includes(saved?.durationSeconds as number) ? (saved!.durationSeconds as VideoLength) : DEFAULT_GENERATION_OPTIONS.durationSeconds,
    aspectRatio: ['16:9', '9:16', '1:1'].includes(saved?.aspectRatio as string) ? (saved!.aspectRatio as AspectRatio) : DEFAULT_GENERATION_OPTIONS.aspectRatio,
    voiceOver: typeof saved?.voiceOver === 'boolean' ? saved.voiceOver : DEFAULT_GENERATION_OPTIONS.voiceOver,
  };
}
