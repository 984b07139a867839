// The simulator's /run_sse in each ADK wire shape, checked against docs/adk-wire.md and
// the literal fixtures in test/fixtures/adk: event shapes (keys and flags, not content)
// must be shapes the fixtures of that version have, stream signatures must match the
// corresponding fixture, and the rules of the doc (partial flags, final event repeating
// every part in order, casing, ids, error line, empty STOP turn, artifact split) hold.
import * as assert from 'node:assert/strict';
import { ADK_WIRES, type AdkWire, type ScenarioSpec, type Simulator } from '../../../sim/server';
import { wireProfile } from '../../../sim/wire';
import {
  type Json,
  type Payload,
  callsIn,
  eventClass,
  eventsOf,
  field,
  fixtureBody,
  fixtureIndex,
  partsOf,
  payloads,
  reduce,
  shape,
  signature,
  withoutKeys,
} from './adkWireHelpers';
import { ATTRIBUTION, auth, eventually, getState, newSession, start } from './simHelpers';

const ZERO = { heartbeatMs: 0, textMs: 0, generateMs: 0, postProductionMs: 0, editMs: 0, chunkMs: 0, renderPendingMs: 0, renderMs: 30 };
const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SHORT_ID = /^[A-Za-z0-9]{8}$/;
const CALL_ID = /^adk-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const GENERATE = 'Make a 10 second video about a city timelapse';
const EDIT = 'change the title to "Night Owls"';
const SILENT_EDIT = 'make it red';

/**
 * The fixtures each mode is compared with, and the keys dropped from them first: keys that
 * the modelled version does not have yet (modelVersion is 1.18+, nodeInfo 2.0) or that depend
 * on the model's answer (avgLogprobs, citationMetadata). errorMessage is dropped everywhere:
 * it is there exactly when Gemini sends a finish message, checked by the agentError tests.
 */
const REFERENCE: Record<AdkWire, Array<{ file: string; drop?: string[] }>> = {
  progressive: [
    { file: '1.22+/progressive-text-and-call.sse' },
    { file: '1.22+/progressive-thought-two-calls.sse', drop: ['nodeInfo'] },
    { file: '1.22+/nonstreaming-generation-artifact-split.sse', drop: ['avgLogprobs'] },
    { file: '1.22+/max-tokens-progressive.sse' },
    { file: '1.22+/safety-progressive.sse' },
    { file: '1.22+/malformed-function-call-progressive.sse' },
    { file: '1.22+/other-progressive.sse' },
    { file: '1.22+/unknown-finish-reason-progressive.sse' },
    { file: '1.22+/empty-stop-turn.sse' },
    { file: '1.22+/long-running-pending.sse' },
    { file: '1.22+/error-json.sse' },
  ],
  legacy: [
    { file: '1.0-1.21/streaming-legacy-text-then-call.sse', drop: ['modelVersion'] },
    { file: '1.0-1.21/errorcode-stop-empty-streaming.sse' },
    { file: '1.0-1.21/max-tokens-streaming.sse', drop: ['modelVersion'] },
    { file: '1.0-1.21/safety-streaming.sse', drop: ['modelVersion'] },
    { file: '1.0-1.21/recitation-streaming.sse', drop: ['citationMetadata'] },
    { file: '1.0-1.21/long-running-ask-question.sse', drop: ['modelVersion'] },
    { file: '1.0-1.21/error-fstring-quotes-newline.sse', drop: ['modelVersion'] },
    { file: '1.0-1.21/error-fstring-resource-exhausted.sse', drop: ['modelVersion'] },
    { file: '1.0-1.21/transfer-to-sub-agent.sse', drop: ['modelVersion'] },
  ],
  v0: [{ file: '0.x/nonstreaming-generation.sse' }, { file: '0.x/streaming-legacy.sse' }, { file: '0.x/errorcode-stop-empty.sse' }, { file: '0.x/error-fstring-quotes-newline.sse' }],
};

const ALWAYS_DROPPED = ['errorMessage', 'error_message'];

function isModelResponse(e: Json): boolean {
  return (e.content as Json | undefined)?.role === 'model' || field(e, 'errorCode') !== undefined;
}

/** The same keys with `partial` where LlmResponse has it (after modelVersion/content). */
function streamedCopy(e: Json): Json {
  const keys = Object.keys(e);
  const at = Math.max(keys.indexOf('modelVersion'), keys.indexOf('content')) + 1;
  const out: Json = {};
  keys.slice(0, at).forEach((k) => (out[k] = e[k]));
  out.partial = true;
  keys.slice(at).forEach((k) => (out[k] = e[k]));
  return out;
}

/**
 * Shapes a mode may send: the fixtures' shapes, plus the two that follow from them because a
 * streamed chunk and an unstreamed answer are the same LlmResponse apart from `partial`: a
 * partial chunk's shape without `partial` (the non-streaming answer), and on the progressive
 * wire, where every chunk is marked partial, a non-streaming answer's shape with it.
 */
