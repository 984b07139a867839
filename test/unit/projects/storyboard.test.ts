// A Markdown file as a storyboard: one scene per `##` section (its `###`
// subsections included), with front matter and code fences skipped, a summary for
// Generate All Scenes, and a scene identity (heading text + occurrence) that a
// project made from the scene keeps through its source anchor.
import * as assert from 'node:assert/strict';
import { indexText, locate, textInRange } from '../../../src/core/projects/sourceAnchor';
import { findScene, parseStoryboard, sceneAnchor, sceneKey, sceneKeyOfAnchor, scenesWithoutVideo } from '../../../src/core/projects/storyboard';

const STORY = [
  '---', // 0
  'title: Lumen Desk',
  '## not a scene (front matter)',
  '---',
  '# Lumen Desk: the launch video', // 4
  '',
  'Notes before the first scene are not a scene.',
  '',
  '## Opening', // 8
  '',
  'A dark room. The desk rises.',
  '',
  '### Shot list', // 12
  '- wide',
  '- close',
  '',
  '```markdown', // 16
  '## not a scene (code)',
  '```',
  '',
  '##   The   lamp  ##', // 20
  'The lamp follows the light.',
  '',
  '##', // 23
  '',
  '## Opening', // 25
  'Second opening, same title.',
  '# Appendix', // 27
  'Not part of any scene.',
  '',
].join('\n');

