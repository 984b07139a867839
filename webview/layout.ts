// The static frame of the chat panel: header, notice banner, message list,
// status line and composer. Built once; labels follow the host's language
// through localize(). Element ids are part of the test contract (#prompt,
// #send, #stop, #attach, #export, #credits, #new-project, #messages).
import { Announcer } from './announcer';
import { createBadge, createButton, createProgressRing, createTextArea, setButtonLabel, type Badge, type Button, type TextArea } from './components';
import { icon, type IconName } from './icons';
import { localize, t } from './l10n';
import type { UiString } from './strings';
import { cssString } from './messageView';

export const MAX_PROMPT_CHARS = 20_000;

export interface Layout {
  title: HTMLElement;
  subtitle: HTMLElement;
  simBadge: Badge;
  creditsBadge: Badge;
  notice: HTMLElement;
  list: HTMLElement;
  announcer: Announcer;
  empty: HTMLElement;
  suggestions: HTMLElement;
  jump: Button;
  status: HTMLElement;
  statusLabel: HTMLElement;
  prompt: TextArea;
  /** The options of the next new video: length, aspect ratio and voice-over (composerChips.ts). */
  chips: HTMLElement;
  /** Says the composer holds a queued message being edited. */
  editing: HTMLElement;
  /** How long the work in progress has run (m:ss), beside the status label. */
  elapsed: HTMLElement;
  send: Button;
  stop: Button;
  attach: Button;
  exportButton: Button;
  credits: Button;
  newProject: Button;
}

