// A Markdown file read as a storyboard: each `##` section is a scene. A scene runs
// from its heading to the next `#` or `##` heading (its `###` subsections belong to
// it); text before the first `##` is not a scene. Front matter, fenced code blocks
// and HTML blocks are skipped (a `## ` line inside them is not a heading).
//
// A scene is identified by its heading text and its occurrence among the scenes
// with that text (the second "## Scene" is occurrence 1), the same identity a
// source anchor keeps for its heading, so a project made from a scene finds its
// scene again after the file was edited above, below or inside it.
import { createAnchor, hashText, type SourceAnchor } from './sourceAnchor';
import { asIndex, rangeOf, sectionEndLine, type TextIndex, type TextRange } from './textIndex';

export const SCENE_LEVEL = 2;

export interface Scene {
  /** sceneKey(title, occurrence): stable while the heading and those above it with the same text stay. */
  key: string;
  /** The heading text (whitespace runs made single spaces); may be empty for a bare `##`. */
  title: string;
  /** Index among the scenes with the same title. */
  occurrence: number;
  /** Position among all scenes of the file. */
  index: number;
  headingLine: number;
  /** From the start of the heading line to the end of the scene's last non-blank line. */
  range: TextRange;
  /** The scene's text without its heading: from its first to its last non-blank line (empty range after the heading when empty). */
  bodyRange: TextRange;
  /** The text of bodyRange. */
  text: string;
  /** hashText(text), computed when read. */
  readonly hash: string;
}

export interface StoryboardSummary {
  /** Number of scenes. */
  count: number;
  /** Scenes with some text (the ones Generate All Scenes can make a video of). */
  withText: number;
  /** Characters of text in all scenes. */
  chars: number;
}

export interface Storyboard {
  scenes: Scene[];
  summary: StoryboardSummary;
}

export function sceneKey(title: string, occurrence: number): string {
  return `${occurrence}:${title}`;
}

export function parseStoryboard(document: string | TextIndex): Storyboard {
  const index = asIndex(document);
  const scenes: Scene[] = [];
  for (const h of index.headings()) {
    if (h.level !== SCENE_LEVEL) continue;
    const endLine = sectionEndLine(index, h);
    const headingStart = index.lineStarts[h.line];
    const headingEnd = index.lineEnd(h.line);
    let first = h.line + 1;
    let last = endLine - 1;
    while (first <= last && isBlank(index, first)) first++;
    while (last >= first && isBlank(index, last)) last--;
    const bodyStart = first <= last ? index.lineStarts[first] : headingEnd;
    const bodyEnd = first <= last ? index.lineEnd(last) : headingEnd;
    const text = index.text.slice(bodyStart, bodyEnd);
    scenes.push({
      key: sceneKey(h.text, h.occurrence),
      title: h.text,
      occurrence: h.occurrence,
      index: scenes.length,
      headingLine: h.line,
      range: rangeOf(index, headingStart, Math.max(headingEnd, bodyEnd)),
      bodyRange: rangeOf(index, bodyStart, bodyEnd),
      text,
      // Hashed when asked: the lenses parse the file on every edit and never need it.
      get hash() {
        return hashText(text);
      },
    });
  }
  let withText = 0;
  let chars = 0;
  for (const s of scenes) {
    if (/\S/.test(s.text)) withText++;
    chars += s.text.length;
  }
  return { scenes, summary: { count: scenes.length, withText, chars } };
}

/**
 * The scenes that still need a video: those with text in which no video's source starts
 * (`videoStarts`: the lines where the projects' sources of this file begin now). The lenses
 * offer Generate Video above them; Generate All Scenes makes them.
 */
export function scenesWithoutVideo(storyboard: Storyboard, videoStarts: Iterable<number>): Scene[] {
  const starts = [...videoStarts];
  return storyboard.scenes.filter((s) => /\S/.test(s.text) && !starts.some((l) => l >= s.bodyRange.start.line && l <= s.range.end.line));
}

export function findScene(storyboard: Storyboard, key: string): Scene | undefined {
  return storyboard.scenes.find((s) => s.key === key);
}

/** The anchor of a project made from a scene (throws a RangeError for an empty or over-long scene, as createAnchor does). */
export function sceneAnchor(file: string, document: string | TextIndex, scene: Scene): SourceAnchor {
  return createAnchor({ file, document, range: scene.bodyRange, markdown: true });
}

/**
 * The key of the scene an anchor was made from: the anchor covered the whole body of
 * a `##` section. Undefined for an anchor made from part of a section or from other text.
 */
export function sceneKeyOfAnchor(anchor: SourceAnchor): string | undefined {
  const h = anchor.heading;
  return anchor.markdown && anchor.coversSection && h && h.level === SCENE_LEVEL ? sceneKey(h.text, h.occurrence) : undefined;
}

function isBlank(index: TextIndex, line: number): boolean {
  return !/\S/.test(index.text.slice(index.lineStarts[line], index.lineEnd(line)));
}
