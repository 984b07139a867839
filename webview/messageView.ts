// Builds the DOM for one chat message. Text is untrusted: user, progress and
// error text go through createElement/textContent (richText.ts); the agent's
// replies through the Markdown pipeline (markdown.ts: marked + DOMPurify). A
// restored history can hold thousands of messages, so each one is kept to a
// handful of nodes: role labels for screen readers, the progress spinner/check
// and the error icon are CSS pseudo-elements.
//   user       a quiet bubble            .msg.user
//   assistant  Markdown, full width      .msg.assistant (live ones stream through a MarkdownStream)
//   progress   one muted line + spinner  .msg.progress (.live while the run is busy)
//   system     a centred muted note      .msg.system; with actions a card (.card), the
//              timeline summary and the saved video as their own cards (cards.ts)
//   error      a card with actions       .msg.error > .actions > button
// Every message has a Copy button (button.copy). A message's links and buttons
// start out of the tab order (tabindex -1); keyboard.ts lets one message at a
// time in.
import type { ChatMessage } from '../src/protocol';
import { renderCard } from './cards';
import { createActionButton } from './components';
import { t } from './l10n';
import { MAX_MARKDOWN_CHARS, renderMarkdown } from './markdown';
import { MarkdownStream } from './markdownStream';
import { renderRichText } from './richText';

export interface MessageView {
  /** The message as rendered. A streaming message's later deltas are in `sink` only. */
  message: ChatMessage;
  root: HTMLElement;
  body: HTMLElement;
  /** Present while the message is streaming. */
  sink?: MarkdownStream;
  /** A restored reply whose Markdown is not rendered yet (see renderDeferred). */
  deferred?: boolean;
}

export interface RenderHooks {
  /** A streaming message changed its DOM in a frame's render phase. */
  onStreamRendered?: () => void;
  /**
   * Restored history: a finished reply keeps its text as plain text until renderDeferred,
   * which the list calls when its block comes near the viewport or the page is idle.
   */
  deferMarkdown?: boolean;
}

const linkTitle = (url: string): string => t('Open {0}', url);

export function renderMessage(m: ChatMessage, hooks: RenderHooks = {}): MessageView {
  const root = document.createElement(m.role === 'user' || m.role === 'assistant' ? 'article' : 'div');
  root.className = `msg ${m.role}`;
  root.setAttribute('data-id', m.id);
  if (m.status) root.setAttribute('data-status', m.status);

  const body = document.createElement('div');
  body.className = 'msg-body';
  const view: MessageView = { message: m, root, body };
  root.appendChild(body);
  if (m.role === 'error') {
    root.setAttribute('role', 'group');
    root.setAttribute('aria-label', t('Error'));
  }

  if (m.role === 'assistant' && m.status === 'streaming') {
    body.classList.add('md');
    root.setAttribute('aria-busy', 'true');
    view.sink = new MarkdownStream(body, m.text, linkTitle, hooks.onStreamRendered ?? (() => undefined));
  } else if (m.role === 'assistant' && m.text.length <= MAX_MARKDOWN_CHARS) {
    if (hooks.deferMarkdown) {
      body.classList.add('md-deferred');
      body.textContent = m.text;
      view.deferred = true;
    } else {
      body.classList.add('md');
      renderMarkdown(body, m.text, linkTitle);
    }
  } else {
    const card = renderCard(m, body);
    if (card) root.classList.add('card', `${card}-card`);
    else {
      if (m.role === 'system' && m.actions && m.actions.length > 0) root.classList.add('card');
      renderRichText(body, m.text, linkTitle);
    }
  }

  if (m.video) root.classList.add('has-video');
  if (m.video) body.append(videoPlayer(m.video));

  if (m.choices && m.choices.length > 0) {
    // The answers the question offers; pressing one sends it (the host checks it offered it).
    const row = document.createElement('div');
    row.className = 'choices';
    row.setAttribute('role', 'group');
    row.setAttribute('aria-label', t('Answers'));
    m.choices.forEach((choice, index) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'choice';
      b.tabIndex = -1; // reachable through its message (keyboard.ts)
      b.textContent = choice;
      b.setAttribute('data-choice', String(index));
      row.appendChild(b);
    });
    root.appendChild(row);
  }

  if (m.status === 'cancelled' || m.status === 'failed') {
    const tag = document.createElement('div');
    tag.className = 'msg-status';
    tag.textContent = m.status === 'cancelled' ? t('Stopped') : t('Failed');
    root.appendChild(tag);
  }

  if (m.actions && m.actions.length > 0) {
    const row = document.createElement('div');
    row.className = 'actions';
    m.actions.forEach((a, index) => {
      const b = createActionButton(a.label, index === 0);
      b.setAttribute('data-index', String(index));
      row.appendChild(b);
    });
    root.appendChild(row);
  }

  root.appendChild(copyButton());
  return view;
}

/** Renders a deferred reply's Markdown in place (nothing else about the message changes). */
export function renderDeferred(view: MessageView): void {
  if (!view.deferred) return;
  view.deferred = false;
  const { body, root } = view;
  body.className = 'msg-body md';
  body.replaceChildren();
  renderMarkdown(body, view.message.text, linkTitle);
  // The message may be the keyboard's current stop (keyboard.ts): its new links join it.
  if (root.tabIndex === 0) for (const link of body.querySelectorAll<HTMLElement>('a.link, button')) link.tabIndex = 0;
}

/**
 * The exported video, played in place: nothing is loaded but its first frame and
 * length (preload=metadata) until the user presses play. The address is the host's
 * (asWebviewUri of the exported file); the CSP's media-src allows nothing else.
 * VS Code's webviews have no AAC decoder, so the note says why the sound may be
 * missing and the message's Open Externally button is one click away.
 */
function videoPlayer(src: string): HTMLElement {
  const wrap = document.createElement('div');
  wrap.className = 'player';
  const video = document.createElement('video');
  video.className = 'video';
  video.controls = true;
  video.preload = 'metadata';
  video.tabIndex = -1; // reachable through its message (keyboard.ts)
  video.setAttribute('aria-label', t('Exported video'));
  video.src = src;
  const note = document.createElement('p');
  note.className = 'player-note';
  note.textContent = t('No sound here? VS Code cannot play AAC audio; Open Externally plays it in your system player.');
  wrap.append(video, note);
  return wrap;
}

let copyPrototype: { key: string; node: HTMLButtonElement } | undefined;

/**
 * The Copy button every message has (shown on hover and keyboard focus; its icon is CSS).
 * One node, cloned from a prototype per language: a restored history has thousands.
 */
function copyButton(): HTMLButtonElement {
  const key = `${t('Copy')}\n${t('Copy message')}`;
  if (copyPrototype?.key !== key) {
    const copy = document.createElement('button');
    copy.type = 'button';
    copy.className = 'copy';
    copy.tabIndex = -1;
    copy.title = t('Copy');
    copy.setAttribute('aria-label', t('Copy message'));
    copyPrototype = { key, node: copy };
  }
  return copyPrototype.node.cloneNode(true) as HTMLButtonElement;
}

/** The text Copy puts on the clipboard: the message as written (Markdown source for replies). */
export function messageText(view: MessageView): string {
  return view.sink ? view.sink.text : view.message.text;
}

/** CSS string literal for `content:` (role labels are set as custom properties on the list). */
export function cssString(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&').replace(/[\n\r\f]/g, ' ')}"`;
}
