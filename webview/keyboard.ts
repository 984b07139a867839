// Keyboard navigation of the message list, as one composite widget (a roving
// tabindex): Tab reaches one message, the newest unless the user moved; Up and
// Down (or Home and End) move between messages; Tab from a message goes through
// its links and buttons, then leaves the list. Enter on a message goes to its
// first control, Escape goes back out (control -> message -> prompt). Only the
// active message and its controls are in the tab order, so a history of
// thousands of messages is one Tab stop, not thousands.
const CONTROLS = 'a.link, button, video';

export class MessageNavigator {
  private active: HTMLElement | undefined;

  constructor(
    private readonly list: HTMLElement,
    private readonly focusPrompt: () => void,
  ) {
    list.addEventListener('focusin', (e) => {
      const msg = (e.target as Element).closest<HTMLElement>('.msg');
      if (msg && list.contains(msg)) this.activate(msg);
    });
    list.addEventListener('keydown', (e) => this.onKey(e));
  }

  /** The list was rebuilt: keep the focused message focused (by id), else let the newest in. */
  rebuilt(focusedId: string | undefined): void {
    this.active = undefined;
    const again = focusedId ? this.list.querySelector<HTMLElement>(`.msg[data-id="${CSS.escape(focusedId)}"]`) : null;
    const target = again ?? this.last();
    if (!target) return;
    this.activate(target);
    if (again) again.focus({ preventScroll: true });
  }

  /** A message was added at the end: it becomes the Tab stop unless the user is in the list. */
  added(root: HTMLElement): void {
    if (!this.list.contains(document.activeElement)) this.activate(root);
  }

  /** A message was re-rendered: the new element takes over its place in the tab order and focus. */
  replaced(old: HTMLElement, next: HTMLElement, hadFocus: boolean): void {
    if (this.active === old) {
      this.active = undefined;
      this.activate(next);
    }
    if (hadFocus) next.focus({ preventScroll: true });
  }

  private onKey(e: KeyboardEvent): void {
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    const target = e.target as HTMLElement;
    const msg = target.closest<HTMLElement>('.msg');
    if (!msg || !this.list.contains(msg)) return;
    let to: HTMLElement | null | undefined;
    switch (e.key) {
      case 'ArrowDown':
        to = this.next(msg);
        break;
      case 'ArrowUp':
        to = this.previous(msg);
        break;
      case 'Home':
        if (target === msg) to = this.first();
        break;
      case 'End':
        if (target === msg) to = this.last();
        break;
      case 'Enter':
        if (target === msg) to = msg.querySelector<HTMLElement>(CONTROLS);
        break;
      case 'Escape':
        if (target !== msg) to = msg;
        else {
          e.preventDefault();
          this.focusPrompt();
          return;
        }
        break;
    }
    if (!to) return;
    e.preventDefault();
    this.activate(to.closest<HTMLElement>('.msg') ?? msg);
    to.focus();
  }

  private activate(msg: HTMLElement): void {
    if (this.active === msg) return;
    if (this.active) setTabbable(this.active, false);
    this.active = msg;
    setTabbable(msg, true);
  }

  // Messages live in blocks of 50 (conversation.ts): siblings first, then the next block.
  private next(msg: HTMLElement): HTMLElement | null {
    return (msg.nextElementSibling ?? msg.parentElement?.nextElementSibling?.firstElementChild ?? null) as HTMLElement | null;
  }

  private previous(msg: HTMLElement): HTMLElement | null {
    return (msg.previousElementSibling ?? msg.parentElement?.previousElementSibling?.lastElementChild ?? null) as HTMLElement | null;
  }

  private first(): HTMLElement | null {
    return (this.list.firstElementChild?.firstElementChild ?? null) as HTMLElement | null;
  }

  private last(): HTMLElement | null {
    return (this.list.lastElementChild?.lastElementChild ?? null) as HTMLElement | null;
  }
}

/** Messages get a tabindex only when they become the stop (then it stays, -1, so focus() keeps working). */
function setTabbable(msg: HTMLElement, on: boolean): void {
  const index = on ? 0 : -1;
  msg.tabIndex = index;
  for (const control of msg.querySelectorAll<HTMLElement>(CONTROLS)) control.tabIndex = index;
}
