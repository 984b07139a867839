// Just enough of the `vscode` API for host modules loaded in plain Node (see
// fakeVscodeFor.ts): localised strings with their {0} placeholders filled in, event
// emitters, and webview panels whose messages, visibility and disposal the test
// drives by hand.
type Listener<T> = (e: T) => unknown;

export class EventEmitter<T> {
  private listeners: Array<Listener<T>> = [];
  readonly event = (listener: Listener<T>) => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners = [];
  }
  get listenerCount(): number {
    return this.listeners.length;
  }
}

export class Uri {
  private constructor(readonly path: string) {}
  static file(p: string): Uri {
    return new Uri(p);
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri([base.path, ...parts].join('/'));
  }
  /** file: URIs only, which is all the chat panel's host modules parse. */
  static parse(text: string): Uri {
    const url = new URL(text);
    if (url.protocol !== 'file:') throw new Error(`fake Uri.parse: only file: URIs (${text})`);
    return new Uri(decodeURIComponent(url.pathname));
  }
  toString(): string {
    return `file://${this.path.split('/').map(encodeURIComponent).join('/')}`;
  }
}

export enum ViewColumn {
  Active = -1,
  Beside = -2,
  One = 1,
  Two = 2,
}

export class FakeWebview {
  options: Record<string, unknown> = {};
  html = '';
  readonly cspSource = 'https://*.vscode-cdn.net';
  readonly posted: unknown[] = [];
  /** Set to make postMessage reject, as when the webview went away. */
  failPosts = false;
  readonly receive = new EventEmitter<unknown>();
  readonly onDidReceiveMessage = this.receive.event;
  asWebviewUri(uri: Uri): { toString(): string } {
    return { toString: () => `https://file+.vscode-resource.vscode-cdn.net${uri.path}` };
  }
  postMessage(message: unknown): Promise<boolean> {
    if (this.failPosts) return Promise.reject(new Error('webview is disposed'));
    this.posted.push(message);
    return Promise.resolve(true);
  }
}

export class FakeWebviewPanel {
  readonly webview = new FakeWebview();
  title: string;
  iconPath: unknown;
  visible = true;
  disposed = false;
  revealed: Array<{ column: unknown; preserveFocus: unknown }> = [];
  private readonly viewState = new EventEmitter<{ webviewPanel: FakeWebviewPanel }>();
  private readonly disposeEmitter = new EventEmitter<void>();
  readonly onDidChangeViewState = this.viewState.event;
  readonly onDidDispose = this.disposeEmitter.event;

  constructor(
    readonly viewType: string,
    title: string,
    public viewColumn: unknown,
    readonly createOptions: Record<string, unknown> = {},
  ) {
    this.title = title;
  }

  reveal(column?: unknown, preserveFocus?: boolean): void {
    this.revealed.push({ column, preserveFocus });
  }
  setVisible(visible: boolean): void {
    this.visible = visible;
    this.viewState.fire({ webviewPanel: this });
  }
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposeEmitter.fire();
  }
}

export const created: FakeWebviewPanel[] = [];
export const serializers = new Map<string, { deserializeWebviewPanel(panel: unknown, state: unknown): Promise<void> }>();

/** The workspace folders the code under test sees; tests set them. */
export const workspace: { workspaceFolders: Array<{ uri: Uri; name: string; index: number }> | undefined } = { workspaceFolders: undefined };

/** What the next showOpenDialog returns; tests set it. */
export const dialogs: { open: Uri[] | undefined; asked: unknown[] } = { open: undefined, asked: [] };

export const window = {
  showOpenDialog(options: unknown): Promise<Uri[] | undefined> {
    dialogs.asked.push(options);
    return Promise.resolve(dialogs.open);
  },
  createWebviewPanel(viewType: string, title: string, show: { viewColumn: unknown }, options: Record<string, unknown>): FakeWebviewPanel {
    const panel = new FakeWebviewPanel(viewType, title, show.viewColumn, options);
    created.push(panel);
    return panel;
  },
  registerWebviewPanelSerializer(viewType: string, serializer: { deserializeWebviewPanel(panel: unknown, state: unknown): Promise<void> }) {
    serializers.set(viewType, serializer);
    return { dispose: () => serializers.delete(viewType) };
  },
};

export const l10n = {
  t: (message: string, ...args: unknown[]): string => message.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)])),
};
export const env = { language: 'en' };
