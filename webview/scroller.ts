// Keeps the message list pinned to the newest message while the user is at
// the bottom, and leaves it alone once they scroll up. Scrolling is coalesced
// to one write per animation frame however many deltas arrive, and it is the
// only place that reads layout (scrollHeight), so a delta never forces layout.
//
// Only scrolls the user makes can unpin the list: the browser also scrolls on
// its own (scroll anchoring, history blocks getting their real height as they
// render), and those must not count as "the user scrolled up".
import { cancelFrameTask, onNextFrame } from './frame';

const BOTTOM_SLACK_PX = 32;
/** How long after a wheel/touch/key/pointer input a scroll counts as the user's. */
const USER_INTENT_MS = 1_000;
/** Frames to keep re-pinning after a snapshot while lazily rendered blocks settle. */
const SETTLE_FRAMES = 3;

export class Scroller {
  private atBottom = true;
  private scheduled = false;
  private readonly follow = (): void => this.followNow();
  private settleFrames = 0;
  private lastUserInput = -Infinity;

  constructor(
    private readonly list: HTMLElement,
    /** The user scrolled: where to, and whether that is the bottom. */
    private readonly onUserScroll: (s: { atBottom: boolean; scrollTop: number }) => void,
    /** New content arrived below while the user is reading further up. */
    private readonly onUnseenContent: () => void,
  ) {
    list.addEventListener('scroll', () => this.onScroll(), { passive: true });
    const intent = (): void => {
      this.lastUserInput = performance.now();
    };
    for (const type of ['wheel', 'touchstart', 'touchmove', 'pointerdown', 'keydown'] as const) {
      list.addEventListener(type, intent, { passive: true });
    }
    // The list gets shorter when the status line appears or the composer grows: stay pinned.
    new ResizeObserver(() => {
      if (this.atBottom) this.schedule();
    }).observe(list);
  }

  get isAtBottom(): boolean {
    return this.atBottom;
  }

  /** Content grew: follow it on the next frame if the user is at the bottom. */
  contentChanged(): void {
    if (!this.atBottom) this.onUnseenContent();
    else this.schedule();
  }

  scrollToBottom(): void {
    this.atBottom = true;
    this.followNow();
  }

  /** Restores a position after the list was rebuilt, and keeps it while the new content settles. */
  restore(scrollTop: number, atBottom: boolean): void {
    if (atBottom) {
      this.settleFrames = SETTLE_FRAMES;
      this.scrollToBottom();
      return;
    }
    this.atBottom = false;
    this.list.scrollTop = scrollTop;
  }

  /** In the frame's scroll phase, after streaming messages rendered their new text. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    onNextFrame(this.follow, 'scroll');
  }

  private followNow(): void {
    cancelFrameTask(this.follow);
    this.scheduled = false;
    if (!this.atBottom) return;
    this.list.scrollTop = this.list.scrollHeight;
    if (this.settleFrames > 0) {
      this.settleFrames--;
      this.schedule();
    }
  }

  private onScroll(): void {
    const top = this.list.scrollTop;
    const byUser = performance.now() - this.lastUserInput < USER_INTENT_MS;
    if (!byUser) {
      // The browser moved us (anchoring, blocks settling): stay pinned if we were.
      if (this.atBottom) this.schedule();
      return;
    }
    const distance = this.list.scrollHeight - top - this.list.clientHeight;
    this.atBottom = distance <= BOTTOM_SLACK_PX;
    this.onUserScroll({ atBottom: this.atBottom, scrollTop: top });
  }
}
