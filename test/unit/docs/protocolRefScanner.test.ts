// The reference scanner behind protocolRefs.test.ts, on fake input: heading
// parsing, the reference forms it accepts, references to other documents it must
// leave alone, and a whole fake project tree with a bogus §99.9 that must be
// reported (so the real check is known to be able to fail).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findSectionRefs, outsidePathRefs, parseProtocol, scanProject, unresolvedRefs } from './support/protocolRefs';

const DOC = [
  '# Title',
  '## §3 Endpoints',
  '### §3.8 Start a render',
  '### §3.10 Fallback download',
  '```text',
  '# not a heading inside a fence',
  '```',
  '## §4 Stream',
  '### §4.5 Partial text',
  '### §4.10 Recovery',
  '## §7 Render lifecycle',
  '1. Check first.',
  '2. Submit.',
  '## §14 Disagreements',
  '| # | Topic |',
  '|---|---|',
  '| 1 | Size |',
  '| 18 | Tabs |',
  '## §16 Unknowns',
  '| U5 | Cadence |',
  '| U9 | Keys |',
  '## Not numbered',
  '| U7 | outside any section |',
].join('\n');

describe('protocol reference scanner', () => {
  const { sections, duplicates } = parseProtocol(DOC);

  it('indexes `§` headings of any level, ignoring fenced code and unnumbered headings', () => {
    assert.deepEqual([...sections.keys()], ['3', '3.8', '3.10', '4', '4.5', '4.10', '7', '14', '16']);
    assert.deepEqual(duplicates, []);
    assert.ok(sections.get('16')?.includes('| U5 | Cadence |'));
    assert.ok(!sections.get('16')?.includes('| U7 | outside any section |'), 'a section ends at the next heading');
  });

  it('reports a section numbered twice', () => {
    assert.deepEqual(parseProtocol('## §1 A\n### §1 B\n').duplicates, ['1']);
  });

  it('finds legacy, new and bare spellings, ranges and sub-items', () => {
    const text = [
      '// nemo-api.md §3.8 and docs/protocol.md §3.10',
      '// bare (§7) and a range §4.5–4.10, also §4.5-§4.10',
      '// §16 U5 cadence; §16 U9/U5; §14 item 18; §7 step 2',
    ].join('\n');
    const refs = findSectionRefs(text, 'a.ts');
    assert.deepEqual(
      refs.map((r) => [r.line, r.sections, r.subItems]),
      [
        [1, ['3.8'], []],
        [1, ['3.10'], []],
        [2, ['7'], []],
        [2, ['4.5', '4.10'], []],
        [2, ['4.5', '4.10'], []],
        [3, ['16'], ['U5']],
        [3, ['16'], ['U9', 'U5']],
        [3, ['14'], ['item 18']],
        [3, ['7'], ['step 2']],
      ],
    );
    assert.deepEqual(unresolvedRefs(refs, sections), []);
  });

  it('leaves references to other documents alone', () => {
    const text = 'RFC 9110 §10.2.3; anchors §3.4; contracts.md §2; `design.md` §5; sim/README.md §9';
    assert.deepEqual(findSectionRefs(text, 'b.ts'), []);
  });

  it('lists every missing section, row and list item with file and line', () => {
    const text = 'ok §3.8\nmissing §99.9 and §4.5–4.11\n§16 U20, §14 item 2, §7 step 3\n';
    assert.deepEqual(unresolvedRefs(findSectionRefs(text, 'src/x.ts'), sections), [
      'src/x.ts:2 "§99.9": no heading for §99.9',
      'src/x.ts:2 "§4.5–4.11": no heading for §4.11',
      'src/x.ts:3 "§16 U20": §16 has no U20',
      'src/x.ts:3 "§14 item 2": §14 has no item 2',
      'src/x.ts:3 "§7 step 3": §7 has no step 3',
    ]);
  });

  it('finds mentions of the old location outside the repository', () => {
    const text = 'see nemo-api.md §4\nIt follows `../shared/nemo-api.md`\n/work/shared/seeds\ndocs/protocol.md §4 is fine';
    assert.deepEqual(outsidePathRefs(text, 'c.md'), [
      'c.md:1 "nemo-api.md"',
      'c.md:2 "../shared"',
      'c.md:2 "nemo-api.md"',
      'c.md:3 "/work/shared"',
    ]);
  });

  describe('on a fake project tree', () => {
    let root: string;

    before(() => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'protocol-refs-'));
      const put = (rel: string, content: string | Buffer): void => {
        fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
        fs.writeFileSync(path.join(root, rel), content);
      };
      put('src/good.ts', '// nemo-api.md §3.8, then §16 U5\n');
      put('src/bogus.ts', '// fine §4\n// a scratch reference: §99.9\n');
      put('sim/README.md', 'It follows `../shared/nemo-api.md`.\n');
      put('test/fixtures/frame.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xc2, 0xa7, 0x39, 0x39]));
      put('test/fixtures/blob.bin', Buffer.concat([Buffer.from('§98 '), Buffer.from([0, 1, 2])]));
      put('test/node_modules/dep/index.js', '// §97\n');
      put('bench/dist/out.js', '// §96\n');
      put('scripts/exempt.mjs', '// nemo-api.md §95\n');
      put('README.md', 'The fault matrix of nemo-api.md §4.10.\n');
    });

    after(() => fs.rmSync(root, { recursive: true, force: true }));

    it('fails on the bogus §99.9 and the outside paths, and on nothing else', () => {
      const result = scanProject(root, ['src', 'sim', 'test', 'scripts', 'bench', 'webview', 'README.md'], DOC, (f) => f === 'scripts/exempt.mjs');
      assert.deepEqual(result.files, ['README.md', 'sim/README.md', 'src/bogus.ts', 'src/good.ts']);
      assert.equal(result.refs.length, 5);
      assert.deepEqual(result.unresolved, ['src/bogus.ts:2 "§99.9": no heading for §99.9']);
      assert.deepEqual(result.outside, ['README.md:1 "nemo-api.md"', 'sim/README.md:1 "../shared"', 'sim/README.md:1 "nemo-api.md"', 'src/good.ts:1 "nemo-api.md"']);
    });

    it('passes once the bogus reference and the old names are gone', () => {
      fs.writeFileSync(path.join(root, 'src/bogus.ts'), '// fine §4\n');
      fs.writeFileSync(path.join(root, 'src/good.ts'), '// docs/protocol.md §3.8, then §16 U5\n');
      fs.writeFileSync(path.join(root, 'sim/README.md'), 'It follows `docs/protocol.md`.\n');
      fs.writeFileSync(path.join(root, 'README.md'), 'The fault matrix of docs/protocol.md §4.10.\n');
      const result = scanProject(root, ['src', 'sim', 'test', 'scripts', 'bench', 'webview', 'README.md'], DOC, (f) => f === 'scripts/exempt.mjs');
      assert.deepEqual(result.unresolved, []);
      assert.deepEqual(result.outside, []);
    });
  });
});
