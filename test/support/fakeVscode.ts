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
  static parse(s: string): Uri {
    return new Uri(decodeURIComponent(new URL(s).pathname));
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri([base.path, ...parts].join('/'));
  }
  toString(): string {
    return `file://${this.path}`;
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

export const window = {
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

// -- tree views and lenses (the Projects view, the project lenses) --------------------

export enum TreeItemCollapsibleState {
  None = 0,
  Collapsed = 1,
  Expanded = 2,
}

export class TreeItem {
  id?: string;
  description?: string;
  tooltip?: unknown;
  iconPath?: unknown;
  command?: unknown;
  contextValue?: string;
  accessibilityInformation?: unknown;
  constructor(
    public label: string | { label: string; highlights?: Array<[number, number]> },
    public collapsibleState?: TreeItemCollapsibleState,
  ) {}
}

export class ThemeColor {
  constructor(readonly id: string) {}
}

export class ThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: ThemeColor,
  ) {}
}

/** Keeps the Markdown as appended: appendText escapes as VS Code's does for the characters that matter here. */
export class MarkdownString {
  isTrusted = false;
  supportHtml = false;
  constructor(public value = '') {}
  appendMarkdown(s: string): this {
    this.value += s;
    return this;
  }
  appendText(s: string): this {
    this.value += s.replace(/[\\`*_{}[\]()#+\-.!<>|]/g, '\\$&');
    return this;
  }
}

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(startLine: number, startCharacter: number, endLine: number, endCharacter: number) {
    this.start = new Position(startLine, startCharacter);
    this.end = new Position(endLine, endCharacter);
  }
}

export class CodeLens {
  constructor(
    readonly range: Range,
    readonly command?: { title: string; command: string; arguments?: unknown[]; tooltip?: string },
  ) {}
}

export const workspace = {
  asRelativePath: (uri: Uri | string): string => (typeof uri === 'string' ? uri : uri.path).split('/').pop() ?? '',
};
