// The questions before a generation spends credits, shared by Generate Video from
// Selection and @nemo /generate: the options (length, aspect ratio, voice-over) from
// quick picks that remember the last choice, unless nemoVideo.askOptions is off, and
// the cost, confirmed unless nemoVideo.confirmBeforeSpending is off - and ALWAYS in an
// untrusted workspace. The language-model tool asks through VS Code's own
// confirmation instead, with the remembered options.
import * as vscode from 'vscode';
import { formatCredits, type CreditBalance } from '../client/credits';
import {
  GENERATION_COST_CREDITS,
  type AspectRatio,
  type GenerationOptions,
  type VideoLength,
} from '../jobs/generation';
import type { Settings } from '../settings';
import { rememberedOptions, rememberOptions } from './optionsMemory';
import { confirmModal } from './prompts';

export interface GenerationQuestionDeps {
  settings: Settings;
  credits: CreditBalance;
  globalState: vscode.Memento;
  /** Shows the chat, where the untrusted-workspace line appears. */
  openChat(): void;
  /** Adds a line to the chat. */
  tellChat(text: string): void;
}

/**
 * The options (asked, or the remembered ones) and the cost confirmation for `count`
 * generations. Undefined when the user backed out.
 */
export async function prepareGeneration(
  d: GenerationQuestionDeps,
  count: number,
  /** The confirmation's question (default: one per selection); `always` asks even when nemoVideo.confirmBeforeSpending is off. */
  ask: { question?: string; always?: boolean } = {},
): Promise<GenerationOptions | undefined> {
  const settings = d.settings.current();
  let options = rememberedOptions(d.globalState);
  if (settings.askOptions) {
    const chosen = await askOptions(options);
    if (!chosen) return undefined;
    options = chosen;
    rememberOptions(d.globalState, options);
  }
  if (!settings.trusted) {
    d.openChat();
    d.tellChat(vscode.l10n.t('🔒 This workspace is not trusted, so NemoVideo asks before every generation that spends credits.'));
  }
  if (settings.confirmBeforeSpending || !settings.trusted || ask.always) {
    if (!(await confirmSpending(d, count, !settings.trusted, ask.question))) return undefined;
  }
  return options;
}

/** Keeps `options` as the last used (Generate from Selection and the chat's chips share them). */
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
async function confirmSpending(d: Pick<GenerationQuestionDeps, 'credits'>, count: number, untrusted: boolean, question?: string): Promise<boolean> {
  return confirmCost(d, {
    cost: GENERATION_COST_CREDITS * count,
    untrusted,
    action: vscode.l10n.t('Generate'),
    question: question ?? (count === 1 ? vscode.l10n.t('Generate a video from the selection?') : vscode.l10n.t('Generate {0} videos, one per selection?', count)),
  });
}

/** A modal with the estimated cost and the balance (read now); true when the user chose `action`. */
export async function confirmCost(d: Pick<GenerationQuestionDeps, 'credits'>, ask: { cost: number; question: string; action: string; untrusted: boolean; note?: string }): Promise<boolean> {
  const { cost, untrusted } = ask;
  let balance: number | undefined;
  try {
    balance = (await d.credits.refresh()).available;
  } catch {
    balance = undefined;
  }
  const lines = [
    ...(ask.note ? [ask.note] : []),
    vscode.l10n.t('This spends about {0} credits.', formatCredits(cost)),
    balance === undefined ? vscode.l10n.t('Your balance could not be checked right now.') : vscode.l10n.t('Your balance: {0} credits.', formatCredits(balance)),
  ];
  if (balance !== undefined && balance < cost) lines.push(vscode.l10n.t('That may not be enough; the generation can stop with "out of credits".'));
  if (untrusted) lines.push(vscode.l10n.t('This workspace is not trusted, so NemoVideo always asks before spending credits.'));
  return confirmModal(ask.question, ask.action, lines.join('\n'));
}
