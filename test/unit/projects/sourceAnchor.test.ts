// Source anchors: hashing that ignores whitespace-only edits, and locating a video's
// text again after edits above, inside and around it, a renamed file and deleted
// text, by the rules at the top of src/core/projects/sourceAnchor.ts. The invariant
// checked everywhere: an 'unchanged' range holds the original text (whitespace aside),
// and no range is ever reported for text that is gone.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  createAnchor,
  hashText,
  indexText,
  isMarkdownFile,
  locate,
  MAX_ANCHOR_TEXT_CHARS,
  normalizeText,
  rebase,
  rebaseForRename,
  textInRange,
  type LocateResult,
  type SourceAnchor,
  type TextRange,
} from '../../../src/core/projects/sourceAnchor';

/** The range of the first occurrence of `needle` in `doc` (the nth with `nth`). */
function rangeOfText(doc: string, needle: string, nth = 0): TextRange {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = doc.indexOf(needle, at + 1);
    assert.ok(at >= 0, `"${needle}" not in the document`);
  }
  const ix = indexText(doc);
  return { start: ix.positionAt(at), end: ix.positionAt(at + needle.length) };
}

function anchorOn(doc: string, needle: string, file = 'docs/launch.md', nth = 0): SourceAnchor {
  return createAnchor({ file, document: doc, range: rangeOfText(doc, needle, nth) });
}

/** The text a result points at. */
function at(doc: string, r: LocateResult): string | undefined {
  return r.range ? textInRange(doc, r.range) : undefined;
}

const PARA = 'Lumen Desk rises without a sound. It remembers your height,\nlights up at dusk, and folds flat when the day is done.';

const DOC = [
  '# Lumen Desk launch', // 0
  '',
  'A short intro that is not the source.', // 2
  '',
  '## Scene 1: the desk', // 4
  '',
  PARA, // 6-7
  '',
  'Another paragraph in the same scene, after the source.', // 9
  '',
  '## Scene 2: the lamp', // 11
  '',
  'The lamp follows the light of the room.', // 13
  '',
].join('\n');

