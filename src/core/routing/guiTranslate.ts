// GUI phrase translation (§13.2): the backend agent tells users to "click Export" or "preview in
// the timeline panel", which do not exist here. We remove those instructions, keep the content
// ("Your video is ready!"), and return the actions the client should offer instead (an Export
// button, the track summary, the credit balance).
//
// Text is handled sentence by sentence, and each sentence clause by clause (commas, " or ",
// " then ", dashes), so "I added lo-fi music, then click Export to save it." keeps its first clause.
import { EN_PATTERNS, EXPORT_MENTION, ZH_PATTERNS, type GuiAction, type GuiPattern } from './guiPatterns';
import { routeIntent } from './intent';

export type { GuiAction } from './guiPatterns';

export interface GuiTranslation {
  text: string;
  actions: GuiAction[];
}

/** Longer texts are passed through untouched: the agent's replies are short, and regex work must stay cheap. */
const MAX_TRANSLATED_CHARS = 20_000;

export function translateGuiPhrases(text: string): GuiTranslation {
  if (typeof text !== 'string') return { text: '', actions: [] };
  if (text.trim() === '' || text.length > MAX_TRANSLATED_CHARS) return { text, actions: [] };
  const actions: GuiAction[] = [];
  const lines = text.split(/\r?\n/).map((line) => translateLine(line, actions));
  const result = tidy(lines.filter((l) => l !== undefined).join('\n'));
  if (EXPORT_MENTION.test(text)) addAction(actions, 'export');
  return { text: result !== '' ? result : fallbackText(actions, text), actions };
}

function addAction(actions: GuiAction[], action: GuiAction | undefined): void {
  if (action !== undefined && !actions.includes(action)) actions.push(action);
}

/** Returns undefined when a line that had content lost all of it (so no empty bullet is left behind). */
function translateLine(line: string, actions: GuiAction[]): string | undefined {
  if (line.trim() === '') return line;
  const marker = /^(\s*(?:[-*+•]|\d+[.)])\s+|\s*>\s*|\s*#{1,6}\s+)?/.exec(line)?.[0] ?? '';
  const body = line.slice(marker.length);
  const sentences = splitSentences(body).map((s) => translateSentence(s, actions));
  const kept = sentences.join('').trimEnd();
  if (kept.trim() === '') return undefined;
  return marker + kept;
}

