// The composer's chips: length, aspect ratio and voice-over, the same options as
// Generate from Selection and remembered with them (globalState). A message typed in
// the chat that starts a new video (the project has no session yet) carries them, in
// words the agent reads, as defaults: what the message itself says wins ("a 15-second
// teaser" stays 15 seconds). A message to an existing video is sent as typed.
import * as vscode from 'vscode';
import { rememberedOptions, rememberOptions } from '../dialogs/optionsMemory';
import type { GenerationOptions } from '../jobs/generation';
import type { Projects } from '../projects/projects';
import type { ComposerOptions, RequestReply, Snapshot } from '../protocol';

export interface ComposerOptionDeps {
  state: vscode.Memento;
  /** The shown project: one with no session yet starts a new video. */
  projects: Pick<Projects, 'current'>;
}

export class ComposerChips {
  constructor(private readonly d: ComposerOptionDeps) {}

  snapshot(): Pick<Snapshot, 'composer'> {
    return { composer: rememberedOptions(this.d.state) };
  }

  set(options: ComposerOptions): RequestReply {
    rememberOptions(this.d.state, options);
    return { ok: true };
  }

  /** The text to send for a typed message: with the chips' options when it starts a new video. */
  apply(text: string): string {
    if (this.d.projects.current()) return text;
    return `${text}\n\n${optionsSentence(rememberedOptions(this.d.state))}`;
  }
}

export function optionsSentence(o: GenerationOptions): string {
  return o.voiceOver
    ? vscode.l10n.t('(Unless I said otherwise: {0} seconds, {1}, with a voice-over.)', o.durationSeconds, o.aspectRatio)
    : vscode.l10n.t('(Unless I said otherwise: {0} seconds, {1}, without a voice-over.)', o.durationSeconds, o.aspectRatio);
}
