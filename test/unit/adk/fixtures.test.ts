// Every ADK fixture (test/fixtures/adk, facts in docs/adk-wire.md) through the real
// client path: SSE parser → classifier → run. What the user is shown must match the
// fixture's `expect`: each text exactly once and in order, each tool progress line
// exactly once, the questions, and a clean or failed ending with the right reason.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RAW_VIDEO_READY_LABEL } from '../../../src/core/conversation/run';
import { cleanDisplayText } from '../../../src/core/conversation/displayText';
import { translateGuiPhrases } from '../../../src/core/routing/guiTranslate';
import { EMPTY_STATE, FULL_STATE } from '../conversation/support/fakeApi';
import { assertRunInvariants, RunHarness } from '../conversation/support/harness';

const FIXTURES = path.resolve(__dirname, '../../fixtures/adk');

interface Expect {
  texts: string[];
  tools: string[];
  questions: unknown[];
  end: { ok: boolean; kind?: 'finishReason' | 'streamError' | 'serverErrorEvent'; code?: string; message?: string | null };
  pendingTools: Array<{ name: string; id: string; state?: string }>;
}
interface Fixture {
  file: string;
  adkVersion: string;
  sourceFiles: string[];
  expect: Expect;
}

const index = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'index.json'), 'utf8')) as { fixtures: Fixture[] };

/** What the run shows for an agent text: display-cleaned, GUI phrases translated, empty ones dropped. */
function shown(text: string): string | undefined {
  const t = translateGuiPhrases(cleanDisplayText(text)).text;
  return t.trim() === '' ? undefined : t;
}

describe('ADK fixtures: what the user sees for each real wire shape', () => {
  afterEach(assertRunInvariants);

  it(`covers at least 30 fixtures across 0.x, 1.0-1.21 and 1.22+`, () => {
    assert.ok(index.fixtures.length >= 30);
    for (const range of ['0.x/', '1.0-1.21/', '1.22+/']) assert.ok(index.fixtures.some((f) => f.file.startsWith(range)), range);
  });

  for (const fixture of index.fixtures) {
    it(`${fixture.file} (ADK ${fixture.adkVersion}; ${fixture.sourceFiles[0] ?? ''})`, async () => {
      const body = fs.readFileSync(path.join(FIXTURES, fixture.file), 'utf8');
      // The project exists after the run, so a pending long-running tool resolves at once.
      const h = await new RunHarness({ states: [EMPTY_STATE, FULL_STATE, FULL_STATE, FULL_STATE] }).start();
      await h.write(body);
      const outcome = await h.close();
      const e = fixture.expect;

      assert.deepEqual(
        h.ofType('text').map((t) => t.text),
        e.texts.map(shown).filter((t): t is string => t !== undefined),
        'texts, each once and in order',
      );
      assert.deepEqual(
        h.ofType('progress').filter((p) => p.label !== RAW_VIDEO_READY_LABEL).map((p) => p.tool),
        e.tools,
        'tool progress lines, each once',
      );
      for (const p of h.ofType('progress')) assert.doesNotMatch(p.label, /\b(adk_[a-z_]+|transfer_to_agent)\b/, 'an ADK framework call shown by its raw name');
      assert.equal(h.ofType('question').length, e.questions.length, 'questions');

      if (e.end.ok) {
        assert.equal(outcome.status, 'done', `expected a clean end, got ${outcome.error?.kind}: ${outcome.error?.message}`);
      } else {
        assert.equal(outcome.status, 'error', 'expected the run to report an error');
        const error = outcome.error!;
        if (e.end.kind === 'finishReason') {
          assert.equal(error.kind, 'agentError');
          assert.ok(error.detail?.includes(e.end.code!), `the finish reason ${e.end.code} is not in the detail: ${error.detail}`);
          assert.doesNotMatch(error.message, /MAX_TOKENS|SAFETY|RECITATION|MALFORMED|PROHIBITED|MODEL_ARMOR|\bOTHER\b/, 'a raw finish reason shown to the user');
        } else {
          assert.equal(error.kind, 'streamError');
        }
      }
    });
  }
});
