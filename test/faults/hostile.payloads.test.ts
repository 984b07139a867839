// Hostile inputs: replies that are broken or malicious in shape. A state whose
// tracks are a string, JSON nested 100,000 levels deep, events of unknown
// shapes, and 5 MB SSE lines go through the real client from a tiny scripted
// backend: the run never throws, ends with exactly one ending, and shows only
// what a real answer said (no raw JSON, no junk).
import * as assert from 'node:assert/strict';
import type { RunOutcome } from '../../src/core/conversation/run';
import type { RunEvent } from '../../src/core/conversation/runEvents';
import { isNemoError } from '../../src/core/errors';
import { runRenderJob } from '../../src/core/jobs/renderJob';
import { hostileIt } from './support/ledger';
import { openSse, sendJson, startTinyServer, stateReply, type TinyServer } from './support/tinyServer';
import { assertPlainMessage, assertShown, rejectionOf } from './support/userView';
import { type Host, World } from './support/world';

const SESSION = '5529798706024415232';
const TOKEN = 'nmv_usr_tiny_backend_token_0123456789abcdef';
const MB = 1024 * 1024;

interface Backend {
  /** `data.state` the state endpoint answers (or a whole raw body when `raw` is set). */
  state?: unknown;
  rawState?: string;
  /** Raw SSE text written before the stream closes. */
  stream: string[];
}

/** Runs one message against a scripted backend; returns what the user would have seen. */
async function runAgainst(backend: Backend, use?: (h: Host, tiny: TinyServer) => Promise<void>): Promise<{ outcome: RunOutcome; events: RunEvent[]; tiny: TinyServer }> {
  const w = await World.start();
  const tiny = await startTinyServer();
  try {
    tiny.on('GET /api/state/', (_q, res) => (backend.rawState !== undefined ? sendJson(res, 200, backend.rawState) : sendJson(res, 200, stateReply(backend.state ?? {}))));
    tiny.on('POST /run_sse', (_q, res) => {
      const sse = openSse(res);
      for (const chunk of backend.stream) sse.raw(chunk);
      sse.end();
    });
    const h = w.newHost({ apiBaseUrl: tiny.url, userToken: TOKEN });
    const run = h.startRun(SESSION, 'Add a title that says Hello');
    const outcome = await run.outcome;
    await use?.(h, tiny);
    return { outcome, events: run.events, tiny };
  } finally {
    await tiny.close();
    await w.dispose();
  }
}

const data = (payload: string) => `data: ${payload}\n\n`;
const text = (t: string) => data(JSON.stringify({ content: { parts: [{ text: t }], role: 'model' }, author: 'nemo_agent' }));
const toolCall = (name: string) => data(JSON.stringify({ content: { parts: [{ functionCall: { name, args: { text: 'Hello' } } }], role: 'model' } }));

