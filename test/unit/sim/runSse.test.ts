import * as assert from 'node:assert/strict';
import type { Simulator } from '../../../sim/server';
import { type Json, calls, credits, eventually, frames, generate, getState, isHeartbeat, newSession, parts, postRun, run, runBody, startWithSession, texts } from './simHelpers';

describe('simulator: /run_sse (§3.4, §4)', function () {
  // Real loopback HTTP and real (short) simulator delays: generous under a loaded CI machine.
  this.timeout(20_000);
  let sim: Simulator;
  let token: string;
  let sessionId: string;
  beforeEach(async () => ({ sim, token, sessionId } = await startWithSession({}, 'anonymous')));
  afterEach(() => sim.close());

  describe('validation before the stream', () => {
    it('answers 422 FastAPI-style for missing fields, an extra key in new_message, or invalid JSON', async () => {
      const bodies = [
        JSON.stringify({ app_name: 'nemo_agent', user_id: 'me', session_id: sessionId }),
        JSON.stringify({ app_name: 'nemo_agent', user_id: 'me', session_id: sessionId, new_message: { parts: [{ text: 'hi' }], extra: 1 } }),
        JSON.stringify({ app_name: 'other', user_id: 'me', session_id: sessionId, new_message: { parts: [{ text: 'hi' }] } }),
        '{"app_name": "nemo_agent",',
      ];
      for (const body of bodies) {
        const r = await postRun(sim, token, body);
        assert.equal(r.status, 422, body);
        const j = (await r.json()) as { detail: Array<{ loc: unknown[]; msg: string; type: string }> };
        assert.ok(Array.isArray(j.detail) && j.detail.length > 0);
        assert.equal(j.detail[0].loc[0], 'body');
      }
    });

    it('accepts camelCase aliases and ignores unknown top-level keys', async () => {
      const body = JSON.stringify({ appName: 'nemo_agent', userId: 'me', sessionId, newMessage: { role: 'user', parts: [{ text: 'hello?' }] }, whatever: true });
      const r = await postRun(sim, token, body);
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type') ?? '', /^text\/event-stream/);
      await r.text();
    });

    it('counts every POST per session and only accepted ones separately', async () => {
      await (await postRun(sim, token, '{"session_id":"' + sessionId + '"}')).text(); // 422
      await (await postRun(sim, 'nmv_usr_bad', runBody(sessionId, 'hi?'))).text(); // 1001
      await (await postRun(sim, token, runBody(sessionId, 'what can you do?'))).text(); // accepted
      const s = sim.stats();
      assert.equal(s.runSsePosts[sessionId], 3);
      assert.equal(s.runSseAccepted[sessionId], 1);
    });

    it('unknown session -> 1002 JSON, not a stream', async () => {
      const r = await run(sim, token, '1234567890123456789', 'make a video');
      assert.equal(r.status, 200);
      assert.match(r.contentType, /^application\/json/);
      assert.equal(JSON.parse(r.body).code, 1002);
    });
  });

  describe('two-stage generation (§4.7, §4.9)', () => {
    it('streams text+call, heartbeats, result with stateDelta, raw-ready text, BGM and title calls, final GUI text', async () => {
      const r = await generate(sim, token, sessionId, 'Make a 30 second video about a city timelapse at night');
      assert.equal(r.status, 200);
      assert.equal(r.contentType, 'text/event-stream; charset=utf-8');
      assert.ok(!r.body.includes('[DONE]'));
      const evs = r.events;
      const first = evs[0];
      assert.equal(parts(first).length, 3, 'thought, text and functionCall in one event without streaming');
      assert.equal(parts(first)[0].thought, true);
      assert.match(String(parts(first)[1].text), /30-second city timelapse at night/);
      assert.ok(evs.some((e) => e.content === undefined && Object.keys(((e.actions as Json).artifactDelta as Json) ?? {}).length === 1), 'an action-only event');
      const names = calls(evs).map((c) => c.name);
      assert.deepEqual(names, ['generate_video_with_seedance', 'add_background_music', 'edit_multitrack']);
      const results = calls(evs, 'functionResponse');
      assert.equal(results.length, 3);
      const genResult = evs.find((e) => parts(e).some((p) => (p.functionResponse as Json | undefined)?.name === 'generate_video_with_seedance')) as Json;
      assert.equal((genResult.content as Json).role, 'user');
      assert.ok(((genResult.actions as Json).stateDelta as Json).generated_media);
      const said = texts(evs);
      assert.ok(said.some((t) => /raw 30-second video is ready/.test(t)));
      assert.match(said[said.length - 1], /Preview it in the timeline, or click Export to save it\./);
      for (const c of calls(evs)) assert.match(String(c.id), /^adk-[0-9a-f-]{36}$/);
      const inv = new Set(evs.map((e) => e.invocationId));
      assert.equal(inv.size, 1);
      assert.match(String([...inv][0]), /^e-[0-9a-f-]{36}$/);
      for (const e of evs) {
        assert.equal(typeof e.timestamp, 'number');
        assert.ok(!Number.isInteger(e.timestamp));
        assert.deepEqual(Object.keys(e.actions as object), ['stateDelta', 'artifactDelta', 'requestedAuthConfigs', 'requestedToolConfirmations']);
      }
    });

    it('emits every heartbeat form of §16 U1 during the work', async () => {
      const r = await generate(sim, token, sessionId);
      const hb = r.frames.filter(isHeartbeat).map((f) => f.raw);
      for (const form of ['data: {"type":"heartbeat"}', ': keep-alive', 'data:', 'data: heartbeat', 'event: heartbeat\ndata: {"type":"heartbeat"}']) {
        assert.ok(hb.includes(form), `missing heartbeat form ${JSON.stringify(form)}`);
      }
    });

    it('ends with an exportable 3-track draft following the hints (§5)', async () => {
      await generate(sim, token, sessionId, 'Create a 15 second vertical video about coffee brewing');
      const st = await getState(sim, token, sessionId);
      const state = (st.data as Json).state as Json;
      const draft = state.draft as { t: Array<{ tt: number; sg: Array<{ s: number; d: number; m: Json }> }>; d: number; m: Json };
      assert.deepEqual(draft.t.map((t) => t.tt), [0, 1, 7]);
      assert.equal(draft.d, 15000);
      assert.deepEqual([draft.m.width, draft.m.height], [1080, 1920]);
      assert.equal(draft.t[0].sg[0].m.name, 'coffee brewing');
      assert.match(String(draft.t[0].sg[0].m.url), /^http:\/\/127\.0\.0\.1:\d+\/cdn\/gen\//);
      assert.equal(draft.t[1].sg[0].m.volume, 0.35);
      assert.equal(draft.t[2].sg[0].m.text, 'Coffee Brewing');
      assert.equal(draft.t[2].sg[0].d, 3000);
      assert.equal((state.video_infos as unknown[]).length, 1);
      assert.deepEqual(state.canvas_config, { width: 1080, height: 1920, aspect_ratio: '9:16' });
    });

    it('freezes 100 credits while running and charges them at the end; the next generation gets 2001 before any stream', async () => {
      sim.setOptions({ delays: { generateMs: 400 } });
      const r = await postRun(sim, token, runBody(sessionId, 'make a video about dogs'));
      const reader = (r.body as ReadableStream<Uint8Array>).getReader();
      await reader.read();
      assert.deepEqual(await credits(sim, token), { available: 0, frozen: 100, total: 100 });
      while (!(await reader.read()).done);
      assert.deepEqual(await credits(sim, token), { available: 0, frozen: 0, total: 0 });
      const again = await run(sim, token, sessionId, 'regenerate it please');
      assert.match(again.contentType, /^application\/json/);
      assert.equal(JSON.parse(again.body).code, 2001);
      assert.equal(sim.stats().runSseAccepted[sessionId], 1);
    });
  });

  describe('wire and streaming switches', () => {
    it('the v0 wire (snakeCase scenario, casing option, adkV0): snake_case envelope, camelCase content keys', async () => {
      sim.addScenario({ name: 'snakeCase' });
      const r = await run(sim, token, sessionId, 'make a video about rain');
      const e = r.events[0];
      assert.ok('invocation_id' in e && !('invocationId' in e));
      assert.ok(parts(e).some((p) => 'functionCall' in p) && !parts(e).some((p) => 'function_call' in p), 'part keys are google-genai camelCase in ADK 0.x too');
      assert.ok('state_delta' in (e.actions as Json));
      assert.ok(r.events.some((x) => 'long_running_tool_ids' in x));
      const camel = await run(sim, token, sessionId, 'what is in my video?');
      assert.ok('invocationId' in camel.events[0], 'the scenario covered one stream only');
      sim.setOptions({ casing: 'snake' });
      const snake = await run(sim, token, sessionId, 'what is in my video?');
      assert.ok('invocation_id' in snake.events[0]);
      const header = await run(sim, token, sessionId, 'what is in my video?', { headers: { 'X-Sim-Scenario': 'adkProgressive' } });
      assert.ok('invocationId' in header.events[0] && 'modelVersion' in header.events[0], 'a wire scenario overrides the option for its stream');
    });

    it('legacy streaming:true sends partial deltas, then one aggregated text, then the call on its own', async () => {
      sim.setOptions({ adkWire: 'legacy' });
      const r = await run(sim, token, sessionId, 'make a video about waves', { extra: { streaming: true } });
      const evs = r.events;
      const firstFull = evs.findIndex((e) => !e.partial && parts(e).some((p) => typeof p.text === 'string'));
      const partials = evs.slice(0, firstFull);
      assert.ok(partials.length >= 2 && partials.every((e) => e.partial === true));
      const aggregated = parts(evs[firstFull]).filter((p) => !p.thought);
      assert.equal(aggregated.length, 1);
      assert.equal(partials.filter((e) => parts(e)[0].thought !== true).map((e) => String(parts(e)[0].text)).join(''), String(aggregated[0].text));
      assert.ok('functionCall' in parts(evs[firstFull + 1])[0]);
      const ids = new Set(evs.map((e) => e.id));
      assert.equal(ids.size, evs.length, 'every event has its own id');
    });

    it('the streaming scenario forces partial events', async () => {
      sim.addScenario({ name: 'streaming', sessionId });
      const r = await run(sim, token, sessionId, 'hello?');
      assert.ok(r.events.some((e) => e.partial === true));
    });
  });

  describe('edits, silent replies and questions', () => {
    beforeEach(async () => {
      const user = sim.createUserToken();
      token = user;
      sessionId = (await newSession(sim, token)).sessionId;
      await generate(sim, token, sessionId, 'Make a 10 second video about a city timelapse');
    });

    it('"add jazz music" -> tool call, draft change, 50 credits', async () => {
      sim.addScenario({ name: 'verboseReply' });
      const before = await credits(sim, token);
      const r = await run(sim, token, sessionId, 'add some jazz music');
      assert.ok(calls(r.events).length >= 1);
      assert.match(texts(r.events).join(' '), /Smooth Jazz/);
      const draft = ((await getState(sim, token, sessionId)).data as Json).state as Json;
      const bgm = (draft.draft as { t: Array<{ tt: number; sg: Array<{ m: Json }> }> }).t.find((t) => t.tt === 1);
      assert.equal(bgm?.sg[0].m.name, 'Smooth Jazz');
      assert.equal((await credits(sim, token)).available, before.available - 50);
    });

    it('"change the title to …", "make it red", "make the intro shorter" change the draft', async () => {
      await run(sim, token, sessionId, 'change the title to "Paradise Found"');
      await run(sim, token, sessionId, 'make it red');
      await run(sim, token, sessionId, 'make the intro shorter');
      const draft = (((await getState(sim, token, sessionId)).data as Json).state as Json).draft as { t: Array<{ tt: number; sg: Array<{ d: number; m: Json }> }>; m: Json };
      const title = draft.t.find((t) => t.tt === 7)?.sg[0];
      assert.equal(title?.m.text, 'Paradise Found');
      assert.equal(title?.m.color, 'red');
      assert.equal(title?.d, 2000);
      assert.equal(draft.m.title, 'Paradise Found');
    });

    it('silentReply ends with tool calls only; silentRate 1 makes every edit silent', async () => {
      sim.addScenario({ name: 'silentReply' });
      const r = await run(sim, token, sessionId, 'add upbeat music');
      assert.equal(texts(r.events).length, 0);
      assert.ok(calls(r.events).length >= 1);
      sim.setOptions({ silentRate: 1 });
      const r2 = await run(sim, token, sessionId, 'make it blue');
      assert.equal(texts(r2.events).length, 0);
    });

    it('the default 30% silent rate is deterministic for a seed and produces both kinds', async () => {
      const pattern = async (): Promise<boolean[]> => {
        const out: boolean[] = [];
        for (let i = 0; i < 10; i++) out.push(texts((await run(sim, token, sessionId, i % 2 ? 'make it red' : 'make it blue')).events).length === 0);
        return out;
      };
      sim.setOptions({ seed: 7, delays: { editMs: 0, heartbeatMs: 0 } });
      const a = await pattern();
      sim.setOptions({ seed: 7 });
      const b = await pattern();
      assert.deepEqual(a, b);
      assert.ok(a.includes(true) && a.includes(false), JSON.stringify(a));
    });

    it('a question gets a short text answer, no tool calls, no charge', async () => {
      const before = await credits(sim, token);
      const r = await run(sim, token, sessionId, 'what is in my video?');
      assert.equal(calls(r.events).length, 0);
      assert.equal(texts(r.events).length, 1);
      assert.deepEqual(await credits(sim, token), before);
    });

    it('regenerate replaces the draft', async () => {
      await run(sim, token, sessionId, 'regenerate it as a 60 second video about mountains');
      const draft = (((await getState(sim, token, sessionId)).data as Json).state as Json).draft as Json;
      assert.equal(draft.d, 60000);
    });
  });

  it('frames are one data line plus a blank line each', async () => {
    const r = await generate(sim, token, sessionId);
    for (const f of frames(r.body)) {
      if (f.event === 'heartbeat') continue;
      assert.equal(f.raw.split('\n').length, 1, f.raw);
    }
    await eventually(async () => ((await getState(sim, token, sessionId)).code === 0 ? true : undefined));
  });
});