describe('projects/storyboard', () => {
  it('finds each ## section, skipping front matter and code fences, and text before the first one', () => {
    const sb = parseStoryboard(STORY);
    assert.deepEqual(
      sb.scenes.map((s) => [s.index, s.title, s.occurrence, s.headingLine, s.key]),
      [
        [0, 'Opening', 0, 8, '0:Opening'],
        [1, 'The lamp', 0, 20, '0:The lamp'],
        [2, '', 0, 23, '0:'],
        [3, 'Opening', 1, 25, '1:Opening'],
      ],
    );
  });

  it('gives each scene its text without the heading: subsections and code kept, blank lines around it dropped', () => {
    const [opening, lamp, empty, second] = parseStoryboard(STORY).scenes;
    assert.equal(opening.text, 'A dark room. The desk rises.\n\n### Shot list\n- wide\n- close\n\n```markdown\n## not a scene (code)\n```');
    assert.deepEqual(opening.bodyRange, { start: { line: 10, character: 0 }, end: { line: 18, character: 3 } });
    assert.deepEqual(opening.range, { start: { line: 8, character: 0 }, end: { line: 18, character: 3 } });
    assert.equal(lamp.text, 'The lamp follows the light.');
    assert.equal(second.text, 'Second opening, same title.', 'a # heading ends the scene');
    assert.equal(empty.text, '');
    assert.deepEqual(empty.bodyRange, { start: { line: 23, character: 2 }, end: { line: 23, character: 2 } });
    assert.deepEqual(empty.range, { start: { line: 23, character: 0 }, end: { line: 23, character: 2 } });
    for (const s of parseStoryboard(STORY).scenes) assert.equal(textInRange(STORY, s.bodyRange), s.text);
  });

  it('summarises the file: scenes, scenes with text, characters', () => {
    const { summary, scenes } = parseStoryboard(STORY);
    assert.deepEqual(summary, { count: 4, withText: 3, chars: scenes.reduce((n, s) => n + s.text.length, 0) });
    assert.deepEqual(parseStoryboard('').summary, { count: 0, withText: 0, chars: 0 });
    assert.deepEqual(parseStoryboard('# Only a title\n\nAnd text.').scenes, []);
  });

  it('reads CRLF files the same way', () => {
    const lf = parseStoryboard(STORY);
    const crlf = parseStoryboard(STORY.replace(/\n/g, '\r\n'));
    assert.deepEqual(crlf.scenes.map((s) => [s.key, s.hash, s.bodyRange]), lf.scenes.map((s) => [s.key, s.hash, s.bodyRange]));
  });

  it('keeps a scene\'s key through edits above, below and inside it; only its position and range move', () => {
    const before = parseStoryboard(STORY);
    const edited = STORY.replace('Notes before', 'New notes.\n\nNotes before').replace('The lamp follows the light.', 'The lamp follows the light of dusk.');
    const after = parseStoryboard(edited);
    assert.deepEqual(after.scenes.map((s) => s.key), before.scenes.map((s) => s.key));
    const lamp = findScene(after, sceneKey('The lamp', 0));
    assert.equal(lamp?.headingLine, 22);
    assert.notEqual(lamp?.hash, findScene(before, '0:The lamp')?.hash);
    assert.equal(findScene(after, '0:Opening')?.hash, findScene(before, '0:Opening')?.hash, 'whitespace and other scenes do not change a scene\'s hash');
    assert.equal(findScene(after, '2:Opening'), undefined);
  });

  it('a project made from a scene links back to it, and sees when the scene text changed', () => {
    const sb = parseStoryboard(STORY);
    const lamp = findScene(sb, '0:The lamp')!;
    const anchor = sceneAnchor('story.md', STORY, lamp);
    assert.equal(anchor.text, lamp.text);
    assert.equal(anchor.hash, lamp.hash);
    assert.equal(anchor.coversSection, true);
    assert.equal(sceneKeyOfAnchor(anchor), '0:The lamp');

    const opening = findScene(sb, '0:Opening')!;
    assert.equal(sceneKeyOfAnchor(sceneAnchor('story.md', STORY, opening)), '0:Opening', 'its heading, not the ### inside it');
    assert.equal(sceneKeyOfAnchor(sceneAnchor('story.md', STORY, findScene(sb, '1:Opening')!)), '1:Opening');

    const edited = STORY.replace('The lamp follows the light.', 'A new lamp line.');
    const r = locate(anchor, indexText(edited));
    assert.equal(r.status, 'changed');
    assert.equal(textInRange(edited, r.range!), findScene(parseStoryboard(edited), '0:The lamp')!.text);
  });

  it('an anchor made from part of a scene, or from no scene, has no scene key', () => {
    const sb = parseStoryboard(STORY);
    const opening = findScene(sb, '0:Opening')!;
    const part = sceneAnchor('story.md', STORY, { ...opening, bodyRange: { start: opening.bodyRange.start, end: { line: 10, character: 28 } } });
    assert.equal(sceneKeyOfAnchor(part), undefined);
    const text = 'plain text file\n';
    assert.equal(sceneKeyOfAnchor(sceneAnchor('a.txt', text, { ...opening, bodyRange: { start: { line: 0, character: 0 }, end: { line: 0, character: 15 } } })), undefined);
  });

  it('an empty scene cannot become a project (createAnchor refuses it)', () => {
    const empty = parseStoryboard(STORY).scenes[2];
    assert.throws(() => sceneAnchor('story.md', STORY, empty), RangeError);
  });

  it('parses a 2,000-line storyboard of 200 scenes from one index shared with the anchors', () => {
    const lines: string[] = ['# Storyboard', ''];
    for (let s = 0; s < 200; s++) {
      lines.push(`## Scene ${s}`, '');
      for (let l = 0; l < 7; l++) lines.push(`Line ${l} of scene ${s}, with a few words to read.`);
      lines.push('');
    }
    const text = lines.join('\n');
    const index = indexText(text);
    assert.ok(index.lineCount >= 2_000);
    // Its cost is the bench's P12 row, not a timed assertion.
    const sb = parseStoryboard(index);
    assert.equal(sb.summary.count, 200);
    assert.equal(sb.scenes[199].title, 'Scene 199');
  });
});

describe('projects/storyboard: scenes without a video', () => {
  const DOC = ['# Launch', '', '## Intro', '', 'A lamp.', '', '## Empty', '', '## Focus', '', 'It dims.', 'And mutes.', ''].join('\n');

  it('are the scenes with text in which no video source starts (the lenses and Generate All Scenes ask it)', () => {
    const sb = parseStoryboard(DOC);
    assert.deepEqual(scenesWithoutVideo(sb, []).map((s) => s.title), ['Intro', 'Focus'], 'an empty scene needs no video');
    // A source starting on the last body line of Focus: Focus has its video.
    assert.deepEqual(scenesWithoutVideo(sb, [11]).map((s) => s.title), ['Intro']);
    // A source starting on Focus's heading line is not inside its body.
    assert.deepEqual(scenesWithoutVideo(sb, [8]).map((s) => s.title), ['Intro', 'Focus']);
    assert.deepEqual(scenesWithoutVideo(sb, new Set([4, 10])).map((s) => s.title), []);
  });
});
