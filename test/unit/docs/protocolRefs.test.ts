// The project's own protocol document is the one its comments cite: every `§`
// reference in the code, tests, simulator, scripts and top-level docs resolves to a
// heading of docs/protocol.md (and `§16 U5`, `§14 item 18`, `§4.8 rule 8`,
// `§7 step 6` to a row or list item in that section), and nothing points at the
// protocol's old home outside the repository.
//
// Accepted spellings: `docs/protocol.md §4.9`, a bare `§4.9`, and for now the legacy
// `nemo-api.md §4.9`. The second test stays red until the legacy wording is gone:
// run `node scripts/rewrite-protocol-refs.mjs` to rewrite it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseProtocol, scanProject } from './support/protocolRefs';

const ROOT = path.resolve(__dirname, '../../..');

/** The code folders plus the top-level documents that cite the protocol. */
const SCANNED = ['src', 'sim', 'webview', 'test', 'scripts', 'bench', 'README.md', 'CHANGELOG.md'];

/** Files that hold broken or legacy references on purpose: this folder's fixtures and the rewrite script. */
const exempt = (rel: string): boolean => rel.startsWith('test/unit/docs/') || rel === 'scripts/rewrite-protocol-refs.mjs';

const protocolText = fs.readFileSync(path.join(ROOT, 'docs/protocol.md'), 'utf8');

describe('docs/protocol.md references', () => {
  const result = scanProject(ROOT, SCANNED, protocolText, exempt);

  it('numbers each section of docs/protocol.md once', () => {
    const { sections, duplicates } = parseProtocol(protocolText);
    assert.deepEqual(duplicates, []);
    assert.ok(sections.has('0') && sections.has('16'), 'the numbering runs from §0 to §16');
  });

  it('resolves every § reference to a heading, row or list item of docs/protocol.md', () => {
    assert.ok(result.refs.length > 50, `only ${result.refs.length} references in ${result.files.length} files: is the scan looking in the right place?`);
    if (result.unresolved.length > 0) {
      assert.fail(`${result.unresolved.length} of ${result.refs.length} references do not resolve:\n${result.unresolved.join('\n')}`);
    }
  });

  it('has no reference to a path outside the repository (../shared, /work/shared, nemo-api.md)', () => {
    if (result.outside.length > 0) {
      assert.fail(
        `${result.outside.length} mentions of the protocol's old location; run \`node scripts/rewrite-protocol-refs.mjs\`` +
          ` (and fix by hand what it does not cover):\n${result.outside.join('\n')}`,
      );
    }
  });
});