function referenceShapes(wire: AdkWire): Set<string> {
  const out = new Set<string>();
  for (const ref of REFERENCE[wire]) {
    for (const e of eventsOf(payloads(fixtureBody(ref.file)))) {
      const ev = withoutKeys(e, [...(ref.drop ?? []), ...ALWAYS_DROPPED]);
      out.add(shape(ev));
      if (ev.partial === true) out.add(shape(withoutKeys(ev, ['partial'])));
      if (wire === 'progressive' && ev.partial === undefined && isModelResponse(ev)) out.add(shape(streamedCopy(ev)));
    }
  }
  return out;
}

describe('simulator: ADK wire modes (docs/adk-wire.md, test/fixtures/adk)', function () {
  this.timeout(30_000);

  it('the reference reducer used below reads every fixture the way its index.json expects', () => {
    const mismatches: string[] = [];
    for (const f of fixtureIndex()) {
      const r = reduce(payloads(fixtureBody(f.file)));
      const want = f.expect;
      const got = { texts: r.texts, tools: r.tools, ok: r.end.ok, code: r.end.code, message: r.end.message };
      const expected = { texts: want.texts, tools: want.tools, ok: want.end.ok, code: want.end.code, message: 'message' in want.end ? want.end.message : r.end.message };
      try {
        assert.deepEqual(got, expected);
      } catch {
        mismatches.push(`${f.file}: got ${JSON.stringify(got)}, index says ${JSON.stringify(expected)}`);
      }
    }
    assert.deepEqual(mismatches, []);
  });

  for (const wire of ADK_WIRES) {
    const profile = wireProfile(wire);
    describe(`${wire} wire (ADK ${profile.version}, same shape ${profile.versionRange})`, () => {
      let sim: Simulator;
      let token: string;

      before(async () => {
        sim = await start({ adkWire: wire, silentRate: 0, delays: ZERO });
      });
      after(() => sim.close());
      beforeEach(() => {
        sim.reset();
        token = sim.createUserToken();
      });

      const newSid = async (): Promise<string> => (await newSession(sim, token)).sessionId;
      const send = async (sessionId: string, text: string, o: { streaming?: boolean; scenario?: Omit<ScenarioSpec, 'sessionId'> } = {}): Promise<{ body: string; ps: Payload[] }> => {
        if (o.scenario) sim.addScenario({ ...o.scenario, sessionId });
        const r = await fetch(`${sim.url}/run_sse`, {
          method: 'POST',
          headers: auth(token, { 'Content-Type': 'application/json' }),
          body: JSON.stringify({ app_name: 'nemo_agent', user_id: 'me', session_id: sessionId, new_message: { parts: [{ text }] }, streaming: o.streaming === true }),
        });
        assert.equal(r.status, 200);
        const body = await r.text();
        return { body, ps: payloads(body) };
      };
      /** A session with a finished generation (non-streaming), for edits. */
      const generated = async (): Promise<string> => {
        const sid = await newSid();
        await send(sid, GENERATE);
        return sid;
      };
      /** Every stream of the flow matrix below, streaming off and on. */
      const matrix = async (): Promise<Array<{ name: string; streaming: boolean; ps: Payload[] }>> => {
        const out: Array<{ name: string; streaming: boolean; ps: Payload[] }> = [];
        for (const streaming of [false, true]) {
          const sid = await newSid();
          out.push({ name: 'generation', streaming, ps: (await send(sid, GENERATE, { streaming })).ps });
          out.push({ name: 'edit', streaming, ps: (await send(sid, EDIT, { streaming })).ps });
          out.push({ name: 'silent edit', streaming, ps: (await send(sid, SILENT_EDIT, { streaming, scenario: { name: 'silentReply' } })).ps });
          out.push({ name: 'question', streaming, ps: (await send(sid, 'what is in my video?', { streaming })).ps });
          out.push({ name: 'askQuestion', streaming, ps: (await send(sid, GENERATE, { streaming, scenario: { name: 'askQuestion' } })).ps });
          for (const code of ['MALFORMED_FUNCTION_CALL', 'SAFETY', 'MAX_TOKENS']) {
            const s = await newSid();
            out.push({ name: `agentError ${code}`, streaming, ps: (await send(s, GENERATE, { streaming, scenario: { name: 'agentError', params: { code, maxLlmCalls: 3 } } })).ps });
          }
          out.push({ name: 'streamError', streaming, ps: (await send(await newSid(), GENERATE, { streaming, scenario: { name: 'streamError' } })).ps });
        }
        return out;
      };

      it('generate -> edit -> silent edit -> export, streaming off and on: what a correct client shows', async () => {
        for (const streaming of [false, true]) {
          const sid = await newSid();
          const gen = reduce((await send(sid, GENERATE, { streaming })).ps);
          assert.deepEqual(gen.tools, ['generate_video_with_seedance', 'add_background_music', 'edit_multitrack']);
          assert.equal(gen.texts.length, 3);
          assert.match(gen.texts[0], /Got it! I'll generate a 10-second city timelapse video/);
          // ADK 0.x's legacy aggregator has a single text buffer: a streamed thought is glued to the answer (fixed in 1.2).
          assert.equal(gen.texts[0].startsWith('The user wants'), wire === 'v0' && streaming, gen.texts[0]);
          assert.match(gen.texts[2], /Preview it in the timeline, or click Export to save it\.$/);
          assert.deepEqual(gen.end, { ok: true });

          const edit = reduce((await send(sid, EDIT, { streaming })).ps);
          assert.deepEqual(edit.tools, ['edit_multitrack']);
          assert.equal(edit.texts.length, 2);
          assert.deepEqual(edit.end, { ok: true });

          const silent = reduce((await send(sid, SILENT_EDIT, { streaming, scenario: { name: 'silentReply' } })).ps);
          assert.deepEqual(silent.texts, []);
          assert.deepEqual(silent.tools, ['edit_multitrack']);
          assert.deepEqual(silent.end, { ok: true }, 'an empty STOP turn is a clean end in every version');

          const state = (await getState(sim, token, sid)).data as Json;
          const draft = (state.state as Json).draft as { t: Array<{ tt: number; sg: Array<{ m: Json }> }> };
          const title = draft.t.find((t) => t.tt === 7)?.sg[0].m;
          assert.equal(title?.text, 'Night Owls');
          assert.equal(title?.color, 'red');

          const id = `render_${wire}_${streaming}`;
          const submit = await fetch(`${sim.url}/api/render/proxy/lambda`, { method: 'POST', headers: { ...auth(token), ...ATTRIBUTION, 'Content-Type': 'application/json' }, body: JSON.stringify({ id, sessionId: sid, draft }) });
          assert.equal(submit.status, 200);
          await submit.text();
          const done = await eventually(async () => {
            const r = (await (await fetch(`${sim.url}/api/render/proxy/lambda/${id}`, { headers: auth(token) })).json()) as { data: { status: string; outputUrl?: string } };
            return r.data.status === 'completed' ? r.data : undefined;
          });
          const video = await fetch(String(done.outputUrl));
          assert.equal(video.status, 200);
          assert.ok((await video.arrayBuffer()).byteLength > 1000);
        }
      });

      it('every event has a shape the fixtures of this version have (keys and flags, not content)', async () => {
        const allowed = referenceShapes(wire);
        const unknown = new Map<string, string>();
        for (const run of await matrix()) {
          for (const e of eventsOf(run.ps)) {
            const s = shape(withoutKeys(e, ALWAYS_DROPPED));
            if (!allowed.has(s)) unknown.set(s, `${run.name}${run.streaming ? ' (streaming)' : ''}: ${eventClass(e)}`);
          }
        }
        assert.deepEqual([...unknown].map(([s, where]) => `${where}\n    ${s}`), []);
      });

      it('streams have the same event sequence as the corresponding fixture', async () => {
        const sid = await generated();
        const pairs: Array<[string, Payload[], string | undefined]> = [];
        const fixtureFor = (p: string, l: string, v: string): string => (wire === 'progressive' ? p : wire === 'legacy' ? l : v);
        pairs.push([fixtureFor('1.22+/progressive-text-and-call.sse', '1.0-1.21/streaming-legacy-text-then-call.sse', '0.x/streaming-legacy.sse'), (await send(sid, EDIT, { streaming: true })).ps, undefined]);
        pairs.push([
          fixtureFor('1.22+/error-json.sse', '1.0-1.21/error-fstring-quotes-newline.sse', '0.x/error-fstring-quotes-newline.sse'),
          (await send(await newSid(), GENERATE, { scenario: { name: 'streamError' } })).ps,
          undefined,
        ]);
        // The simulator's silent edit has no text before its call (the fixtures do): compare the tail.
        pairs.push([fixtureFor('1.22+/empty-stop-turn.sse', '1.0-1.21/errorcode-stop-empty-nonstreaming.sse', '0.x/errorcode-stop-empty.sse'), (await send(sid, SILENT_EDIT, { scenario: { name: 'silentReply' } })).ps, 'tail']);
        if (wire !== 'v0') {
          pairs.push([fixtureFor('1.22+/nonstreaming-generation-artifact-split.sse', '1.0-1.21/nonstreaming-generation.sse', ''), (await send(await newSid(), GENERATE)).ps, undefined]);
          pairs.push([
            fixtureFor('1.22+/safety-progressive.sse', '1.0-1.21/safety-streaming.sse', ''),
            (await send(await newSid(), GENERATE, { streaming: true, scenario: { name: 'agentError', params: { code: 'SAFETY' } } })).ps,
            undefined,
          ]);
          pairs.push([
            fixtureFor('1.22+/max-tokens-progressive.sse', '1.0-1.21/max-tokens-streaming.sse', ''),
            (await send(await newSid(), GENERATE, { streaming: true, scenario: { name: 'agentError', params: { code: 'MAX_TOKENS' } } })).ps,
            undefined,
          ]);
        }
        if (wire === 'progressive') {
          pairs.push(['1.22+/malformed-function-call-progressive.sse', (await send(await newSid(), GENERATE, { streaming: true, scenario: { name: 'agentError' } })).ps, undefined]);
        }
        if (wire === 'legacy') pairs.push(['1.0-1.21/long-running-ask-question.sse', (await send(await newSid(), GENERATE, { scenario: { name: 'askQuestion' } })).ps, undefined]);
        for (const [file, ps, part] of pairs) {
          const want = signature(payloads(fixtureBody(file)));
          const got = signature(ps);
          if (part === 'tail') assert.deepEqual(got.slice(-2), want.slice(-2), file);
          else assert.deepEqual(got, want, file);
        }
      });

      it(`ids: ${profile.eventIds === 'short' ? '8 letters/digits' : 'uuid4'} per event (a split pair shares one), adk-uuid4 call ids, one e-uuid4 invocation id`, async () => {
        for (const run of await matrix()) {
          const evs = eventsOf(run.ps);
          const ids = evs.map((e) => String(e.id));
          for (const id of ids) assert.match(id, profile.eventIds === 'short' ? SHORT_ID : UUID4, run.name);
          const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
          for (const id of repeated) {
            const pair = evs.filter((e) => e.id === id);
            assert.ok(profile.artifactSplit && pair.length === 2 && pair[1].content === undefined, `${run.name}: only an artifact split repeats an id`);
          }
          for (const e of evs) for (const c of callsIn(e)) assert.match(String(c.id), CALL_ID);
          const invocations = new Set(evs.map((e) => field(e, 'invocationId')));
          assert.equal(invocations.size, 1);
          assert.match(String([...invocations][0]), /^e-[0-9a-f-]{36}$/);
          for (const e of evs) assert.ok(typeof e.timestamp === 'number' && !Number.isInteger(e.timestamp));
        }
      });

      it(profile.snakeEnvelope ? 'casing: snake_case envelope and actions, camelCase inside content' : 'casing: camelCase everywhere', async () => {
        const partKeys = new Set(['text', 'thought', 'functionCall', 'functionResponse']);
        for (const run of await matrix()) {
          for (const e of eventsOf(run.ps)) {
            const envelope = [...Object.keys(e), ...Object.keys(e.actions as Json)];
            for (const k of envelope) {
              if (profile.snakeEnvelope) assert.doesNotMatch(k, /[A-Z]/, `${run.name}: ${k}`);
              else assert.doesNotMatch(k, /_/, `${run.name}: ${k}`);
            }
            for (const p of partsOf(e)) for (const k of Object.keys(p)) assert.ok(partKeys.has(k), `${run.name}: part key ${k}`);
            const usage = field(e, 'usageMetadata') as Json | undefined;
            if (usage) for (const k of Object.keys(usage)) assert.doesNotMatch(k, /_/, 'google-genai usage keys are camelCase');
          }
        }
      });

      it(`fields of this version: modelVersion ${profile.modelVersion ? 'yes' : 'no'}, finishReason ${profile.finishReason ? 'yes' : 'no'}, usageMetadata ${profile.usageMetadata ? 'yes' : 'no'}, requestedToolConfirmations ${profile.toolConfirmations ? 'yes' : 'no'}`, async () => {
        for (const run of await matrix()) {
          for (const e of eventsOf(run.ps)) {
            const fromModel = isModelResponse(e);
            // modelVersion (1.18+): on every event made from a model response, not on the progressive final (aggregated) one (docs/adk-wire.md §2).
            const expectVersion = profile.modelVersion && fromModel && e.partial !== false;
            assert.equal(e.modelVersion, expectVersion ? 'gemini-2.5-flash' : undefined, `${run.name}: ${eventClass(e)}`);
            if (!profile.finishReason) assert.equal(field(e, 'finishReason'), undefined);
            if (!profile.usageMetadata) assert.equal(field(e, 'usageMetadata'), undefined);
            if (!fromModel) assert.equal(field(e, 'usageMetadata'), undefined, 'no usage on tool results');
            assert.equal('requestedToolConfirmations' in (e.actions as Json), profile.toolConfirmations);
            const calls = callsIn(e);
            assert.equal(field(e, 'longRunningToolIds') !== undefined, calls.length > 0, `${run.name}: longRunningToolIds exactly on events with calls`);
          }
          if (!run.streaming) for (const e of eventsOf(run.ps)) assert.equal(e.partial, undefined, 'no partial key without streaming');
          if (!run.streaming && profile.finishReason) {
            for (const e of eventsOf(run.ps)) if (isModelResponse(e)) assert.ok(typeof field(e, 'finishReason') === 'string', `${run.name}: finishReason on every model answer`);
          }
        }
      });

      if (profile.streaming === 'progressive') {
        it('progressive streaming: every chunk partial (calls too), then ONE partial:false event repeating all parts in order', async () => {
          for (const run of await matrix()) {
            if (!run.streaming) continue;
            let chunks: Json[] = [];
            for (const e of eventsOf(run.ps)) {
              if (!isModelResponse(e)) {
                assert.equal(chunks.length, 0, `${run.name}: a tool result after a final event only`);
                continue;
              }
              if (e.partial === true) {
                chunks.push(e);
                continue;
              }
              assert.equal(e.partial, false, `${run.name}: a model event is partial or the final one`);
              assert.ok(chunks.length > 0);
              // What the final event must hold: consecutive text of one kind merged, calls in place.
              const expected: Json[] = [];
              for (const p of chunks.flatMap(partsOf)) {
                const prev = expected[expected.length - 1];
                if (typeof p.text === 'string' && prev && typeof prev.text === 'string' && prev.thought === p.thought) prev.text = String(prev.text) + p.text;
                else expected.push({ ...p });
              }
              assert.deepEqual(partsOf(e), expected, `${run.name}: the final event repeats the parts`);
              assert.equal(field(e, 'finishReason'), field(chunks[chunks.length - 1], 'finishReason'));
              assert.deepEqual(e.usageMetadata, chunks[chunks.length - 1].usageMetadata);
              chunks = [];
            }
            // No parts at all (empty turn, part-less error): the chunk stays the last event, no final one.
            for (const c of chunks) assert.ok(partsOf(c).length === 0, `${run.name}: only a part-less chunk is left without a final event`);
          }
        });

        it('progressive call ids: shared by the partial and final call (1.29+, default); distinct up to 1.28 (adkCallIds / adkProgressive callIds)', async () => {
          const check = async (distinct: boolean, scenario?: Omit<ScenarioSpec, 'sessionId'>): Promise<void> => {
            const { ps } = await send(await newSid(), GENERATE, { streaming: true, scenario });
            const evs = eventsOf(ps);
            const partialIds = evs.filter((e) => e.partial === true).flatMap((e) => callsIn(e).map((c) => String(c.id)));
            const finalIds = evs.filter((e) => e.partial === false).flatMap((e) => callsIn(e).map((c) => String(c.id)));
            const answered = evs.flatMap((e) => partsOf(e).flatMap((p) => (p.functionResponse ? [String((p.functionResponse as Json).id)] : [])));
            assert.equal(partialIds.length, 3);
            assert.deepEqual(answered, finalIds, 'the function response answers the final call');
            for (let i = 0; i < 3; i++) assert.equal(partialIds[i] === finalIds[i], !distinct);
          };
          await check(false);
          await check(true, { name: 'adkProgressive', params: { callIds: 'distinct' } });
          sim.setOptions({ adkCallIds: 'distinct' });
          await check(true);
          await check(false, { name: 'adkProgressive', params: { callIds: 'shared' } });
          sim.setOptions({ adkCallIds: 'shared' });
        });
      } else {
        it(`legacy aggregation${profile.thoughtSplit ? '' : ' (0.x: thought text glued to the answer)'}: text deltas partial, one aggregated text, the call on its own and never partial`, async () => {
          for (const run of await matrix()) {
            if (!run.streaming) continue;
            let deltas = '';
            let thought = '';
            for (const e of eventsOf(run.ps)) {
              assert.notEqual(e.partial, false, 'no partial:false on the legacy wire');
              if (e.partial === true) {
                assert.equal(callsIn(e).length, 0, `${run.name}: calls are never partial`);
                const p = partsOf(e)[0];
                if (p.thought === true && profile.thoughtSplit) thought += String(p.text);
                else deltas += String(p.text);
                continue;
              }
              const texts = partsOf(e).filter((p) => typeof p.text === 'string');
              if ((deltas || thought) && texts.length > 0) {
                assert.equal(callsIn(e).length, 0, `${run.name}: the aggregated event has text only`);
                assert.deepEqual(texts, [...(thought ? [{ text: thought, thought: true }] : []), { text: deltas }], `${run.name}: aggregated = the deltas`);
                assert.equal(field(e, 'finishReason'), undefined, 'the aggregated event carries no finishReason');
                deltas = '';
                thought = '';
              }
            }
          }
        });
      }

      it(`the empty final turn of a silent edit: ${profile.emptyStopIsError ? `${profile.snakeEnvelope ? 'error_code' : 'errorCode'} "STOP", no content, no message (<= 1.17, adk-python issue 2905)` : 'an empty model turn, no errorCode (1.18+)'}`, async () => {
        const sid = await generated();
        for (const streaming of [false, true]) {
          const evs = eventsOf((await send(sid, SILENT_EDIT, { streaming, scenario: { name: 'silentReply' } })).ps);
          const last = evs[evs.length - 1];
          assert.ok(partsOf(evs[evs.length - 2]).some((p) => p.functionResponse), 'after the tool result');
          if (profile.emptyStopIsError) {
            assert.equal(field(last, 'errorCode'), 'STOP');
            assert.equal(last.content, undefined);
            assert.equal(field(last, 'errorMessage'), undefined);
            assert.equal(last.partial, undefined);
          } else {
            assert.deepEqual(last.content, { role: 'model' });
            assert.equal(field(last, 'errorCode'), undefined);
            assert.equal(last.partial, streaming ? true : undefined, 'streamed, the empty chunk stays partial (no parts, no final event)');
          }
          assert.equal(field(last, 'finishReason'), profile.finishReason ? 'STOP' : undefined);
        }
      });

      it(profile.artifactSplit ? 'artifactDelta: the tool result goes out twice, the content copy then an action-only copy with the same id and timestamp' : 'artifactDelta: on the tool result event itself (no split before 1.22)', async () => {
        const evs = eventsOf((await send(await newSid(), GENERATE)).ps);
        const withArtifact = evs.filter((e) => Object.keys((field(e.actions as Json, 'artifactDelta') as Json) ?? {}).length > 0);
        assert.equal(withArtifact.length, 1);
        const [a] = withArtifact;
        if (profile.artifactSplit) {
          const i = evs.indexOf(a);
          const content = evs[i - 1];
          assert.equal(a.content, undefined);
          assert.deepEqual([content.id, content.timestamp], [a.id, a.timestamp]);
          assert.deepEqual((content.actions as Json).artifactDelta, {});
          assert.deepEqual((content.actions as Json).stateDelta, (a.actions as Json).stateDelta, 'both copies keep the stateDelta');
          assert.ok(partsOf(content)[0].functionResponse);
        } else {
          assert.ok(partsOf(a)[0].functionResponse, 'the artifact rides on the function response');
          assert.ok(!evs.some((e) => e.content === undefined && field(e, 'errorCode') === undefined), 'no action-only event');
        }
      });

      it(profile.errorLine === 'json' ? 'error line: json.dumps({"error": …}) (1.24+): valid JSON, quotes and newlines escaped, non-ASCII as \\uXXXX' : 'error line: the raw f-string {"error": "…"}, quotes and newlines unescaped', async () => {
        const message = 'Seedance job 7f3a failed: provider returned "content_policy_violation"\nDetails: prompt mentions a real person – retry later';
        const { body, ps } = await send(await newSid(), GENERATE, { scenario: { name: 'streamError', params: { message } } });
        if (profile.errorLine === 'json') {
          assert.ok(body.endsWith('data: {"error": "Seedance job 7f3a failed: provider returned \\"content_policy_violation\\"\\nDetails: prompt mentions a real person \\u2013 retry later"}\n\n'));
          assert.deepEqual(ps[ps.length - 1], { error: message, raw: body.slice(body.lastIndexOf('data: ') + 6, -2) });
        } else {
          assert.ok(body.endsWith(`data: {"error": "${message}"}\n\n`), 'the message pasted in as is');
          // A spec parser sees only the first line, and it is not JSON.
          assert.deepEqual(ps[ps.length - 1], { error: null, raw: '{"error": "Seedance job 7f3a failed: provider returned "content_policy_violation"' });
        }
        const invalid = await send(await newSid(), GENERATE, { scenario: { name: 'streamErrorInvalidJson' } });
        const last = invalid.ps[invalid.ps.length - 1];
        assert.deepEqual(last, profile.errorLine === 'json' ? { error: 'it said "no" here', raw: '{"error": "it said \\"no\\" here"}' } : { error: null, raw: '{"error": "it said "no" here"}' });
      });

      it('agentError: finish-reason errorCodes with the text first (params code/message/text), and what each version makes of them', async () => {
        const end = async (params: Json, streaming: boolean) => reduce((await send(await newSid(), GENERATE, { streaming, scenario: { name: 'agentError', params } })).ps);
        for (const streaming of [false, true]) {
          const malformed = await end({}, streaming);
          assert.deepEqual(malformed.end, { ok: false, kind: 'finishReason', code: 'MALFORMED_FUNCTION_CALL', message: 'Malformed function call: generate_video_with_seedance' });
          assert.deepEqual(malformed.tools, [], 'the malformed call never appears');
          const safety = await end({ code: 'SAFETY' }, streaming);
          assert.deepEqual(safety.end, { ok: false, kind: 'finishReason', code: 'SAFETY', message: null });
          // Streamed, the text before the block stays (aggregated or repeated by the final event); unstreamed, a blocked answer has no content.
          assert.equal(safety.texts.length, streaming ? 1 : 0);
          const custom = await end({ code: 'MODEL_ARMOR', message: 'Blocked by Model Armor', text: false }, streaming);
          assert.deepEqual([custom.end.code, custom.end.message, custom.texts], ['MODEL_ARMOR', 'Blocked by Model Armor', []]);
        }
        // MAX_TOKENS keeps its (cut) text. Unstreamed, LlmResponse.create makes that a normal answer: no errorCode.
        const cutPlain = await send(await newSid(), GENERATE, { scenario: { name: 'agentError', params: { code: 'MAX_TOKENS' } } });
        const [answer] = eventsOf(cutPlain.ps);
        assert.equal(field(answer, 'errorCode'), undefined);
        assert.equal(field(answer, 'finishReason'), profile.finishReason ? 'MAX_TOKENS' : undefined);
        assert.deepEqual(reduce(cutPlain.ps).end, { ok: true });
        const cut = await send(await newSid(), GENERATE, { streaming: true, scenario: { name: 'agentError', params: { code: 'MAX_TOKENS', maxLlmCalls: 4 } } });
        if (profile.retryAfterPartialLastEvent) {
          // 0.x: no aggregate after a non-STOP finish, the partial last event is not final, the flow calls the model again until max_llm_calls.
          assert.equal(cut.ps.filter((p) => 'event' in p && callsIn(p.event).length === 0 && partsOf(p.event).some((x) => x.text === 'Got it! I\'ll ')).length, 4);
          assert.deepEqual(cut.ps[cut.ps.length - 1], { error: 'Max number of llm calls limit of `4` exceeded', raw: '{"error": "Max number of llm calls limit of `4` exceeded"}' });
        } else {
          const r = reduce(cut.ps);
          assert.deepEqual(r.end, { ok: false, kind: 'finishReason', code: 'MAX_TOKENS', message: null });
          assert.equal(r.texts.length, 1);
        }
      });

      it('askQuestion: an ask_question call whose id is in longRunningToolIds, no function response, the run ends there', async () => {
        for (const streaming of [false, true]) {
          const { ps } = await send(await newSid(), GENERATE, { streaming, scenario: { name: 'askQuestion' } });
          const evs = eventsOf(ps);
          for (const e of evs) {
            const calls = callsIn(e);
            assert.equal(calls.length, 1);
            assert.equal(calls[0].name, 'ask_question');
            assert.deepEqual(field(e, 'longRunningToolIds'), [calls[0].id]);
          }
          assert.equal(evs.length, wire === 'progressive' && streaming ? 2 : 1);
          assert.equal(reduce(ps).questions.length, 1);
        }
      });

      if (profile.modelCallTimestamp) {
        it('timestamps: every event of one model call carries the call\'s time (up to 1.5); tool results their own', async () => {
          const evs = eventsOf((await send(await newSid(), GENERATE, { streaming: true })).ps);
          const firstTurn = evs.slice(0, evs.findIndex((e) => partsOf(e).some((p) => p.functionResponse)));
          assert.ok(firstTurn.length > 3);
          assert.equal(new Set(firstTurn.map((e) => e.timestamp)).size, 1);
          assert.equal(new Set(firstTurn.map((e) => e.id)).size, firstTurn.length, 'ids differ (0.5; 0.1-0.4 shared them too)');
        });
      }

      it('every /run_sse scenario still works on this wire', async () => {
        const sid = await generated();
        const cases: Array<[Omit<ScenarioSpec, 'sessionId'>, (r: ReturnType<typeof reduce>, ps: Payload[]) => void]> = [
          [{ name: 'streamError' }, (r) => assert.equal(r.end.kind, 'streamError')],
          [{ name: 'streamErrorInvalidJson' }, (r) => assert.equal(r.end.kind, 'streamError')],
          [{ name: 'agentError' }, (r) => assert.equal(r.end.code, 'MALFORMED_FUNCTION_CALL')],
          [{ name: 'temporaryIssue' }, (r) => assert.match(r.texts[r.texts.length - 1], /temporary issue/)],
          [{ name: 'silentReply' }, (r) => assert.deepEqual([r.texts.length, r.end.ok], [0, true])],
          [{ name: 'verboseReply' }, (r) => assert.equal(r.texts.length, 2)],
          [{ name: 'askQuestion' }, (r) => assert.equal(r.questions.length, 1)],
          [{ name: 'echoToken' }, (r) => assert.match(r.texts[0], new RegExp(`^Debug: this request was made with token=${token}`))],
          [{ name: 'streaming' }, (_r, ps) => assert.ok(eventsOf(ps).some((e) => e.partial === true))],
          [{ name: 'hostileText' }, (r) => assert.match(r.texts.join('\n'), /<img src=x onerror=alert\(1\)>/)],
        ];
        for (const [scenario, check] of cases) {
          for (const streaming of [false, true]) {
            const { ps } = await send(sid, EDIT, { streaming, scenario });
            check(reduce(ps), ps);
          }
        }
        sim.addScenario({ name: 'dropStream', sessionId: sid });
        const dropped = await fetch(`${sim.url}/run_sse`, {
          method: 'POST',
          headers: auth(token, { 'Content-Type': 'application/json' }),
          body: JSON.stringify({ app_name: 'nemo_agent', user_id: 'me', session_id: sid, new_message: { parts: [{ text: 'make it blue' }] } }),
        });
        await assert.rejects(dropped.text());
        await eventually(async () => {
          const d = (((await getState(sim, token, sid)).data as Json).state as Json).draft as { t: Array<{ tt: number; sg: Array<{ m: Json }> }> };
          return d.t.find((t) => t.tt === 7)?.sg[0].m.color === 'blue' ? true : undefined;
        });
      });
    });
  }

  describe('choosing the wire', () => {
    let sim: Simulator;
    let token: string;
    let sid: string;
    afterEach(() => sim?.close());
    const firstEvent = async (headers: Record<string, string> = {}): Promise<Json> => {
      const r = await fetch(`${sim.url}/run_sse`, {
        method: 'POST',
        headers: auth(token, { 'Content-Type': 'application/json', ...headers }),
        body: JSON.stringify({ app_name: 'nemo_agent', user_id: 'me', session_id: sid, new_message: { parts: [{ text: 'what can you do?' }] } }),
      });
      return eventsOf(payloads(await r.text()))[0];
    };
    const wireOf = (e: Json): AdkWire => ('invocation_id' in e ? 'v0' : 'modelVersion' in e ? 'progressive' : 'legacy');
    const boot = async (opts: Parameters<typeof start>[0] = {}): Promise<void> => {
      sim = await start({ delays: ZERO, ...opts });
      token = sim.createUserToken();
      sid = (await newSession(sim, token)).sessionId;
    };

    it('progressive by default; per request with X-Sim-Scenario adkProgressive / adkLegacy / adkV0 / snakeCase', async () => {
      await boot();
      assert.equal(wireOf(await firstEvent()), 'progressive');
      for (const [name, wire] of [['adkLegacy', 'legacy'], ['adkV0', 'v0'], ['snakeCase', 'v0'], ['adkProgressive', 'progressive']] as const) {
        assert.equal(wireOf(await firstEvent({ 'X-Sim-Scenario': name })), wire, name);
      }
      assert.equal(wireOf(await firstEvent()), 'progressive', 'a header scenario covers its request only');
      const bad = await fetch(`${sim.url}/api/credits/balance/simple`, { headers: auth(token, { 'X-Sim-Scenario': 'adkProgressive', 'X-Sim-Scenario-Params': '{"callIds":"same"}' }) });
      assert.equal(bad.status, 400);
    });

    it('per stream with addScenario and POST /__sim/scenario; for the whole simulator with the option, POST /__sim/options or setOptions', async () => {
      await boot({ adkWire: 'legacy' });
      assert.equal(wireOf(await firstEvent()), 'legacy');
      sim.addScenario({ name: 'adkV0', sessionId: sid });
      assert.equal(wireOf(await firstEvent()), 'v0');
      assert.equal(wireOf(await firstEvent()), 'legacy', 'used up');
      const armed = await fetch(`${sim.url}/__sim/scenario`, { method: 'POST', body: JSON.stringify({ name: 'adkProgressive', times: 2 }) });
      assert.equal(armed.status, 200);
      assert.equal(wireOf(await firstEvent()), 'progressive');
      assert.equal(wireOf(await firstEvent()), 'progressive');
      assert.equal(wireOf(await firstEvent()), 'legacy');
      assert.equal((await fetch(`${sim.url}/__sim/scenario`, { method: 'POST', body: JSON.stringify({ name: 'agentError', params: { text: 'yes' } }) })).status, 400);
      const set = await fetch(`${sim.url}/__sim/options`, { method: 'POST', body: JSON.stringify({ adkWire: 'v0' }) });
      assert.deepEqual(((await set.json()) as { options: Json }).options.adkWire, 'v0');
      assert.equal(wireOf(await firstEvent()), 'v0');
      assert.equal((await fetch(`${sim.url}/__sim/options`, { method: 'POST', body: JSON.stringify({ adkWire: 'v2' }) })).status, 400);
      sim.setOptions({ casing: 'camel' });
      assert.equal(wireOf(await firstEvent()), 'progressive', 'the old casing option still works: camel leaves v0');
      sim.setOptions({ casing: 'snake' });
      assert.equal(wireOf(await firstEvent()), 'v0');
      assert.throws(() => sim.setOptions({ adkWire: 'v1' as AdkWire }));
      assert.throws(() => sim.addScenario({ name: 'adkProgressive', params: { callIds: 'x' } }));
    });

    it('NEMO_SIM_ADK_WIRE sets the default (so a whole suite runs in one shape); an explicit option wins', async () => {
      const saved = process.env.NEMO_SIM_ADK_WIRE;
      try {
        process.env.NEMO_SIM_ADK_WIRE = 'v0';
        await boot();
        assert.equal(wireOf(await firstEvent()), 'v0');
        await sim.close();
        await boot({ adkWire: 'legacy' });
        assert.equal(wireOf(await firstEvent()), 'legacy');
        await sim.close();
        process.env.NEMO_SIM_ADK_WIRE = 'newest';
        await assert.rejects(start(), /NEMO_SIM_ADK_WIRE=newest/);
        sim = await start({ adkWire: 'progressive' });
      } finally {
        if (saved === undefined) delete process.env.NEMO_SIM_ADK_WIRE;
        else process.env.NEMO_SIM_ADK_WIRE = saved;
      }
    });
  });
});