/** Sentences end at 。！？ or at .!? followed by a space or the end ("10.5s" and "nemovideo.com" stay whole). */
function splitSentences(text: string): string[] {
  return text.match(/.*?(?:[。！？]+["'”’)\]」』]*\s*|[.!?]+["'”’)\]]*(?:\s+|$)|$)/gsu)?.filter((s) => s !== '') ?? [text];
}

const CLAUSE_SEPARATOR = /(\s*[,;，；]\s*|\s+[—–-]\s+|\s+(?:or|then|and then)\s+|或者|然后|或是)/i;

interface Clause {
  separator: string;
  text: string;
  removed: boolean;
}

function translateSentence(sentence: string, actions: GuiAction[]): string {
  const [, body = '', terminal = '', trailingSpace = ''] = /^(.*?)([。！？.!?]+["'”’)\]」』]*)?(\s*)$/su.exec(sentence) ?? [];
  const patterns = /\p{Script=Han}/u.test(body) ? [...ZH_PATTERNS, ...EN_PATTERNS] : EN_PATTERNS;
  if (!patterns.some((p) => p.re.test(body))) return sentence;

  const parts = body.split(CLAUSE_SEPARATOR);
  const clauses: Clause[] = [];
  for (let i = 0; i < parts.length; i += 2) clauses.push({ separator: i === 0 ? '' : (parts[i - 1] ?? ''), text: parts[i] ?? '', removed: false });

  let changed = false;
  for (const clause of clauses) {
    const next = translateClause(clause.text, patterns, actions);
    if (next === clause.text) continue;
    changed = true;
    if (next === '') clause.removed = true;
    else clause.text = next;
  }
  if (!changed) return sentence;
  // Next to a GUI instruction, a bare "export it" / "check your balance" is one too: the client's button replaces it.
  for (const clause of clauses) {
    const command = clause.removed ? undefined : bareCommand(clause.text);
    if (command === undefined) continue;
    addAction(actions, command);
    clause.removed = true;
  }
  dropDanglingLeadIns(clauses);

  const kept = clauses.filter((c) => !c.removed);
  // Kept clauses are whole as written; only a connector left in front ("or …") or a dangling separator goes.
  let result = kept.map((c, i) => (i === 0 ? c.text : c.separator + c.text)).join('');
  result = stripLeadingConnectors(result).replace(/[\s,;:，；：—–-]+$/, '');
  if (!/[\p{L}\p{N}]/u.test(result)) return '';
  if (/^\p{Lu}/u.test(sentence.trimStart()) && /^\p{Ll}/u.test(result)) result = result[0]?.toUpperCase() + result.slice(1);
  return result + terminal + (trailingSpace !== '' ? trailingSpace : ' ');
}

function bareCommand(text: string): GuiAction | undefined {
  const { kind } = routeIntent(stripLeadingConnectors(text.replace(/^[\s*_`]+|[\s*_`]+$/g, '')));
  return kind === 'export' || kind === 'status' || kind === 'credits' ? kind : undefined;
}

/** Removes the GUI instruction in one clause: the whole clause when it opens it, else from the instruction on. */
function translateClause(clause: string, patterns: GuiPattern[], actions: GuiAction[]): string {
  let best: { index: number; pattern: GuiPattern; matched: string } | undefined;
  for (const pattern of patterns) {
    const m = pattern.re.exec(clause);
    if (m === null) continue;
    if (pattern.where === 'start' && !isFiller(clause.slice(0, m.index))) continue;
    if (best === undefined || m.index < best.index) best = { index: m.index, pattern, matched: m[0] };
  }
  if (best === undefined) return clause;
  const { action } = best.pattern;
  addAction(actions, typeof action === 'function' ? action(best.matched) : action);
  const before = clause.slice(0, best.index);
  return isFiller(before) ? '' : stripConnectors(before);
}

// Words that carry no content on their own: "you can", "just", "then", "或者"…
const FILLER_WORDS =
  /\b(?:you can|you could|you may|you might|you'll|you will|you need to|you should|you just need to|just|simply|please|now|then|or|and|so|also|feel free to|go ahead and|next|finally|first|afterwards|when ready|when you're ready|whenever you're ready|to)\b|您可以|你可以|可以|请|只需|然后|或者|或|再|接着|现在|直接|即可|就/gi;

function isFiller(text: string): boolean {
  return !/[\p{L}\p{N}]/u.test(text.replace(FILLER_WORDS, ''));
}

const TRAILING_CONNECTOR =
  /(?:\s*\b(?:and|or|so|then|but|you can|you could|you may|you might|just|simply|please|to|by|via|using|with|in|from|through|where|which|also)\s*|\s*(?:然后|或者|或|并且|并|可以|您可以|你可以|请|再|就|在|通过|使用|用)\s*|[\s,;:，；：—–-]+)$/i;
const LEADING_CONNECTOR = /^(?:\s*\b(?:and|or|then|so|but|also)\b\s*|\s*(?:然后|或者|或|并且|但是|而且)\s*|[\s,;:，；：—–-]+)/i;

function stripLeadingConnectors(text: string): string {
  let current = text;
  for (let i = 0; i < 10; i++) {
    const next = current.replace(LEADING_CONNECTOR, '');
    if (next === current) break;
    current = next;
  }
  return current.trim();
}

/** Tidies the text left in front of a removed instruction: "Your video is ready and you can" -> "Your video is ready". */
function stripConnectors(text: string): string {
  let current = text;
  for (let i = 0; i < 10; i++) {
    const next = current.replace(TRAILING_CONNECTOR, '').replace(LEADING_CONNECTOR, '');
    if (next === current) break;
    current = next;
  }
  return current.trim();
}

// "To save it, click Export" / "If you like it, click Export": the lead-in means nothing without
// the instruction it introduced.
const LEAD_IN = /^\s*(?:to|if|when|whenever|once|after|before|as soon as|如果|要|若|想要|如需|需要)(?:\b|(?=\p{Script=Han}))/iu;

function dropDanglingLeadIns(clauses: Clause[]): void {
  for (let i = 0; i < clauses.length - 1; i++) {
    const clause = clauses[i];
    const next = clauses[i + 1];
    if (clause !== undefined && next !== undefined && !clause.removed && next.removed && LEAD_IN.test(clause.text)) clause.removed = true;
  }
}

function tidy(text: string): string {
  return text
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/ +([,.;:!?])/g, '$1')
    .trim();
}

/** When nothing but GUI instructions came back, say what the client is about to show instead. */
function fallbackText(actions: GuiAction[], original: string): string {
  const zh = /\p{Script=Han}/u.test(original);
  if (actions.includes('export')) return zh ? '视频可以导出了。' : 'Your video can be exported now.';
  if (actions.includes('status')) return zh ? '这是当前的时间线。' : 'Here is the current timeline.';
  if (actions.includes('credits')) return zh ? '这是你的积分余额。' : 'Here is your credit balance.';
  return zh ? '告诉我你想修改什么，我来处理。' : "Tell me what you'd like to change and I'll do it.";
}