/** Exactly one ending, last; nothing shown that looks like raw JSON or a programming artefact. */
function assertCleanRun(events: RunEvent[]): void {
  const endings = events.filter((e) => e.type === 'done' || e.type === 'error' || e.type === 'cancelled');
  assert.equal(endings.length, 1, events.map((e) => e.type).join(', '));
  assert.equal(events.at(-1), endings[0]);
  for (const e of events) {
    if (e.type === 'text' || e.type === 'textDelta') assert.doesNotMatch(e.text, /^\s*[[{]|\{"|\[object|undefined/, `shown text: ${e.text.slice(0, 80)}`);
    if (e.type === 'progress') assertPlainMessage(e.label);
    if (e.type === 'done' && e.summary !== undefined) assertPlainMessage(e.summary);
    if (e.type === 'error') assertPlainMessage(e.error.message);
  }
}

function shownTexts(events: RunEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'text' ? [e.text] : []));
}

function deepObject(levels: number): string {
  return `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
}

describe('hostile inputs: broken and malicious replies', () => {
  hostileIt('schema-violating state (tracks as a string): no crash, no timeline, export says "generate first"', async () => {
    const broken = { draft: { t: 'tracks', d: 'ten seconds', m: 'meta' }, video_infos: 'nope', generated_media: { a: 1 } };
    const { outcome, events } = await runAgainst({ state: broken, stream: [toolCall('edit_multitrack')] }, async (h, tiny) => {
      const e = assertShown(
        await rejectionOf(h.drive(runRenderJob(h.renderOptions({ sessionId: SESSION })))),
        { kind: 'noDraft', action: 'generateFirst', says: /^There is no video to export yet\. Generate one first\.$/ },
      );
      assert.ok(isNemoError(e));
      assert.equal(tiny.requests.filter((r) => r.path === '/api/render/proxy/lambda').length, 0, 'nothing submitted');
    });
    assertCleanRun(events);
    assert.equal(outcome.status, 'done');
    assert.deepEqual(outcome.timeline?.tracks, []);
    assert.equal(outcome.videoReady, false);
    assert.equal((events.at(-1) as Extract<RunEvent, { type: 'done' }>).silent, true);
  });

  for (const [label, rawState] of [
    ['a string', JSON.stringify({ code: 0, data: { state: 'garbage' } })],
    ['an array', JSON.stringify({ code: 0, data: { state: [1, 2, 3] } })],
    ['not JSON at all', '<html>oops</html>'],
    ['a code that is an object', JSON.stringify({ code: { nested: true }, data: {} })],
  ] as const) {
    hostileIt(`state reply that is ${label}: the run still ends with a plain summary`, async () => {
      const { outcome, events } = await runAgainst({ rawState, stream: [toolCall('edit_multitrack')] });
      assertCleanRun(events);
      assert.equal(outcome.status, 'done');
      const done = events.at(-1) as Extract<RunEvent, { type: 'done' }>;
      assert.match(done.summary ?? '', /could not load the project/);
    });
  }

  hostileIt('JSON nested 100,000 levels deep, in the stream and in the state', async () => {
    const deep = deepObject(100_000);
    const deepState = `{"code":0,"data":{"state":{"draft":{"t":[{"tt":0,"sg":[{"s":0,"d":1000,"m":{"name":"clip","x":${deep}}}]}],"m":${deep}},"video_infos":[${deep}]}}}`;
    const { outcome, events } = await runAgainst(
      {
        rawState: deepState,
        stream: [
          text('Step one.'),
          data(`{"content":{"parts":[{"text":"Step two."}]},"customMetadata":${deep}}`),
          data(`${'['.repeat(100_000)}${']'.repeat(100_000)}`),
          data(deep),
          data(`{"error":${deep}}`),
        ],
      },
      async (h) => {
        // Rendering a draft that cannot even be serialised: a plain failure, not a stack overflow.
        const e = await rejectionOf(h.drive(runRenderJob(h.renderOptions({ sessionId: SESSION }))));
        assert.ok(isNemoError(e), `a NemoError, not ${e instanceof Error ? e.name : typeof e}`);
        assertPlainMessage(e.message);
      },
    );
    assertCleanRun(events);
    assert.deepEqual(shownTexts(events), ['Step one.', 'Step two.']);
    // The last payload is an error line whose message is an object: the run ends in a plain error.
    assert.equal(outcome.status, 'error');
    assertPlainMessage(outcome.error!.message);
  });

  hostileIt('unknown event shapes are ignored; only the real answer is shown', async () => {
    const weird = [
      '{"foo":1}',
      '[1,2,3]',
      '"just a string"',
      '42',
      'null',
      'true',
      '{"content":"not an object"}',
      '{"content":{"parts":"not an array"}}',
      '{"content":{"parts":[null,1,"x",{"unknownPart":{}}]}}',
      '{"type":"tool_call"}',
      '{"type":"text"}',
      '{"type":"mystery","content":"x"}',
      '{"actions":{"stateDelta":"x"}}',
      '{"errorCode":null,"errorMessage":""}',
      '{"content":{"parts":[{"functionCall":{"name":""}}]}}',
      '{"content":{"parts":[{"functionCall":{"name":{"evil":true}}}]}}',
      '{"content":{"parts":[{"text":"private reasoning","thought":true}]}}',
      '{"content":{"parts":[{"functionResponse":{"name":123}}]}}',
      '{"content":{"parts":[{"text":""}]}}',
      '{"content":{"parts":[{"inlineData":{"mimeType":"video/mp4","data":"AAAA"}}]}}',
      '{"__proto__":{"polluted":"yes"}}',
      '{"constructor":{"prototype":{"polluted":"yes"}}}',
    ];
    const stream = [
      ...weird.map(data),
      'event: weird\ndata: {"x":1}\n\n',
      'retry: soon\n\n',
      'id: 7\ndata: {"y":2}\n\n',
      ': a comment\n\n',
      'data: {"content":{"parts":[{"te\r\ndata: xt":"split"}]}}\r\n\r\n',
      text('All done.'),
    ];
    const { outcome, events } = await runAgainst({ state: { draft: {} }, stream });
    assertCleanRun(events);
    assert.equal(outcome.status, 'done');
    assert.deepEqual(shownTexts(events), ['All done.']);
    assert.deepEqual(events.filter((e) => e.type === 'progress'), [], 'no progress line from a nameless tool call');
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution');
  });

  hostileIt('5 MB SSE lines (junk, unknown JSON, a huge ignored part) do not show up or break the run', async () => {
    const big = 'A'.repeat(5 * MB);
    const stream = [
      data(big),
      data(`{"unknown":"${big}"}`),
      data(`{"content":{"parts":[{"inlineData":{"mimeType":"video/mp4","data":"${big}"}}]}}`),
      text('Done.'),
    ];
    const { outcome, events } = await runAgainst({ state: { draft: {} }, stream });
    assertCleanRun(events);
    assert.equal(outcome.status, 'done');
    assert.deepEqual(shownTexts(events), ['Done.']);
  });

  hostileIt('a 5 MB error line is shown capped, in plain words', async () => {
    const { outcome, events } = await runAgainst({ state: { draft: {} }, stream: [data(JSON.stringify({ error: `Tool failed: ${'x'.repeat(5 * MB)}` }))] });
    assert.equal(outcome.error?.kind, 'streamError');
    // The REST path caps a server's text at 500 characters (envelope.ts firstText); the chat must not get a wall of text either.
    assertCleanRun(events);
  });
});
