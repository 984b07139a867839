// The shared one-pass index of a document: positions as VS Code counts them (all
// three line breaks), ATX headings outside front matter, code fences and HTML blocks,
// and the whitespace-normalised copy with its map back to original offsets.
import * as assert from 'node:assert/strict';
import { headingAbove, indexText, normalizeText, sectionEndLine, textInRange } from '../../../src/core/projects/textIndex';

const headings = (text: string) => indexText(text).headings().map((h) => [h.line, h.level, h.text, h.occurrence]);

describe('projects/textIndex', () => {
  describe('positions', () => {
    it('counts \\n, \\r\\n and lone \\r as line breaks, and keeps them out of the line', () => {
      const ix = indexText('ab\ncd\r\nef\rgh');
      assert.deepEqual(ix.lineStarts, [0, 3, 7, 10]);
      assert.equal(ix.lineCount, 4);
      assert.deepEqual([0, 1, 2, 3].map((l) => ix.lineEnd(l)), [2, 5, 9, 12]);
      assert.deepEqual(ix.positionAt(8), { line: 2, character: 1 });
      assert.deepEqual(ix.positionAt(6), { line: 1, character: 2 }, 'an offset inside a \\r\\n is the end of its line');
      assert.equal(ix.offsetAt({ line: 1, character: 2 }), 5);
      assert.deepEqual(ix.positionAt(99), { line: 3, character: 2 });
      assert.deepEqual(ix.positionAt(-5), { line: 0, character: 0 });
    });

    it('refuses positions that are not in the text (never clamps them)', () => {
      const ix = indexText('ab\ncd');
      assert.equal(ix.offsetAt({ line: 2, character: 0 }), undefined);
      assert.equal(ix.offsetAt({ line: 0, character: 3 }), undefined);
      assert.equal(ix.offsetAt({ line: -1, character: 0 }), undefined);
      assert.equal(ix.offsetAt({ line: 0.5, character: 0 }), undefined);
      assert.equal(textInRange(ix, { start: { line: 1, character: 1 }, end: { line: 0, character: 0 } }), undefined, 'reversed');
      assert.equal(textInRange(ix, { start: { line: 0, character: 1 }, end: { line: 1, character: 1 } }), 'b\nc');
      assert.equal(textInRange('', { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }), '');
    });
  });

  describe('headings', () => {
    it('reads ATX headings with their level, text (closing #s removed) and occurrence', () => {
      const text = ['# Title', '## Scene ##', '##   Spaced    out  ', '## Scene', '###### Six', '####### seven is not', '##NoSpace', '    ## indented code', '   ## three spaces', '##', '## #', '## C# #'].join('\n');
      assert.deepEqual(headings(text), [
        [0, 1, 'Title', 0],
        [1, 2, 'Scene', 0],
        [2, 2, 'Spaced out', 0],
        [3, 2, 'Scene', 1],
        [4, 6, 'Six', 0],
        [8, 2, 'three spaces', 0],
        [9, 2, '', 0],
        [10, 2, '', 1],
        [11, 2, 'C#', 0],
      ]);
    });

    it('skips YAML and TOML front matter, but only at the very top and only when closed', () => {
      assert.deepEqual(headings('---\ntitle: x\n## not a heading\n---\n## Real'), [[4, 2, 'Real', 0]]);
      assert.deepEqual(headings('---\n## in yaml\n...\n## Real'), [[3, 2, 'Real', 0]]);
      assert.deepEqual(headings('+++\n## in toml\n+++\n## Real'), [[3, 2, 'Real', 0]]);
      assert.deepEqual(headings('\n---\n## after a blank line\n---'), [[2, 2, 'after a blank line', 0]]);
      assert.deepEqual(headings('---\n## never closed'), [[1, 2, 'never closed', 0]]);
    });

    it('skips fenced code (``` and ~~~, longer closing fences, unclosed fences run to the end)', () => {
      assert.deepEqual(headings('```md\n## no\n```\n## yes'), [[3, 2, 'yes', 0]]);
      assert.deepEqual(headings('~~~~\n## no\n~~~\n## still code\n~~~~~\n## yes'), [[5, 2, 'yes', 0]]);
      assert.deepEqual(headings('````\n```\n## no\n````\n## yes'), [[4, 2, 'yes', 0]]);
      assert.deepEqual(headings('## before\n```\n## no\n## no either'), [[0, 2, 'before', 0]]);
      assert.deepEqual(headings('``` a`b\n## inline code is no fence'), [[1, 2, 'inline code is no fence', 0]]);
    });

    it('skips HTML comment, pre, script and style blocks', () => {
      assert.deepEqual(headings('<!--\n## hidden\n-->\n## shown'), [[3, 2, 'shown', 0]]);
      assert.deepEqual(headings('<!-- one line -->\n## shown'), [[1, 2, 'shown', 0]]);
      assert.deepEqual(headings('<pre>\n## raw\n</pre>\n## shown'), [[3, 2, 'shown', 0]]);
      assert.deepEqual(headings('<script>\n## x\n</script>\n<style>\n## y\n</style>\n## shown'), [[6, 2, 'shown', 0]]);
    });

    it('finds the heading above a line and where a section ends (next heading of the same or a higher level)', () => {
      const ix = indexText('intro\n# A\n## B\ntext\n### C\nmore\n## D\n# E\n');
      assert.equal(headingAbove(ix, 0), undefined);
      assert.equal(headingAbove(ix, 1), undefined, 'the heading on the line itself is not above it');
      assert.equal(headingAbove(ix, 3)?.text, 'B');
      assert.equal(headingAbove(ix, 5)?.text, 'C');
      const [a, b, c, d, e] = ix.headings();
      assert.equal(sectionEndLine(ix, a), 7);
      assert.equal(sectionEndLine(ix, b), 6);
      assert.equal(sectionEndLine(ix, c), 6);
      assert.equal(sectionEndLine(ix, d), 7);
      assert.equal(sectionEndLine(ix, e), ix.lineCount);
    });
  });

  describe('normalised text', () => {
    it('keeps the words, joined by single spaces, and maps every character back', () => {
      const text = '  Hello,\r\n\tbig   world \u00a0!\n';
      const ix = indexText(text);
      const n = ix.normalized();
      assert.equal(n.text, 'Hello, big world !');
      assert.equal(n.text, normalizeText(text));
      assert.equal(n.map.length, n.text.length);
      for (let i = 0; i < n.text.length; i++) {
        if (n.text[i] === ' ') assert.match(text[n.map[i]], /\s/);
        else assert.equal(text[n.map[i]], n.text[i]);
      }
      assert.equal(indexText('').normalized().text, '');
      assert.equal(indexText(' \n\t ').normalized().text, '');
    });

    it('builds each part once per index', () => {
      const ix = indexText('# A\nb');
      assert.equal(ix.headings(), ix.headings());
      assert.equal(ix.normalized(), ix.normalized());
    });
  });
});
