// A streaming assistant message, rendered as Markdown while it grows, at a
// cost that does not grow with the message:
//  - per delta: the text goes into one Text node (appendData) and a render is
//    scheduled for the next frame. Nothing else: no parsing, no re-render.
//  - per frame (frame.ts, render phase): the text that arrived since the last
//    frame is joined to the uncommitted tail. Every block that is complete (up to
//    the last blank line outside a code fence, or a closing fence) is rendered
//    once and committed: it is never rendered again. What remains, the block still
//    being written, is re-rendered as Markdown; it is kept at most TAIL_CHARS long
//    (cut at a line break, inside a fence by closing and reopening it), so the
//    frame's work is bounded by what arrived plus TAIL_CHARS.
// A block that is cut mid-stream may look split for a moment (a long table, a
// reference link defined further down); the final messageUpdated renders the
// whole message once.
import { cancelFrameTask, onNextFrame } from './frame';
import { markdownFragment } from './markdown';
import { splitCommitted } from './markdownBlocks';

export const TAIL_CHARS = 4_096;

export class MarkdownStream {
  private all: string;
  /** Text not committed yet: the tail (rendered last frame) plus what arrived since. */
  private pending: string;
  private readonly tail: HTMLElement;
  /** What arrived since the last frame, shown as plain text until the frame renders it. */
  private readonly fresh: Text;
  private scheduled = false;
  private readonly flushTask = (): void => this.flush();

  constructor(
    private readonly body: HTMLElement,
    initial: string,
    private readonly linkTitle: (url: string) => string,
    /** The DOM changed in a frame's render phase. */
    private readonly onRendered: () => void,
  ) {
    this.all = '';
    this.pending = '';
    this.tail = document.createElement('div');
    this.tail.className = 'md-tail';
    this.fresh = document.createTextNode('');
    body.append(this.tail, this.fresh);
    this.append(initial);
  }

  /** Everything streamed so far (for Copy). */
  get text(): string {
    return this.all;
  }

  append(text: string): void {
    if (text.length === 0) return;
    this.all += text;
    this.pending += text;
    this.fresh.appendData(text);
    if (!this.scheduled) {
      this.scheduled = true;
      onNextFrame(this.flushTask, 'render');
    }
  }

  /** The message was replaced (final text, or a snapshot): nothing more to render. */
  dispose(): void {
    cancelFrameTask(this.flushTask);
    this.scheduled = false;
  }

  /** Renders what arrived: commits finished blocks, re-renders the (bounded) tail. */
  flush(): void {
    this.scheduled = false;
    const { commit, rest } = splitCommitted(this.pending, TAIL_CHARS);
    if (commit.length > 0) {
      const part = document.createElement('div');
      part.className = 'md-part';
      // The newline keeps blocks apart in the text (copying, textContent); it is not displayed.
      part.append(markdownFragment(commit, this.linkTitle), '\n');
      this.body.insertBefore(part, this.tail);
    }
    this.pending = rest;
    this.tail.replaceChildren(markdownFragment(rest, this.linkTitle));
    this.fresh.data = '';
    this.onRendered();
  }
}
