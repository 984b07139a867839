// GUI phrase translation (§13.2): the backend agent tells users to "click Export" or "preview in
// the timeline panel", which do not exist here. We remove those instructions, keep the content
// ("Your video is ready!"), and return the actions the client should offer instead (an Export
// button, the track summary, the credit balance).
//
// The unit is the sentence. Sentences end at .!?。！？ (with any closing quotes or brackets; .!? only
// when a space or the end follows, so "10.5s", "nemovideo.com" and "v1.2" stay whole) and at line
// breaks. A sentence with no GUI instruction is kept exactly as written, whatever words it contains
// ("The timeline now has three tracks."). A sentence with one is either rewritten as a whole or
// removed as a whole. The only rewrite: the sentence opens with content, and the instruction starts
// after a clause boundary ("," ";" a dash, "and", "so", "then", "or", "，", "然后"…) and runs to the
// end, as in "I added lo-fi music, then click Export to save it." -> "I added lo-fi music." The kept
// part must stand on its own (no "To save it", "If you like it", "它", "把它", no dangling "the" or
// "在"), else the sentence goes. Clause splitting is only used to find where instructions start.
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
  const result = translateLines(text, actions).trim();
  if (EXPORT_MENTION.test(text)) addAction(actions, 'export');
  return { text: result !== '' ? result : fallbackText(actions, text), actions };
}

function addAction(actions: GuiAction[], action: GuiAction | undefined): void {
  if (action !== undefined && !actions.includes(action)) actions.push(action);
}

// ---------------------------------------------------------------------------------------------
// Lines

/** Unchanged lines are kept byte for byte; a line that lost all its content goes, with one blank line next to it. */
function translateLines(text: string, actions: GuiAction[]): string {
  const out: string[] = [];
  let changed = false;
  let removedSinceContent = false;
  for (const raw of text.split('\n')) {
    const cr = raw.endsWith('\r') ? '\r' : '';
    const line = cr === '' ? raw : raw.slice(0, -1);
    const next = translateLine(line, actions);
    if (next !== line) changed = true;
    if (next === undefined) {
      removedSinceContent = true;
      continue;
    }
    const blank = next.trim() === '';
    // "Done!\n\nClick Export.\n\nAnything else?": the two blank lines around the removed line become one.
    if (blank && removedSinceContent && (out.length === 0 || (out[out.length - 1] ?? '').trim() === '')) continue;
    if (!blank) removedSinceContent = false;
    out.push(next + cr);
  }
  if (!changed) return text;
  while (out.length > 0 && (out[out.length - 1] ?? '').trim() === '') out.pop();
  return out.join('\n').trimEnd();
}

const LINE_MARKER = /^(\s*(?:[-*+•]|\d+[.)])\s+|\s*>\s*|\s*#{1,6}\s+)?/;

/** Returns undefined when a line that had content lost all of it (so no empty bullet is left behind). */
function translateLine(line: string, actions: GuiAction[]): string | undefined {
  if (line.trim() === '') return line;
  const marker = LINE_MARKER.exec(line)?.[0] ?? '';
  const body = line.slice(marker.length);
  let changed = false;
  const kept = splitSentences(body).map((sentence) => {
    const next = translateSentence(sentence, actions);
    if (next !== sentence) changed = true;
    return next;
  });
  if (!changed) return line;
  const rest = kept.join('').trimEnd();
  if (!/[\p{L}\p{N}]/u.test(rest)) return undefined;
  return marker + rest;
}

// ---------------------------------------------------------------------------------------------
// Sentences

const CLOSERS = `"'”’)]」』）》»*_`;
// Words whose "." does not end a sentence: "e.g. neon or retro".
const ABBREVIATION = /(?:^|[\s(])(?:e\.g|i\.e|vs|approx|Mr|Mrs|Ms|Dr|Fig)$/i;

const SENTENCE_END = new RegExp(`^(?:[。！？]+[.!?。！？…]*|[.!?…]+)[${CLOSERS.replace(']', '\\]')}]*`, 'u');

/** Splits a line into sentences, each with its end punctuation and the spaces after it. */
function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (!/[.!?…。！？]/u.test(ch)) {
      i++;
      continue;
    }
    const punct = SENTENCE_END.exec(text.slice(i, i + 40))?.[0] ?? ch;
    let j = i + punct.length;
    const fullWidth = /^[。！？]/u.test(punct);
    const spaceAfter = j >= text.length || /\s/u.test(text[j] ?? '');
    if (!fullWidth && (!spaceAfter || (punct === '.' && ABBREVIATION.test(text.slice(Math.max(0, i - 8), i))))) {
      i = j;
      continue;
    }
    while (j < text.length && /\s/u.test(text[j] ?? '')) j++;
    sentences.push(text.slice(start, j));
    start = j;
    i = j;
  }
  if (start < text.length) sentences.push(text.slice(start));
  return sentences;
}

