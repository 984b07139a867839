// The language of a new project (docs/protocol.md §3.2: `language: <detected>`):
// taken from what the user wrote when its script says it, else from the setting
// or VS Code's display language.

/** Han ideographs (CJK Unified, Extension A, Compatibility). */
const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/g;
const KANA = /[\u3040-\u30ff]/g;
const HANGUL = /[\uac00-\ud7af\u1100-\u11ff]/g;
const LETTER = /\p{L}/gu;

/** Only the start of a long text is looked at: a script is clear after a few hundred letters. */
const SAMPLE_CHARS = 2_000;

/**
 * `zh-CN`, `ja` or `ko` when at least a fifth of the letters of `text` are in that
 * script (a Chinese request with an English product name is still Chinese), else undefined.
 */
export function languageOfText(text: string): string | undefined {
  const sample = text.slice(0, SAMPLE_CHARS);
  const letters = sample.match(LETTER)?.length ?? 0;
  if (letters === 0) return undefined;
  const share = (re: RegExp) => (sample.match(re)?.length ?? 0) / letters;
  // Japanese mixes kana with Han: kana decides first.
  if (share(KANA) >= 0.1) return 'ja';
  if (share(HANGUL) >= 0.2) return 'ko';
  if (share(HAN) >= 0.2) return 'zh-CN';
  return undefined;
}

/** The project language: the text's own script when clear, else `fallback` (the setting or display language). */
export function projectLanguageFor(text: string | undefined, fallback: string): string {
  return (text !== undefined ? languageOfText(text) : undefined) ?? fallback;
}
