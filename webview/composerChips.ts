// The composer's chips: the length, aspect ratio and voice-over of the next new video,
// the options Generate from Selection asks for. Each chip steps through its values on
// click (Enter/Space); the host remembers the choice (an `options` request) and sends
// it with the message that starts a new video. The snapshot says what is remembered.
import type { ComposerOptions } from '../src/protocol';
import { localize, t } from './l10n';

const LENGTHS = [15, 30, 60] as const;
const RATIOS = ['16:9', '9:16', '1:1'] as const;

export const DEFAULT_COMPOSER_OPTIONS: ComposerOptions = { durationSeconds: 30, aspectRatio: '16:9', voiceOver: true };

export class ComposerChips {
  private options: ComposerOptions = DEFAULT_COMPOSER_OPTIONS;
  private readonly length: HTMLButtonElement;
  private readonly ratio: HTMLButtonElement;
  private readonly voice: HTMLButtonElement;

  constructor(
    root: HTMLElement,
    /** The user changed a chip: tell the host. */
    private readonly onChange: (options: ComposerOptions) => void,
  ) {
    const label = document.createElement('span');
    label.className = 'chips-label';
    this.length = chip('chip-length', () => this.change({ durationSeconds: next(LENGTHS, this.options.durationSeconds) }));
    this.ratio = chip('chip-ratio', () => this.change({ aspectRatio: next(RATIOS, this.options.aspectRatio) }));
    this.voice = chip('chip-voice', () => this.change({ voiceOver: !this.options.voiceOver }));
    root.append(label, this.length, this.ratio, this.voice);
    localize(() => {
      label.textContent = t('New video:');
      root.title = t('Used when a message starts a new video, as in Generate Video from Selection');
      this.render();
    });
  }

  get value(): ComposerOptions {
    return this.options;
  }

  /** What the host remembers (a snapshot); does not post. */
  set(options: ComposerOptions | undefined): void {
    this.options = options ?? DEFAULT_COMPOSER_OPTIONS;
    this.render();
  }

  private change(patch: Partial<ComposerOptions>): void {
    this.options = { ...this.options, ...patch };
    this.render();
    this.onChange(this.options);
  }

  private render(): void {
    const o = this.options;
    this.length.textContent = t('{0} s', o.durationSeconds);
    // Each label starts with what the chip is and contains its visible text (WCAG 2.5.3).
    this.length.setAttribute('aria-label', t('Length: {0} s', o.durationSeconds));
    this.ratio.textContent = o.aspectRatio;
    this.ratio.setAttribute('aria-label', t('Aspect ratio: {0}', o.aspectRatio));
    // The text says the state ("No voice-over"), so it is the whole label.
    this.voice.textContent = o.voiceOver ? t('Voice-over') : t('No voice-over');
    this.voice.classList.toggle('off', !o.voiceOver);
  }
}

function chip(id: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.id = id;
  b.className = 'chip';
  b.addEventListener('click', onClick);
  return b;
}

function next<T>(values: readonly T[], current: T): T {
  return values[(values.indexOf(current) + 1) % values.length]!;
}
