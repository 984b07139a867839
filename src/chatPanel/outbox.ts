// Decides when host messages reach the webview. Pure (no vscode), so the rules
// are unit-tested:
// - Nothing is delivered until the webview has said `ready`, and nothing while
//   the panel is hidden (posts to a hidden webview can be lost).
// - What was not delivered is not replayed: the host is the source of truth,
//   so a fresh snapshot is sent on `ready` and whenever the panel becomes
//   visible again. Only `response`s are queued (the webview waits for them),
//   and they follow the snapshot.
import type { HostToWebview } from '../protocol';

const MAX_QUEUED_RESPONSES = 200;

export class Outbox {
  private ready = false;
  private visible = false;
  private responses: HostToWebview[] = [];

  constructor(
    private readonly deliver: (message: HostToWebview) => void,
    private readonly snapshot: () => HostToWebview | undefined,
  ) {}

  get deliverable(): boolean {
    return this.ready && this.visible;
  }

  /** A new webview document: it has not said `ready` yet. */
  reset(visible: boolean): void {
    this.ready = false;
    this.visible = visible;
    this.responses = [];
  }

  post(message: HostToWebview): void {
    if (this.deliverable) return this.deliver(message);
    if (message.type === 'response' && this.responses.length < MAX_QUEUED_RESPONSES) this.responses.push(message);
    // Anything else is part of the snapshot sent when the webview can listen again.
  }

  webviewReady(): void {
    this.ready = true;
    if (this.visible) this.flush();
  }

  visibilityChanged(visible: boolean): void {
    const becameVisible = visible && !this.visible;
    this.visible = visible;
    if (becameVisible && this.ready) this.flush();
  }

  private flush(): void {
    const snapshot = this.snapshot();
    if (snapshot) this.deliver(snapshot);
    const queued = this.responses;
    this.responses = [];
    for (const r of queued) this.deliver(r);
  }
}