describe('projects/sourceAnchor', () => {
  describe('hashText', () => {
    it('is the hex SHA-256 of the words joined by single spaces', () => {
      const expected = createHash('sha256').update('Hello, big world!', 'utf8').digest('hex');
      assert.equal(hashText('  Hello,\n\tbig   world!\n'), expected);
      assert.match(hashText('x'), /^[0-9a-f]{64}$/);
      assert.equal(hashText(''), hashText(' \n\t'));
    });

    it('is stable: fixed values that stored anchors rely on (the same as `printf %s "<words>" | sha256sum`)', () => {
      assert.equal(hashText('Lumen Desk rises\r\n  without a sound.'), 'a27825059d7f406d7a961d3f6e2504f0b215a0551b03dfbf33477077d7b8d1dd');
      assert.equal(hashText('\u00e9\t\u{1F600}\n'), 'e02a2dea95a65290636bfef21dd32c8665f32fe3049db5ee8a1ae7a0f37ea010', 'UTF-8 of the words');
    });

    it('does not change for whitespace-only edits', () => {
      const base = hashText(PARA);
      const variants = [
        PARA.replace(/\n/g, '\r\n'), // CRLF
        PARA.replace(/\n/g, '\r'), // old Mac line endings
        `  ${PARA.replace(/\n/g, '\n    ')}  `, // indented, trailing spaces
        PARA.replace(/ /g, '\t'), // tabs
        PARA.replace(/ /g, '   '), // runs of spaces
        PARA.replace(/\n/g, ' '), // unwrapped into one line
        PARA.replace(/, /g, ',\n'), // re-wrapped
        `\n\n${PARA.replace('\n', '\n\n\n')}\n\n`, // blank lines added
        PARA.replace(/ /g, '\u00a0'), // non-breaking spaces
        PARA.replace(/ /g, '\u2003'), // em spaces
      ];
      for (const v of variants) assert.equal(hashText(v), base, JSON.stringify(v));
    });

    it('changes for any edit to the words, including a space added inside a word or removed between two', () => {
      const base = hashText(PARA);
      for (const v of [
        PARA.replace('rises', 'lifts'),
        PARA.replace('Lumen', 'lumen'),
        PARA.replace('sound.', 'sound!'),
        PARA.replace('Desk', 'De sk'),
        PARA.replace('Lumen Desk', 'LumenDesk'),
        `${PARA} More.`,
        PARA.slice(1),
      ]) {
        assert.notEqual(hashText(v), base, v);
      }
    });
  });

  describe('createAnchor', () => {
    it('remembers the file, the range, the text, its hash and the nearest heading above', () => {
      const a = anchorOn(DOC, PARA);
      assert.equal(a.file, 'docs/launch.md');
      assert.deepEqual(a.range, { start: { line: 6, character: 0 }, end: { line: 7, character: 55 } });
      assert.equal(a.text, PARA);
      assert.equal(a.hash, hashText(PARA));
      assert.equal(a.markdown, true);
      assert.deepEqual(a.heading, { text: 'Scene 1: the desk', level: 2, line: 4, occurrence: 0 });
      assert.equal(a.coversSection, undefined, 'one paragraph of two');
    });

    it('takes the heading whose section holds the whole selection: one that takes in a ## heading is held by the # above', () => {
      const a = anchorOn(DOC, '## Scene 2: the lamp\n\nThe lamp');
      assert.deepEqual(a.heading, { text: 'Lumen Desk launch', level: 1, line: 0, occurrence: 0 });
      const across = anchorOn(DOC, 'Another paragraph in the same scene, after the source.\n\n## Scene 2: the lamp\n\nThe lamp follows');
      assert.equal(across.heading?.text, 'Lumen Desk launch');
      const deeper = anchorOn('## Scene\n\nText before.\n### Shot list\n- wide\n', 'Text before.\n### Shot list\n- wide');
      assert.equal(deeper.heading?.text, 'Scene', 'a ### inside stays in its ## section');
      assert.equal(deeper.coversSection, true);
      const endsBefore = createAnchor({ file: 'a.md', document: DOC, range: { start: { line: 9, character: 0 }, end: { line: 11, character: 0 } } });
      assert.equal(endsBefore.heading?.text, 'Scene 1: the desk', 'a range ending at the start of a heading line does not take it in');
      const top = anchorOn(DOC, '# Lumen Desk launch');
      assert.equal(top.heading, undefined);
      const noParent = anchorOn('## A\n\ntext a\n\n## B\n\ntext b\n', 'text a\n\n## B\n\ntext');
      assert.equal(noParent.heading, undefined, 'no heading above holds it: the whole file does');
    });

    it('knows when the text is the whole body of its section (blank lines aside), or the whole file without headings', () => {
      const scene2 = anchorOn(DOC, 'The lamp follows the light of the room.');
      assert.equal(scene2.coversSection, true);
      const withBlank = createAnchor({ file: 'a.md', document: DOC, range: { start: { line: 12, character: 0 }, end: { line: 14, character: 0 } } });
      assert.equal(withBlank.coversSection, true);
      const plain = 'just\nsome text\n';
      assert.equal(createAnchor({ file: 'a.txt', document: plain, range: { start: { line: 0, character: 0 }, end: { line: 1, character: 9 } } }).coversSection, true);
    });

    it('uses Markdown headings only in Markdown (by file name, or as the caller says)', () => {
      const py = '# a comment\nprint("hello world and more")\n';
      const a = createAnchor({ file: 'script.py', document: py, range: rangeOfText(py, 'print("hello world and more")') });
      assert.equal(a.markdown, false);
      assert.equal(a.heading, undefined);
      const b = createAnchor({ file: 'untitled:Untitled-1', document: DOC, range: rangeOfText(DOC, PARA), markdown: true });
      assert.equal(b.heading?.text, 'Scene 1: the desk');
      assert.ok(isMarkdownFile('file:///w/notes.MD'));
      assert.ok(isMarkdownFile('docs/a.markdown'));
      assert.ok(isMarkdownFile('vscode-remote://ssh/x/a.mdx?query#frag'));
      assert.ok(!isMarkdownFile('a.md.txt'));
    });

    it('ignores headings inside fenced code and front matter', () => {
      const doc = '---\n## front\n---\n## Real\n```\n## fenced\n```\nThe source text here.\n';
      assert.equal(anchorOn(doc, 'The source text here.').heading?.text, 'Real');
    });

    it('counts the occurrence of a repeated heading', () => {
      const doc = '## Scene\none\n## Scene\ntwo words\n';
      assert.deepEqual(anchorOn(doc, 'two words').heading, { text: 'Scene', level: 2, line: 2, occurrence: 1 });
    });

    it('refuses a range outside the document, a blank text and an over-long one', () => {
      assert.throws(() => createAnchor({ file: 'a.md', document: 'abc', range: { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } } }), RangeError);
      assert.throws(() => createAnchor({ file: 'a.md', document: 'a  \n  b', range: { start: { line: 0, character: 1 }, end: { line: 1, character: 2 } } }), RangeError);
      const long = 'word '.repeat(MAX_ANCHOR_TEXT_CHARS / 5 + 1);
      assert.throws(() => createAnchor({ file: 'a.md', document: long, range: { start: { line: 0, character: 0 }, end: { line: 0, character: long.length } } }), RangeError);
    });

    it('keeps its own copy of the range', () => {
      const range = rangeOfText(DOC, PARA);
      const a = createAnchor({ file: 'a.md', document: DOC, range });
      range.start.line = 99;
      assert.equal(a.range.start.line, 6);
    });
  });

  describe('locate', () => {
    it('unchanged file: in place', () => {
      const a = anchorOn(DOC, PARA);
      const r = locate(a, DOC);
      assert.deepEqual(r, { status: 'unchanged', range: a.range, match: 'in-place', heading: { text: 'Scene 1: the desk', level: 2, line: 4 } });
    });

    it('edits below the range: in place', () => {
      const a = anchorOn(DOC, PARA);
      const doc = DOC.replace('The lamp follows', 'The lamp, rewritten, follows') + '\nMore at the end.\n';
      assert.equal(locate(a, doc).match, 'in-place');
    });

    describe('edits above the range', () => {
      it('lines inserted above shift it down', () => {
        const a = anchorOn(DOC, PARA);
        const doc = DOC.replace('A short intro', 'Three new lines.\n\nOf text.\n\nA short intro');
        const r = locate(a, doc);
        assert.equal(r.status, 'unchanged');
        assert.equal(r.match, 'moved');
        assert.deepEqual(r.range, { start: { line: 10, character: 0 }, end: { line: 11, character: 55 } });
        assert.equal(at(doc, r), PARA);
      });

      it('lines deleted above shift it up', () => {
        const a = anchorOn(DOC, PARA);
        const doc = DOC.replace('A short intro that is not the source.\n\n', '');
        const r = locate(a, doc);
        assert.equal(r.status, 'unchanged');
        assert.deepEqual(r.range?.start, { line: 4, character: 0 });
        assert.equal(at(doc, r), PARA);
        assert.deepEqual(r.heading, { text: 'Scene 1: the desk', level: 2, line: 2 });
      });

      it('text inserted before it on its own first line shifts its characters', () => {
        const doc0 = 'Intro: Lumen Desk rises without a sound.\n';
        const a = anchorOn(doc0, 'Lumen Desk rises without a sound.');
        const doc = doc0.replace('Intro:', 'Introducing today:');
        const r = locate(a, doc);
        assert.equal(r.status, 'unchanged');
        assert.deepEqual(r.range, { start: { line: 0, character: 19 }, end: { line: 0, character: 52 } });
      });

      it('a heading renamed above a text that did not change: still found', () => {
        const a = anchorOn(DOC, PARA);
        const doc = DOC.replace('Scene 1: the desk', 'Scene 1: Lumen Desk').replace('# Lumen Desk launch', '# Launch\n\nNew paragraph.');
        const r = locate(a, doc);
        assert.equal(r.status, 'unchanged');
        assert.equal(at(doc, r), PARA);
        assert.equal(r.heading?.text, 'Scene 1: Lumen Desk');
      });
    });

    describe('edits around the range (above and below, touching neither)', () => {
      it('still unchanged, at the shifted range', () => {
        const a = anchorOn(DOC, PARA);
        const doc = `Preface.\n\n${DOC.replace('Another paragraph', 'Yet another paragraph')}\nAppendix.\n`;
        const r = locate(a, doc);
        assert.equal(r.status, 'unchanged');
        assert.equal(at(doc, r), PARA);
        assert.equal(r.range?.start.line, 8);
      });

      it('words added right before and right after it on the same lines', () => {
        const doc0 = 'Before. Lumen Desk rises. It folds flat. After.';
        const a = anchorOn(doc0, 'Lumen Desk rises. It folds flat.');
        const doc = 'Well before. Lumen Desk rises. It folds flat. After, later.';
        const r = locate(a, doc);
        assert.equal(r.status, 'unchanged');
        assert.equal(at(doc, r), 'Lumen Desk rises. It folds flat.');
      });

      it('whitespace-only edits inside it (re-indented, re-wrapped, CRLF) leave it unchanged', () => {
        const a = anchorOn(DOC, PARA);
        for (const doc of [
          DOC.replace(PARA, PARA.replace('\n', ' ')),
          DOC.replace(PARA, `  ${PARA.replace('\n', '\n  ')}`),
          DOC.replace(/\n/g, '\r\n'),
          DOC.replace(PARA, PARA.replace(/ /g, '  ')),
        ]) {
          const r = locate(a, doc);
          assert.equal(r.status, 'unchanged', JSON.stringify(doc.slice(0, 80)));
          assert.equal(normalizeText(at(doc, r) ?? ''), normalizeText(PARA));
          assert.equal(hashText(at(doc, r) ?? ''), a.hash);
        }
      });
    });

    describe('edits inside the range', () => {
      it('a word changed in the middle: changed, at the edited paragraph', () => {
        const a = anchorOn(DOC, PARA);
        const edited = PARA.replace('remembers your height', 'remembers each person\'s height');
        const doc = DOC.replace(PARA, edited);
        const r = locate(a, doc);
        assert.equal(r.status, 'changed');
        assert.equal(r.match, 'edges');
        assert.equal(at(doc, r), edited);
        assert.equal(r.heading?.text, 'Scene 1: the desk');
      });

      it('a soft-wrapped paragraph (one long line) edited in the middle, with lines also added above', () => {
        const long = 'Lumen Desk rises without a sound, remembers your height, lights up at dusk, folds flat when the day is done and costs less than you think.';
        const doc0 = `# Notes\n\n${long}\n\nOther text.\n`;
        const a = anchorOn(doc0, long);
        const edited = long.replace('lights up at dusk', 'glows softly at dusk');
        const doc = `# Notes\n\nNew first paragraph.\n\n${edited}\n\nOther text.\n`;
        const r = locate(a, doc);
        assert.equal(r.status, 'changed');
        assert.equal(at(doc, r), edited);
        assert.equal(r.range?.start.line, 4);
      });

      it('sentences added inside: changed, the range grows with them', () => {
        const a = anchorOn(DOC, PARA);
        const edited = PARA.replace('It remembers', 'It is quiet. It is also smart. It remembers');
        const doc = DOC.replace(PARA, edited);
        const r = locate(a, doc);
        assert.equal(r.status, 'changed');
        assert.equal(at(doc, r), edited);
      });

      it('in a file that is not Markdown, the whole file is its section', () => {
        const text = '# not a heading in Python\nprint("Lumen Desk rises without a sound and folds flat")\nx = 1\n';
        const a = createAnchor({ file: 'a.py', document: text, range: rangeOfText(text, 'Lumen Desk rises without a sound and folds flat') });
        const doc = `# comment\n\n${text.replace('without a sound', 'silently')}`;
        const r = locate(a, doc);
        assert.equal(r.status, 'changed');
        assert.equal(at(doc, r), 'Lumen Desk rises silently and folds flat');
        assert.equal(r.heading, undefined);
      });

      it('an edit to its first words loses a paragraph that is only part of its section', () => {
        const a = anchorOn(DOC, PARA);
        const doc = DOC.replace(PARA, PARA.replace('Lumen Desk rises', 'Our desk lifts'));
        assert.deepEqual(locate(a, doc), { status: 'moved-or-deleted' });
      });

      it('a whole section body (a scene) edited anywhere, even its first words: changed, at the current body', () => {
        const a = anchorOn(DOC, 'The lamp follows the light of the room.');
        assert.equal(a.coversSection, true);
        const doc = DOC.replace('The lamp follows the light of the room.', 'A brand new lamp.\n\nIt has two paragraphs now.\n');
        const r = locate(a, doc);
        assert.equal(r.status, 'changed');
        assert.equal(r.match, 'section');
        assert.equal(at(doc, r), 'A brand new lamp.\n\nIt has two paragraphs now.');
      });

      it('a whole section emptied is gone, not an empty range', () => {
        const a = anchorOn(DOC, 'The lamp follows the light of the room.');
        assert.deepEqual(locate(a, DOC.replace('The lamp follows the light of the room.', '')), { status: 'moved-or-deleted' });
      });

      it('a selection across a scene heading, edited inside: found in the section that holds it', () => {
        const sel = 'Another paragraph in the same scene, after the source.\n\n## Scene 2: the lamp\n\nThe lamp follows the light of the room.';
        const a = anchorOn(DOC, sel);
        const edited = sel.replace('after the source', 'after the text');
        const doc = `New line.\n${DOC.replace(sel, edited)}`;
        const r = locate(a, doc);
        assert.equal(r.status, 'changed');
        assert.equal(at(doc, r), edited);
      });

      it('the heading must still anchor it: heading renamed and text edited is moved-or-deleted', () => {
        const a = anchorOn(DOC, PARA);
        const doc = DOC.replace('Scene 1: the desk', 'Scene 1: desk').replace('remembers your height', 'remembers you');
        assert.deepEqual(locate(a, doc), { status: 'moved-or-deleted' });
        const scene = anchorOn(DOC, 'The lamp follows the light of the room.');
        assert.deepEqual(locate(scene, DOC.replace('Scene 2: the lamp', 'Scene 2').replace('follows', 'tracks')), { status: 'moved-or-deleted' });
      });

      it('the heading at another level no longer anchors it', () => {
        const a = anchorOn(DOC, 'The lamp follows the light of the room.');
        const doc = DOC.replace('## Scene 2: the lamp', '### Scene 2: the lamp').replace('follows', 'tracks');
        assert.deepEqual(locate(a, doc), { status: 'moved-or-deleted' });
      });

      it('edits are looked for only inside the section of its heading', () => {
        const a = anchorOn(DOC, PARA);
        // The edited paragraph moved to scene 2: its heading's section no longer has it.
        const edited = PARA.replace('remembers your height', 'remembers you');
        const doc = DOC.replace(`${PARA}\n\n`, '').replace('The lamp follows', `${edited}\n\nThe lamp follows`);
        assert.deepEqual(locate(a, doc), { status: 'moved-or-deleted' });
      });
    });

    describe('text deleted', () => {
      it('the paragraph deleted while its heading stays: moved-or-deleted, never the rest of the section', () => {
        const a = anchorOn(DOC, PARA);
        assert.deepEqual(locate(a, DOC.replace(PARA, '')), { status: 'moved-or-deleted' });
      });

      it('its whole section deleted', () => {
        const a = anchorOn(DOC, PARA);
        const doc = DOC.slice(0, DOC.indexOf('## Scene 1')) + DOC.slice(DOC.indexOf('## Scene 2'));
        assert.deepEqual(locate(a, doc), { status: 'moved-or-deleted' });
      });

      it('the file emptied', () => {
        assert.deepEqual(locate(anchorOn(DOC, PARA), ''), { status: 'moved-or-deleted' });
        assert.deepEqual(locate(anchorOn(DOC, 'The lamp follows the light of the room.'), ''), { status: 'moved-or-deleted' });
      });

      it('half of it deleted', () => {
        const a = anchorOn(DOC, PARA);
        assert.deepEqual(locate(a, DOC.replace('\nlights up at dusk, and folds flat when the day is done.', '')), { status: 'moved-or-deleted' });
      });
    });

    describe('moved text', () => {
      it('moved to another section unchanged: found there, with its new heading', () => {
        const a = anchorOn(DOC, PARA);
        const doc = DOC.replace(`${PARA}\n\n`, '') + `\n${PARA}\n`;
        const r = locate(a, doc);
        assert.equal(r.status, 'unchanged');
        assert.equal(at(doc, r), PARA);
        assert.equal(r.heading?.text, 'Scene 2: the lamp');
      });

      it('of two identical copies, the one where its heading moved to', () => {
        const doc0 = '## A\n\nSame words here.\n\n## B\n\nSame words here.\n';
        const a = anchorOn(doc0, 'Same words here.', 'a.md', 1);
        assert.equal(a.range.start.line, 6);
        // Five lines above B: the old line 6 is now in A; B's copy is at 11.
        const doc = '## A\n\nSame words here.\n\n1\n2\n3\n4\n5\n## B\n\nSame words here.\n';
        const r = locate(a, doc);
        assert.equal(r.range?.start.line, 11);
        assert.equal(r.heading?.text, 'B');
      });

      it('a repeated heading is told apart by its occurrence', () => {
        const doc0 = '## Scene\n\nFirst scene text goes here.\n\n## Scene\n\nSecond scene text goes here today.\n';
        const a = anchorOn(doc0, 'Second scene text goes here today.');
        const doc = doc0.replace('First scene text goes here.', 'First scene\n\ntext, longer now.').replace('goes here today', 'went there today');
        const r = locate(a, doc);
        assert.equal(r.status, 'changed');
        assert.equal(at(doc, r), 'Second scene text went there today.');
      });

      it('a whole-section fallback needs a unique heading: with two equal headings only the edges count', () => {
        const doc0 = '## Scene\n\nFirst.\n\n## Scene\n\nSecond scene text.\n';
        const a = anchorOn(doc0, 'Second scene text.');
        assert.equal(a.coversSection, true);
        // The first scene was deleted and the second one rewritten: occurrence 1 is gone.
        assert.deepEqual(locate(a, '## Scene\n\nRewritten.\n'), { status: 'moved-or-deleted' });
        // Both still there, the second rewritten from its first word: ambiguous, so not "the section".
        assert.deepEqual(locate(a, '## Scene\n\nFirst.\n\n## Scene\n\nTotally new words.\n'), { status: 'moved-or-deleted' });
        // A unique heading does anchor a rewritten body.
        const b = anchorOn('## Only\n\nOld body text.\n', 'Old body text.');
        assert.equal(locate(b, '## Only\n\nNew body.\n').match, 'section');
      });
    });

    describe('file renamed', () => {
      it('rebase gives the anchor its new path; locating is the same', () => {
        const a = anchorOn(DOC, PARA);
        const b = rebase(a, 'docs/renamed.md');
        assert.equal(b.file, 'docs/renamed.md');
        assert.equal(a.file, 'docs/launch.md', 'the original is not changed');
        assert.deepEqual({ ...b, file: a.file }, a);
        assert.deepEqual(locate(b, DOC), locate(a, DOC));
        b.range.start.line = 0;
        assert.equal(a.range.start.line, 6, 'no shared range');
      });

      it('rebaseForRename handles the file itself, a folder above it, URI strings, and leaves others alone', () => {
        const a = anchorOn(DOC, PARA, 'docs/launch.md');
        assert.equal(rebaseForRename(a, 'docs/launch.md', 'docs/old/launch.md')?.file, 'docs/old/launch.md');
        assert.equal(rebaseForRename(a, 'docs', 'notes')?.file, 'notes/launch.md');
        assert.equal(rebaseForRename(a, 'docs/', 'notes/')?.file, 'notes/launch.md');
        assert.equal(rebaseForRename(a, 'doc', 'x'), undefined, 'a prefix that is not a folder');
        assert.equal(rebaseForRename(a, 'other.md', 'x.md'), undefined);
        const u = anchorOn(DOC, PARA, 'file:///w/docs/launch.md');
        assert.equal(rebaseForRename(u, 'file:///w/docs', 'file:///w/archive')?.file, 'file:///w/archive/launch.md');
      });
    });

    it('accepts a prepared index (one per document version) and gives the same answers', () => {
      const a = anchorOn(DOC, PARA);
      const doc = `x\n${DOC.replace('remembers your height', 'remembers you')}`;
      assert.deepEqual(locate(a, indexText(doc)), locate(a, doc));
    });

    it('an anchor whose text is blank (a hand-edited record) is moved-or-deleted', () => {
      const a = { ...anchorOn(DOC, PARA), text: '  \n' };
      assert.deepEqual(locate(a, DOC), { status: 'moved-or-deleted' });
    });

    it('a range that is no longer inside the file is not used', () => {
      const a = anchorOn(DOC, 'The lamp follows the light of the room.');
      const doc = 'The lamp follows the light of the room.';
      const r = locate(a, doc);
      assert.equal(r.match, 'moved');
      assert.deepEqual(r.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 39 } });
    });
  });

  describe('never points at wrong lines (random documents and edits)', () => {
    // Deterministic PRNG so a failure can be replayed.
    function prng(seed: number) {
      let s = seed >>> 0;
      return () => {
        s = (s + 0x6d2b79f5) >>> 0;
        let t = s;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
    }

    const SEEDS = Number(process.env.ANCHOR_SEEDS ?? 500);

    it('500 cases: unchanged ranges hold the original words; changed ranges start and end with its edge words inside its section; deleted text is never found', () => {
      let counter = 0;
      const word = () => `w${(counter++).toString(36)}`;
      for (let seed = 1; seed <= SEEDS; seed++) {
        const rnd = prng(seed);
        const pick = (n: number) => Math.floor(rnd() * n);
        // A document of sections of paragraphs of unique words (plus a few shared ones).
        const common = ['the', 'a', 'and', 'of'];
        const para = () => [word(), ...Array.from({ length: 3 + pick(20) }, () => (rnd() < 0.2 ? common[pick(4)] : word()))].join(rnd() < 0.3 ? '\n' : ' ');
        const sections = Array.from({ length: 1 + pick(5) }, (_, i) => ({ title: `Section ${i}`, paras: Array.from({ length: 1 + pick(4) }, para) }));
        const render = () => sections.map((s) => `## ${s.title}\n\n${s.paras.join('\n\n')}\n`).join('\n');
        const doc0 = render();
        const si = pick(sections.length);
        const pi = pick(sections[si].paras.length);
        const original = sections[si].paras[pi];
        // Half of the anchors include the line breaks around the paragraph, as a sloppy selection would.
        const a = anchorOn(doc0, rnd() < 0.5 ? `\n${original}\n` : original);

        const op = pick(6);
        let deleted = false;
        // An anchor of a whole section (a scene) changes when a paragraph is added to that section.
        let grewWholeSection = false;
        if (op === 0) {
          const into = pick(sections.length);
          grewWholeSection = into === si && a.coversSection === true;
          sections[into].paras.unshift(para()); // insert somewhere
        }
        else if (op === 1) sections.splice(si, 0, { title: `Inserted ${seed}`, paras: [para()] }); // section above
        else if (op === 2) {
          sections[si].paras.splice(pi, 1); // delete the source
          deleted = true;
        } else if (op === 3) {
          const words = original.split(/\s+/);
          words.splice(Math.floor(words.length / 2), 1, word(), word()); // edit inside
          sections[si].paras[pi] = words.join(' ');
        } else if (op === 4) sections[si].paras[pi] = original.replace(/ /g, '\n  '); // whitespace only
        else sections.splice(si, 1); // delete the section
        if (op === 5) deleted = true;
        const doc = render();
        const r = locate(a, doc);
        const ctx = `seed ${seed} op ${op}`;
        if (grewWholeSection) {
          assert.equal(r.status, 'changed', ctx);
          assert.equal(normalizeText(at(doc, r) ?? ''), normalizeText(sections[si].paras.join('\n\n')), `${ctx}: the whole scene`);
          assert.equal(r.heading?.text, sections[si].title, ctx);
          continue;
        }
        if (op === 0 || op === 1 || op === 4) assert.equal(r.status, 'unchanged', ctx);
        if (op === 3) assert.equal(r.status, 'changed', ctx);
        if (r.status === 'unchanged') {
          assert.equal(normalizeText(at(doc, r) ?? ''), normalizeText(original), ctx);
          assert.ok(!deleted, `${ctx}: deleted text found`);
        } else if (r.status === 'changed') {
          assert.ok(!deleted, `${ctx}: deleted text reported as changed`);
          const got = normalizeText(at(doc, r) ?? '').split(' ');
          const want = normalizeText(original).split(' ');
          assert.equal(got[0], want[0], ctx);
          assert.equal(got[got.length - 1], want[want.length - 1], ctx);
          assert.equal(r.heading?.text, sections[si].title, ctx);
        } else {
          assert.equal(r.range, undefined, ctx);
          assert.ok(deleted, `${ctx}: lost a text that is still there`);
        }
      }
    });
  });

  // What these cost is measured by `npm run bench` (P11, P12), never by a timed assertion here.
  describe('at scale', () => {
    it('a short text of the most common words, in a file full of them, is found (candidates are capped)', () => {
      const doc0 = Array.from({ length: 2_000 }, () => 'the desk and the lamp and the desk and the lamp').join('\n');
      const doc = `${doc0}\nthe desk and the chair and the lamp\n`;
      const a = createAnchor({ file: 'a.txt', document: doc, range: { start: { line: 2_000, character: 0 }, end: { line: 2_000, character: 35 } } });
      const edited = doc.replace('the desk and the chair and the lamp', 'the desk and a chair and the lamp');
      const r = locate(a, edited);
      assert.equal(r.status, 'changed');
      assert.equal(at(edited, r), 'the desk and a chair and the lamp');
    });

    it('200 anchors in a 2,000-line file, located after an edit above all of them, against one index', () => {
      const lines: string[] = [];
      for (let s = 0; s < 200; s++) {
        lines.push(`## Scene ${s}`, '');
        for (let p = 0; p < 4; p++) lines.push(`Scene ${s} paragraph ${p} tells the story of the desk in the room number ${s * 10 + p}.`);
        lines.push('', '');
        lines.push('Closing line of this scene.', '');
      }
      const doc0 = lines.join('\n');
      assert.ok(indexText(doc0).lineCount >= 2_000);
      const anchors = Array.from({ length: 200 }, (_, s) => anchorOn(doc0, `Scene ${s} paragraph 1 tells`));
      const edited = `# Title\n\nA new intro.\n\n${doc0.replace(/paragraph 2 tells/g, 'paragraph 2 says')}`;
      const index = indexText(edited);
      const results = anchors.map((a) => locate(a, index));
      assert.ok(results.every((r) => r.status === 'unchanged' && r.match === 'moved'));

      // Every anchor changed inside (edges inside its section), the same bound.
      const all = anchors.map((_, s) => anchorOn(doc0, `Scene ${s} paragraph 0 tells the story of the desk in the room number ${s * 10}.\nScene ${s} paragraph 1`));
      const rewritten = doc0.replace(/paragraph 0 tells the story/g, 'paragraph 0 tells another story');
      const index2 = indexText(rewritten);
      const results2 = all.map((a) => locate(a, index2));
      assert.ok(results2.every((r) => r.status === 'changed'), JSON.stringify(results2.find((r) => r.status !== 'changed')));
    });
  });
});
