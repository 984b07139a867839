// The chat's one live region. The message list itself is not live: a streamed
// reply would otherwise be read out fragment by fragment. Instead a finished
// reply, a new notice or error, and a copy are announced here, once each.
// Announcements made in the same frame are read as one.
import { onNextFrame } from './frame';

/** A screen reader does not need a whole essay read out unasked; the message is in the list. */
export const MAX_ANNOUNCEMENT_CHARS = 1_000;

export class Announcer {
  readonly element: HTMLElement;
  private queued: string[] = [];
  private readonly flushTask = (): void => this.flush();

  constructor() {
    this.element = document.createElement('div');
    this.element.id = 'announcer';
    this.element.className = 'sr-only';
    this.element.setAttribute('role', 'status');
    this.element.setAttribute('aria-live', 'polite');
    this.element.setAttribute('aria-atomic', 'true');
  }

  announce(text: string): void {
    const clean = text.replace(/\s+/g, ' ').trim();
    if (!clean) return;
    this.queued.push(clean.length > MAX_ANNOUNCEMENT_CHARS ? `${clean.slice(0, MAX_ANNOUNCEMENT_CHARS - 1)}…` : clean);
    onNextFrame(this.flushTask, 'scroll');
  }

  private flush(): void {
    let text = this.queued.join(' ');
    this.queued = [];
    // The same words twice in a row would not count as a change: make the second one differ.
    if (text === this.element.textContent) text += '\u00a0';
    this.element.textContent = text;
  }
}

/** Elements whose text does not run into the next one's. */
const SEPARATE = new Set(['P', 'DIV', 'LI', 'UL', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'PRE', 'BLOCKQUOTE', 'TABLE', 'TR', 'TH', 'TD', 'BR', 'HR']);

/** A rendered message as a screen reader should hear it: its text, with ordered lists' numbers. */
export function spokenText(root: Element): string {
  const parts: string[] = [];
  const walk = (node: Node): void => {
    if (node.nodeType === Node.TEXT_NODE) {
      parts.push((node as Text).data);
      return;
    }
    if (!(node instanceof Element) || node.tagName === 'BUTTON') return;
    if (node.tagName === 'OL') {
      let n = Number(node.getAttribute('start') ?? 1);
      for (const item of node.children) {
        parts.push(` ${n++}. `);
        walk(item);
      }
      return;
    }
    for (const child of node.childNodes) walk(child);
    if (SEPARATE.has(node.tagName)) parts.push(' ');
  };
  walk(root);
  return parts.join('');
}
