// The only module that touches @vscode-elements/elements. Components are
// imported one by one (not the whole library) to keep the bundle small, and
// the rest of the webview builds controls through these factories so a
// library change stays in one file. No codicon font: icons are inline SVG.
import './litNonce';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import type { VscodeButton } from '@vscode-elements/elements/dist/vscode-button/vscode-button.js';
import type { VscodeTextarea } from '@vscode-elements/elements/dist/vscode-textarea/vscode-textarea.js';
import type { VscodeBadge } from '@vscode-elements/elements/dist/vscode-badge/vscode-badge.js';
import type { VscodeProgressRing } from '@vscode-elements/elements/dist/vscode-progress-ring/vscode-progress-ring.js';

export type Button = VscodeButton;
export type TextArea = VscodeTextarea;
export type Badge = VscodeBadge;
export type ProgressRing = VscodeProgressRing;

export interface ButtonOptions {
  id?: string;
  className?: string;
  /** Visible text; omit for an icon-only button (then give `ariaLabel`). */
  label?: string;
  icon?: SVGElement;
  secondary?: boolean;
}

export function createButton(opts: ButtonOptions): Button {
  const b = document.createElement('vscode-button');
  if (opts.id) b.id = opts.id;
  if (opts.className) b.className = opts.className;
  b.secondary = opts.secondary ?? false;
  if (opts.icon) {
    opts.icon.setAttribute('slot', 'content-before');
    b.append(opts.icon);
  }
  if (opts.label !== undefined) {
    // In a span so narrow layouts can hide the text and keep the icon.
    const span = document.createElement('span');
    span.className = 'label';
    span.textContent = opts.label;
    b.append(span);
  } else {
    b.iconOnly = true;
  }
  return b;
}

/** Changes a button's visible text without touching its icon. */
export function setButtonLabel(b: Button, label: string): void {
  const span = b.querySelector(':scope > .label');
  if (span) span.textContent = label;
}

/**
 * A message action (Retry, Register, Set token…). A native <button> styled with the same
 * VS Code variables as vscode-button: a restored history can hold hundreds of them, a
 * native button costs two nodes where a Lit element costs a shadow root and a render,
 * and `.actions button` stays a plain selector for tests.
 */
export function createActionButton(label: string, primary: boolean): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = primary ? 'action primary' : 'action';
  b.tabIndex = -1; // reachable through its message (keyboard.ts)
  b.textContent = label;
  return b;
}

export function createTextArea(opts: { id: string; rows: number; maxLength: number }): TextArea {
  const ta = document.createElement('vscode-textarea');
  ta.id = opts.id;
  ta.rows = opts.rows;
  ta.maxLength = opts.maxLength;
  ta.resize = 'none';
  // The inner <textarea> has no part to style and only the UA's 2px padding,
  // which looks cramped in a chat composer. A constructable stylesheet is
  // allowed by our CSP (no inline style involved).
  void ta.updateComplete.then(() => {
    const root = ta.shadowRoot;
    if (!root) return;
    const sheet = new CSSStyleSheet();
    sheet.replaceSync('textarea { padding: 6px 8px; line-height: 1.45; }');
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  });
  return ta;
}

export function createBadge(opts: { id?: string; className?: string }): Badge {
  const b = document.createElement('vscode-badge');
  if (opts.id) b.id = opts.id;
  if (opts.className) b.className = opts.className;
  return b;
}

export function createProgressRing(opts: { className?: string }): ProgressRing {
  const r = document.createElement('vscode-progress-ring');
  if (opts.className) r.className = opts.className;
  return r;
}
