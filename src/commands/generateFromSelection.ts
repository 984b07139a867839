// Generate Video from Selection: every non-empty selection becomes its own
// generation (own project, own run, own file). Options (length, aspect ratio,
// voice-over) come from quick picks that remember the last choice, unless
// nemoVideo.askOptions is off; the cost is confirmed unless
// nemoVideo.confirmBeforeSpending is off - and ALWAYS in an untrusted workspace.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  DEFAULT_GENERATION_OPTIONS,
  GENERATION_COST_CREDITS,
  type AspectRatio,
  type GenerationOptions,
  type GenerationRequest,
  type VideoLength,
} from '../conversation/generation';
import type { Transcript } from '../conversation/transcript';
import type { Workflows } from '../conversation/workflows';
import type { Settings } from '../settings';
import { formatCredits } from '../statusBar';

const OPTIONS_KEY = 'nemoVideo.generationOptions';
/** The agent gets the text as one message; very long selections are refused up front. */
export const MAX_SELECTION_CHARS = 20_000;

export interface GenerateDeps {
  settings: Settings;
  workflows: Workflows;
  transcript: Transcript;
  globalState: vscode.Memento;
  openChat(): void;
}

export async function generateFromSelection(d: GenerateDeps): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const texts = editor ? editor.selections.map((s) => editor.document.getText(s).trim()).filter((t) => t !== '') : [];
  if (!editor || texts.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Select the text you want to turn into a video first.'));
    return;
  }
  const tooLong = texts.find((t) => t.length > MAX_SELECTION_CHARS);
  if (tooLong) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('The selection is too long ({0} characters). Select at most {1} characters, for example one section of the script.', tooLong.length, MAX_SELECTION_CHARS),
    );
    return;
  }
  const options = await prepareGeneration(d, texts.length);
  if (!options) return;
  d.openChat();
  const source = path.basename(editor.document.uri.path);
  for (const text of texts) {
    const req: GenerationRequest = { text, options, source };
    // Queued one after another; the command returns once all are queued.
    void d.workflows.generate(req);
  }
}

/**
 * The steps before any generation spends credits, shared by this command and the @nemo
 * participant: the options (asked, or the remembered ones) and the cost confirmation
 * (unless confirmBeforeSpending is off - never skipped in an untrusted workspace).
 * Undefined when the user backed out.
 */
export async function prepareGeneration(d: GenerateDeps, count: number): Promise<GenerationOptions | undefined> {
  const settings = d.settings.current();
  let options = rememberedOptions(d.globalState);
  if (settings.askOptions) {
    const chosen = await askOptions(options);
    if (!chosen) return undefined;
    options = chosen;
    // Not awaited: persisting can be slow and the choice is already in memory.
    void Promise.resolve(d.globalState.update(OPTIONS_KEY, options)).then(undefined, () => undefined);
  }
  if (!settings.trusted) {
    d.openChat();
    d.transcript.add('system', vscode.l10n.t('🔒 This workspace is not trusted, so NemoVideo asks before every generation that spends credits.'));
  }
  if (settings.confirmBeforeSpending || !settings.trusted) {
    if (!(await confirmSpending(d, count, !settings.trusted))) return undefined;
  }
  return options;
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

interface Choice<T> extends vscode.QuickPickItem {
  value: T;
}

/** One quick pick; the last choice comes first and is marked. */
async function pickOne<T>(title: string, step: number, items: Array<Choice<T>>, last: T): Promise<T | undefined> {
  const lastUsed = vscode.l10n.t('last used');
  const ordered = [...items.filter((i) => i.value === last).map((i) => ({ ...i, description: i.description ? `${i.description} · ${lastUsed}` : lastUsed })), ...items.filter((i) => i.value !== last)];
  const picked = await vscode.window.showQuickPick(ordered, { title: `${title} (${step}/3)`, ignoreFocusOut: true });
  return picked?.value;
}

async function askOptions(last: GenerationOptions): Promise<GenerationOptions | undefined> {
  const title = vscode.l10n.t('Generate Video from Selection');
  const durationSeconds = await pickOne<VideoLength>(
    title,
    1,
    [
      { label: vscode.l10n.t('15 seconds'), value: 15 },
      { label: vscode.l10n.t('30 seconds'), value: 30 },
      { label: vscode.l10n.t('60 seconds'), value: 60 },
    ],
    last.durationSeconds,
  );
  if (durationSeconds === undefined) return undefined;
  const aspectRatio = await pickOne<AspectRatio>(
    title,
    2,
    [
      { label: '16:9', description: vscode.l10n.t('Landscape: YouTube, presentations'), value: '16:9' },
      { label: '9:16', description: vscode.l10n.t('Vertical: Shorts, Reels, TikTok'), value: '9:16' },
      { label: '1:1', description: vscode.l10n.t('Square: feeds'), value: '1:1' },
    ],
    last.aspectRatio,
  );
  if (aspectRatio === undefined) return undefined;
  const voiceOver = await pickOne<boolean>(
    title,
    3,
    [
      { label: vscode.l10n.t('With voice-over'), value: true },
      { label: vscode.l10n.t('Without voice-over'), value: false },
    ],
    last.voiceOver,
  );
  if (voiceOver === undefined) return undefined;
  return { durationSeconds, aspectRatio, voiceOver };
}

/** A modal with the estimated cost (about 100 credits per generation, §9) and the balance. */
async function confirmSpending(d: GenerateDeps, count: number, untrusted: boolean): Promise<boolean> {
  const cost = GENERATION_COST_CREDITS * count;
  let balance: number | undefined;
  try {
    balance = (await d.workflows.credits()).available;
  } catch {
    balance = undefined;
  }
  const lines = [
    vscode.l10n.t('This spends about {0} credits.', formatCredits(cost)),
    balance === undefined ? vscode.l10n.t('Your balance could not be checked right now.') : vscode.l10n.t('Your balance: {0} credits.', formatCredits(balance)),
  ];
  if (balance !== undefined && balance < cost) lines.push(vscode.l10n.t('That may not be enough; the generation can stop with "out of credits".'));
  if (untrusted) lines.push(vscode.l10n.t('This workspace is not trusted, so NemoVideo always asks before spending credits.'));
  const go = vscode.l10n.t('Generate');
  const message = count === 1 ? vscode.l10n.t('Generate a video from the selection?') : vscode.l10n.t('Generate {0} videos, one per selection?', count);
  const answer = await vscode.window.showWarningMessage(message, { modal: true, detail: lines.join('\n') }, go);
  return answer === go;
}
