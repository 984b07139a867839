// The answers a question offers, as buttons: the choices of an ask_question call
// (docs/protocol.md §4.9) and a numbered or bulleted list of options that a reply
// ends with after a question. Pure, so the rules are tested in plain Node; the chat
// panel only accepts back a choice it offered (src/chatPanel/choices.ts).

/** More options than this are a list to read, not buttons to press. */
export const MAX_CHOICES = 6;
/** A longer option is a paragraph, not an answer to click. */
export const MAX_CHOICE_CHARS = 120;

/** The options of an ask_question call, cleaned and bounded; undefined when fewer than two remain. */
export function boundedChoices(options: readonly string[] | undefined): string[] | undefined {
  if (!options) return undefined;
  const out: string[] = [];
  for (const option of options) {
    const label = cleanChoice(option);
    if (label === undefined || out.includes(label)) continue;
    if (out.length === MAX_CHOICES) return undefined;
    out.push(label);
  }
  return out.length >= 2 ? out : undefined;
}

const ITEM = /^\s{0,3}(?:(\d{1,2})[.)]|[-*+•])\s+(.+?)\s*$/;
const FENCE = /^\s{0,3}(```|~~~)/;
const QUESTION_END = /[?？]\s*(?:\*\*|__)?\s*[:：]?\s*$/;

/**
 * The options a reply ends with, when it asks: two to six list items at the end of the
 * text (or before one closing question line), introduced by or followed by a
 * line that ends with a question mark. A list anywhere else, a list inside a code fence
 * and a list of long items are ordinary text.
 */
export function choicesInText(text: string): string[] | undefined {
  if (text.length > 20_000) return undefined;
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let end = lines.length;
  while (end > 0 && lines[end - 1]!.trim() === '') end--;
  if (end === 0 || insideFence(lines, end)) return undefined;
  // A closing question after the list ("Which one do you like?").
  let closing: string | undefined;
  if (!ITEM.test(lines[end - 1]!)) {
    closing = lines[end - 1]!;
    if (!QUESTION_END.test(closing)) return undefined;
    end--;
    while (end > 0 && lines[end - 1]!.trim() === '') end--;
  }
  let start = end;
  while (start > 0 && ITEM.test(lines[start - 1]!)) start--;
  const items = lines.slice(start, end);
  if (items.length < 2 || items.length > MAX_CHOICES) return undefined;
  let intro = start - 1;
  while (intro >= 0 && lines[intro]!.trim() === '') intro--;
  const asks = closing !== undefined || (intro >= 0 && QUESTION_END.test(lines[intro]!));
  if (!asks) return undefined;
  const numbers = items.map((line) => ITEM.exec(line)![1]);
  // One kind of list, numbered 1, 2, 3… when numbered.
  if (numbers.some((n) => (n === undefined) !== (numbers[0] === undefined))) return undefined;
  if (numbers[0] !== undefined && numbers.some((n, i) => Number(n) !== i + 1)) return undefined;
  const choices: string[] = [];
  for (const line of items) {
    const label = cleanChoice(ITEM.exec(line)![2]!);
    if (label === undefined || choices.includes(label)) return undefined;
    choices.push(label);
  }
  return choices;
}

/** An option as a button label: one line, Markdown emphasis and a trailing colon or full stop dropped; undefined when empty or too long. */
export function cleanChoice(raw: string): string | undefined {
  const label = raw
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')
    .replace(/\*\*|__|`/g, '')
    .replace(/\s+/g, ' ')
    .replace(/[\s.。;；]+$/u, '')
    .trim();
  if (label === '' || label.length > MAX_CHOICE_CHARS) return undefined;
  return label;
}

/** True when line `end - 1` is inside a fenced code block. */
function insideFence(lines: string[], end: number): boolean {
  let open = false;
  for (let i = 0; i < end; i++) if (FENCE.test(lines[i]!)) open = !open;
  return open;
}