// Where instructions may start: commas, semicolons, dashes, " or ", " then ", "然后"…
// (Each alternative starts with one fixed character, so runs of spaces cost linear time.)
const CLAUSE_SEPARATOR = /([,;，；]\s*|\s[—–-]\s+|(?:——|—)\s*|\s(?:or|then|and then)\s+|或者|然后|或是)/i;

interface Found {
  index: number;
  action: GuiAction | undefined;
}

/**
 * Agent sentences are far shorter; a longer "sentence" (a table row, a pasted log line) is kept as it is,
 * which also bounds the regex work on runs of spaces or punctuation.
 */
const MAX_SENTENCE_CHARS = 1_000;

/** The sentence as the user sees it: kept exactly, rewritten, or '' (removed). */
function translateSentence(sentence: string, actions: GuiAction[]): string {
  if (sentence.length > MAX_SENTENCE_CHARS) return sentence;
  const { core, terminal, trailingSpace } = sentenceParts(sentence);
  const patterns = /\p{Script=Han}/u.test(core) ? [...ZH_PATTERNS, ...EN_PATTERNS] : EN_PATTERNS;
  if (!patterns.some((p) => p.re.test(core))) return sentence;
  const clauses = splitClauses(core);
  const found = clauses.map((c) => findInstruction(core, c.start, c.text, patterns)).filter((f): f is Found => f !== undefined);
  if (found.length === 0) return sentence;
  for (const f of found) addAction(actions, f.action);

  const first = Math.min(...found.map((f) => f.index));
  const kept = keptPart(core.slice(0, first), actions);
  // Next to a GUI instruction, a bare "export it" / "check your balance" is one too: the client's button replaces it.
  for (const clause of clauses) {
    if (clause.start + clause.text.length > first || kept === undefined) addAction(actions, bareCommand(clause.text, true));
  }
  if (kept === undefined) return '';
  const punct = terminal.replace(/[^.!?…。！？]+$/u, '');
  const closers = terminal.slice(punct.length);
  // "**Done — click Export.**" -> "**Done.**"; "(Done — click Export.)" -> "(Done.)"; an unclosed quote or bracket -> removed.
  if (!balanced(kept + closers)) return '';
  return kept + endPunctuation(kept, punct) + closers + trailingSpace;
}

/** "Done — click Export.**  " -> core "Done — click Export", terminal ".**", trailing "  " (scanned by hand: no regex backtracking). */
function sentenceParts(sentence: string): { core: string; terminal: string; trailingSpace: string } {
  let end = sentence.length;
  while (end > 0 && /\s/u.test(sentence[end - 1] ?? '')) end--;
  let closersStart = end;
  while (closersStart > 0 && CLOSERS.includes(sentence[closersStart - 1] ?? '')) closersStart--;
  let punctStart = closersStart;
  while (punctStart > 0 && '.!?…。！？'.includes(sentence[punctStart - 1] ?? '')) punctStart--;
  const start = punctStart === closersStart ? end : punctStart;
  return { core: sentence.slice(0, start), terminal: sentence.slice(start, end), trailingSpace: sentence.slice(end) };
}

interface Clause {
  start: number;
  text: string;
}

function splitClauses(core: string): Clause[] {
  const parts = core.split(CLAUSE_SEPARATOR);
  const clauses: Clause[] = [];
  let offset = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    if (i % 2 === 0) clauses.push({ start: offset, text: part });
    offset += part.length;
  }
  return clauses;
}

/** The first GUI instruction in one clause, if any: its position in the sentence and the action it asks for. */
function findInstruction(sentence: string, clauseStart: number, clause: string, patterns: GuiPattern[]): Found | undefined {
  let best: { index: number; pattern: GuiPattern; matched: string } | undefined;
  for (const pattern of patterns) {
    const m = pattern.re.exec(clause);
    if (m === null) continue;
    if (pattern.where === 'start' && !isFiller(clause.slice(0, m.index))) continue;
    // Inside quotes it is content: a caption or a title that reads "Click the Download button below".
    if (insideQuotes(sentence, clauseStart + m.index)) continue;
    if (best === undefined || m.index < best.index) best = { index: m.index, pattern, matched: m[0] };
  }
  if (best === undefined) return undefined;
  const { action } = best.pattern;
  return { index: clauseStart + best.index, action: typeof action === 'function' ? action(best.matched) : action };
}

