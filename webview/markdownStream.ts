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

const FENCE = /^ {0,3}(`{3,}|~{3,})([^`]*)$/;

/**
 * Splits streamed text into a part made of finished blocks (rendered once, then kept) and
 * the rest, which is still being written. Exported for tests.
 *  - A block is finished after a blank line outside a code fence, or after a closing fence.
 *  - If the rest would be longer than `limit`, it is cut anyway: after the last complete
 *    line or, when the last line itself is long, at a space in it (hard when there is none),
 *    leaving at most half the limit. Inside an open code fence the committed part gets a
 *    closing fence and the rest reopens it with the same opener line.
 */
export function splitCommitted(text: string, limit: number): { commit: string; rest: string } {
  let boundary = 0;
  let fence: { marker: string; opener: string; bodyStart: number } | undefined;
  let lineStart = 0;
  for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', lineStart)) {
    const line = text.slice(lineStart, nl).replace(/\r$/, '');
    const next = nl + 1;
    if (fence) {
      if (isClosingFence(line, fence.marker)) {
        fence = undefined;
        boundary = next;
      }
    } else {
      const open = FENCE.exec(line);
      if (open && !(open[1]![0] === '`' && open[2]!.includes('`'))) fence = { marker: open[1]!, opener: line, bodyStart: next };
      else if (line.trim() === '') boundary = next;
    }
    lineStart = next;
  }
  if (text.length - boundary <= limit) return { commit: text.slice(0, boundary), rest: text.slice(boundary) };

  // The unfinished block is too long to re-render every frame: cut it.
  const keep = limit >> 1;
  let cut = lineStart;
  if (cut <= (fence ? fence.bodyStart : boundary) || text.length - cut > keep) {
    const from = Math.max(lineStart, text.length - keep);
    const space = text.lastIndexOf(' ', text.length - 1);
    cut = space >= from ? space + 1 : text.length - keep;
    if (/[\udc00-\udfff]/.test(text[cut] ?? '')) cut--; // never between the halves of a surrogate pair
  }
  if (!fence) return { commit: text.slice(0, cut), rest: text.slice(cut) };
  const closer = fence.marker[0]!.repeat(fence.marker.length);
  const head = text.slice(0, cut);
  return { commit: `${head}${head.endsWith('\n') ? '' : '\n'}${closer}\n`, rest: `${fence.opener}\n${text.slice(cut)}` };
}

function isClosingFence(line: string, marker: string): boolean {
  const m = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
  return !!m && m[1]![0] === marker[0] && m[1]!.length >= marker.length;
}