export function buildLayout(root: HTMLElement): Layout {
  // Header: brand, project title, badges.
  const header = el('header', 'header');
  const brand = el('div', 'brand');
  brand.append(icon('logo', 'icon logo'));
  const titles = el('div', 'titles');
  const title = el('h1', 'project-title');
  title.id = 'project-title';
  const subtitle = el('div', 'subtitle');
  localize(() => (subtitle.textContent = t('NemoVideo')));
  titles.append(title, subtitle);
  brand.append(titles);
  const badges = el('div', 'badges');
  const simBadge = createBadge({ id: 'sim-badge', className: 'sim-badge' });
  simBadge.hidden = true;
  localize(() => {
    simBadge.textContent = t('Simulator');
    simBadge.title = t('Connected to the local simulator: nothing is charged and videos are samples.');
  });
  const creditsBadge = createBadge({ id: 'credits-badge', className: 'credits-badge' });
  creditsBadge.hidden = true;
  badges.append(simBadge, creditsBadge);
  header.append(brand, badges);

  const notice = el('div', 'notice');
  notice.id = 'notice';
  notice.setAttribute('role', 'status');
  notice.hidden = true;

  // The conversation.
  const listWrap = el('div', 'list-wrap');
  // Not a live region: streamed replies would be read fragment by fragment. The announcer
  // says each finished reply, notice and error once. Keyboard: keyboard.ts.
  const list = el('main', 'messages');
  list.id = 'messages';
  localize(() => {
    list.setAttribute('aria-label', t('Conversation'));
    // Who said what, for screen readers: read from CSS ::before (one node less per message).
    list.style.setProperty('--label-user', cssString(t('You said:')));
    list.style.setProperty('--label-assistant', cssString(t('NemoVideo said:')));
    // Visible labels drawn by CSS, so they are not part of a message's text.
    list.style.setProperty('--label-copy', cssString(t('Copy')));
    list.style.setProperty('--label-copied', cssString(t('Copied')));
    document.body.style.setProperty('--label-drop', cssString(t('Drop files to attach them')));
  });
  const announcer = new Announcer();

  const empty = el('div', 'empty');
  empty.id = 'empty';
  const emptyLogo = icon('logo', 'icon empty-logo');
  const emptyTitle = el('h2', 'empty-title');
  const emptyText = el('p', 'empty-text');
  localize(() => {
    emptyTitle.textContent = t('Turn text into video');
    emptyText.textContent = t('Describe the video you want, or select text in an editor and run “Generate Video from Selection”.');
  });
  const suggestions = el('div', 'suggestions');
  for (const s of ['A 30-second teaser for a neighbourhood coffee shop', 'Explain a new app feature in 15 seconds, vertical 9:16'] as const) {
    const chip = createButton({ label: t(s), secondary: true, className: 'suggestion' });
    localize(() => {
      setButtonLabel(chip, t(s));
      chip.dataset.text = t(s);
    });
    suggestions.append(chip);
  }
  empty.append(emptyLogo, emptyTitle, emptyText, suggestions);

  const jump = createButton({ id: 'jump-latest', label: '', icon: icon('arrowDown'), className: 'jump' });
  jump.hidden = true;
  localize(() => setButtonLabel(jump, t('Jump to latest')));
  listWrap.append(list, empty, jump);

  // Busy status line.
  const status = el('div', 'status');
  status.id = 'status';
  status.setAttribute('role', 'status');
  status.hidden = true;
  const statusLabel = el('span', 'status-label');
  const elapsed = el('span', 'status-elapsed');
  elapsed.id = 'elapsed';
  status.append(createProgressRing({ className: 'status-ring' }), statusLabel, elapsed);

  // Composer.
  const composer = el('footer', 'composer');
  const prompt = createTextArea({ id: 'prompt', rows: 2, maxLength: MAX_PROMPT_CHARS });
  localize(() => {
    prompt.placeholder = t('Describe a video, or ask for a change. Short, specific prompts work best.');
    prompt.label = t('Message NemoVideo');
    prompt.title = t('Enter to send · Shift+Enter for a new line');
  });
  const editing = el('div', 'editing-note');
  editing.id = 'editing';
  editing.hidden = true;
  localize(() => (editing.textContent = t('Editing your queued message. Enter sends it instead; Escape cancels.')));
  const chips = el('div', 'chips');
  chips.id = 'chips';
  chips.setAttribute('role', 'group');
  localize(() => chips.setAttribute('aria-label', t('Options for a new video')));
  const bar = el('div', 'composer-bar');
  const tools = el('div', 'tools');
  const attach = tool('attach', 'attach', 'Attach', 'Attach a video, image or audio file');
  const exportButton = tool('export', 'export', 'Export', 'Export the video into the workspace');
  const credits = tool('credits', 'credits', 'Credits', 'Show credits', 'minor');
  const newProject = tool('new-project', 'add', 'New project', 'Start a new video project', 'minor');
  tools.append(attach, exportButton, credits, newProject);
  const primary = el('div', 'primary');
  const stop = createButton({ id: 'stop', label: '', icon: icon('stop'), secondary: true });
  stop.hidden = true;
  localize(() => {
    setButtonLabel(stop, t('Stop'));
    stop.title = t('Stop (Escape)');
  });
  const send = createButton({ id: 'send', label: '', icon: icon('send') });
  localize(() => {
    setButtonLabel(send, t('Send'));
    send.title = t('Send (Enter)');
  });
  primary.append(stop, send);
  bar.append(tools, primary);
  composer.append(editing, prompt, chips, bar);

  root.append(header, notice, listWrap, status, composer, announcer.element);
  return { title, subtitle, simBadge, creditsBadge, notice, list, announcer, empty, suggestions, jump, status, statusLabel, prompt, chips, editing, elapsed, send, stop, attach, exportButton, credits, newProject };
}

/** A quiet composer button; `minor` ones lose their label first when the panel is narrow. */
function tool(id: string, iconName: IconName, label: UiString, tooltip: UiString, importance: 'major' | 'minor' = 'major'): Button {
  const b = createButton({ id, label: '', icon: icon(iconName), secondary: true, className: `tool ${importance}` });
  localize(() => {
    setButtonLabel(b, t(label));
    b.title = t(tooltip);
    b.setAttribute('aria-label', t(label));
  });
  return b;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = className;
  return e;
}