function insideQuotes(text: string, index: number): boolean {
  const before = text.slice(0, index);
  const count = (re: RegExp): number => before.match(re)?.length ?? 0;
  return count(/"/g) % 2 === 1 || count(/“/g) > count(/”/g) || count(/「/g) > count(/」/g) || count(/『/g) > count(/』/g);
}

// Words that carry no content on their own: "you can", "just", "then", "或者"…
const FILLER_WORDS =
  /\b(?:you can|you could|you may|you might|you'll|you will|you need to|you should|you just need to|just|simply|please|now|then|or|and|so|also|feel free to|go ahead and|next|finally|first|afterwards|when ready|when you're ready|whenever you're ready|to)\b|您可以|你可以|可以|请|只需|然后|或者|或|再|接着|现在|直接|即可|就/gi;

function isFiller(text: string): boolean {
  return !/[\p{L}\p{N}]/u.test(text.replace(FILLER_WORDS, ''));
}

function bareCommand(text: string, anyKind: boolean): GuiAction | undefined {
  const { kind } = routeIntent(stripLeadingConnectors(text.replace(/^[\s*_`]+|[\s*_`]+$/g, '')));
  // "视频做好了" reads as the status command "is it done?": only export and credits are dropped from kept text.
  if (kind === 'export' || kind === 'credits') return kind;
  return anyKind && kind === 'status' ? kind : undefined;
}

// ---------------------------------------------------------------------------------------------
// The kept part of a rewritten sentence

// Cut from the end of the kept part, nearest the instruction first: fillers ("you can", "just", "请"), then
// connectors ("and", "or", "然后"), then punctuation (",", " — ", "，"). A connector or punctuation mark is
// the clause boundary a rewrite needs. (Single-character Chinese connectors such as 并 or 或 are not cut:
// they end words too, as in 合并.)
const TRAILING_FILLER =
  /(?:\b(?:you can also|you can|you could|you may|you might|you'll|you will|you need to|you should|you just need to|will you|would you like to|do you want to|you want to|just|simply|please|now|also|feel free to|go ahead and|next|finally|when you're ready|whenever you're ready|when ready)|您也可以|你也可以|也可以|您可以|你可以|可以|请您|请|只需要|只需|只要|直接|现在|也|就)\s*$/iu;
const TRAILING_CONNECTOR = /(?:\b(?:and then|and|or|so|then|but)|然后|或者|或是|并且|接着|接下来)\s*$/iu;
const TRAILING_PUNCTUATION = /(?:[,;，；、]|\s[—–-]|—|——)\s*$/u;
const LEADING_CONNECTOR = /^(?:\s*\b(?:and|or|then|so|but|also)\b\s*|\s*(?:然后|或者|或|并且|但是|而且)\s*|[\s,;:，；：—–-]+)/i;

// A clause that only introduces the instruction: "To save it", "If you like it", "In the top right corner", "要导出的话".
const LEAD_IN =
  /^(?:to|if|when|whenever|once|after|before|as soon as|as|now that|since|because|while|until|unless|for|in|on|at|with|by|using|via|through|from|inside|within|under|so that|in order to|should you|whether)\b|^(?:如果|要是|若|要|想要|如需|需要|为了|在(?![^，。]*了)|当(?!前)|等|待|通过|用(?!了)|使用|对于)|(?:[^最背落]后|之后|以后|的话|之前|的时候)$/iu;

// The kept part may not end on a word that needs something after it.
const DANGLING_EN =
  /\b(?:the|a|an|to|of|in|on|at|with|by|for|from|via|using|into|onto|through|your|my|our|its|their|his|her|is|are|was|were|be|been|will|would|can|could|should|may|might|must|and|or|but|so|then|which|who|where|when|if|because|as|than|let)$/i;
// (Only characters that do not also end common words: 合并, 收到, 使用, 本地 and 现在 are whole.)
const DANGLING_ZH = /(?:(?<![现正存所实自])在|把|将|从|对|给|和|与|的|是|让|被|而且|通过|以及|还有|因为|由于)$/u;
const PRONOUN_ONLY = /^(?:it|this|that|they|them|these|those|here|there|它|它们|这|这个|那|那个|这些|那些|此|其|你|您|我)$/iu;

/**
 * What is left of a sentence once the instruction that ends it is cut off, or undefined when that
 * would not be a sentence of its own (then the whole sentence goes).
 */
function keptPart(prefix: string, actions: GuiAction[]): string | undefined {
  let text = trimDanglingMarks(trimEndOf(prefix, ' \t'));
  for (let guard = 0; guard < 8; guard++) {
    const next = trimDanglingMarks(trimEndOf(text.replace(TRAILING_FILLER, ''), ' \t'));
    if (next === text) break;
    text = next;
  }
  let boundary = false;
  for (let guard = 0; guard < 4; guard++) {
    const next = trimEndOf(text.replace(TRAILING_CONNECTOR, ''), ' \t');
    if (next === text) break;
    text = next;
    boundary = true;
  }
  const afterPunct = trimDanglingMarks(trimEndOf(text.replace(TRAILING_PUNCTUATION, ''), ' \t'));
  if (afterPunct !== text) boundary = true;
  text = afterPunct;
  if (!boundary) return undefined;

  // Drop trailing clauses that only led to the instruction ("…, and to save it") or are bare commands ("…, so export it").
  for (let guard = 0; guard < 6; guard++) {
    const segments = text.split(/[,;，；]|\s[—–-]\s|——|—/u);
    const last = stripLeadingConnectors((segments[segments.length - 1] ?? '').replace(/^[\s*_`]+/, ''));
    const command = bareCommand(last, false);
    if (!LEAD_IN.test(last) && command === undefined && last !== '') break;
    addAction(actions, command);
    text = text.slice(0, text.length - (segments[segments.length - 1] ?? '').length);
    text = trimEndOf(text, ' \t,;，；、—–-');
    if (segments.length === 1) return undefined;
  }

  text = text.trim();
  const words = text.replace(/[\p{Extended_Pictographic}\uFE0F\u200D*_`~]/gu, '').trim();
  if (!/[\p{L}\p{N}]/u.test(words) || isFiller(words) || PRONOUN_ONLY.test(words)) return undefined;
  if (/[:：]$/u.test(text) || DANGLING_EN.test(text) || DANGLING_ZH.test(text)) return undefined;
  return text;
}

/** "Your video is ready — **" loses its unclosed "**"; "**Your video is ready**" keeps its closing one. */
function trimDanglingMarks(text: string): string {
  for (const mark of ['**', '__', '`', '*', '_']) {
    if (text.endsWith(mark) && text.split(mark).length % 2 === 0) return trimEndOf(text.slice(0, -mark.length), ' \t');
  }
  return text;
}

function trimEndOf(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text[end - 1] ?? '')) end--;
  return text.slice(0, end);
}

function stripLeadingConnectors(text: string): string {
  let current = text;
  for (let i = 0; i < 10; i++) {
    const next = current.replace(LEADING_CONNECTOR, '');
    if (next === current) break;
    current = next;
  }
  return current.trim();
}

/** Quotes, brackets and markdown marks opened in the kept part are closed in it too. */
function balanced(text: string): boolean {
  const count = (re: RegExp): number => text.match(re)?.length ?? 0;
  return (
    count(/"/g) % 2 === 0 &&
    count(/\*\*/g) % 2 === 0 &&
    count(/`/g) % 2 === 0 &&
    count(/“/g) === count(/”/g) &&
    count(/[(（]/g) === count(/[)）]/g) &&
    count(/\[/g) === count(/\]/g) &&
    count(/「/g) === count(/」/g)
  );
}

const QUESTION_EN = /^\W*(?:what|which|who|whom|whose|where|when|why|how|do|does|did|is|are|was|were|will|would|should|shall|can|could|may|might|want|any|have|has)\b/i;
const QUESTION_ZH = /[吗呢]$|什么|哪|怎么|怎样|如何|是否|要不要|是不是|需不需要|可不可以|好不好/u;

/** The sentence's own end punctuation, unless it was the removed instruction's question mark. */
function endPunctuation(kept: string, punct: string): string {
  if (punct === '') return '';
  if (!/[?？]/u.test(punct) || QUESTION_EN.test(kept) || QUESTION_ZH.test(kept)) return punct;
  return /\p{Script=Han}$/u.test(kept) ? '。' : '.';
}

/** When nothing but GUI instructions came back, say what the client is about to show instead. */
function fallbackText(actions: GuiAction[], original: string): string {
  const zh = /\p{Script=Han}/u.test(original);
  if (actions.includes('export')) return zh ? '视频可以导出了。' : 'Your video can be exported now.';
  if (actions.includes('status')) return zh ? '这是当前的时间线。' : 'Here is the current timeline.';
  if (actions.includes('credits')) return zh ? '这是你的积分余额。' : 'Here is your credit balance.';
  return zh ? '告诉我你想修改什么，我来处理。' : "Tell me what you'd like to change and I'll do it.";
}
