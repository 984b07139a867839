// Builds the DOM for one chat message, with createElement/textContent only
// (text is untrusted). A restored history can hold thousands of messages, so
// each one is kept to a handful of nodes: role labels for screen readers, the
// progress spinner/check and the error icon are CSS pseudo-elements.
//   user       a quiet bubble            .msg.user
//   assistant  plain text, full width    .msg.assistant (live ones stream through a StreamSink)
//   progress   one muted line + spinner  .msg.progress (.live while the run is busy)
//   system     a centred muted note      .msg.system
//   error      a card with actions       .msg.error > .actions > button
import type { ChatMessage } from '../src/protocol';
import { createActionButton } from './components';
import { t } from './l10n';
import { renderRichText } from './richText';
import { StreamSink } from './streamSink';

export interface MessageView {
  /** The message as rendered. A streaming message's later deltas are in `sink`'s DOM only. */
  message: ChatMessage;
  root: HTMLElement;
  body: HTMLElement;
  /** Present while the message is streaming. */
  sink?: StreamSink;
}

const linkTitle = (url: string): string => t('Open {0}', url);

export function renderMessage(m: ChatMessage): MessageView {
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

  if (m.status === 'streaming' && m.role === 'assistant') {
    // Streaming text stays plain until the final messageUpdated: linkifying
    // mid-stream would mean re-rendering, which is not constant per delta.
    view.sink = new StreamSink(body);
    view.sink.append(m.text);
  } else {
    renderRichText(body, m.text, linkTitle);
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
  return view;
}

/** CSS string literal for `content:` (role labels are set as custom properties on the list). */
export function cssString(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&').replace(/[\n\r\f]/g, ' ')}"`;
}
