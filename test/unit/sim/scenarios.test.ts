import * as assert from 'node:assert/strict';
import { HOSTILE, type Simulator } from '../../../sim/server';
import { type Json, anonymousToken, auth, calls, credits, eventually, frames, generate, getState, isHeartbeat, json, newSession, postRun, run, runBody, startWithSession, texts } from './simHelpers';

describe('simulator: stream scenarios (§4.6, §4.9, §4.10)', function () {
  // Real loopback HTTP and real (short) simulator delays: generous under a loaded CI machine.
  this.timeout(20_000);
  let sim: Simulator;
  let token: string;
  let sessionId: string;
  beforeEach(async () => ({ sim, token, sessionId } = await startWithSession()));
  afterEach(() => sim.close());

  it('streamError: a {"error": …} line, then the server closes; credits are released', async () => {
    sim.addScenario({ name: 'streamError', sessionId });
    const before = await credits(sim, token);
    const r = await run(sim, token, sessionId, 'make a video about cats');
    const last = r.frames.filter((f) => !isHeartbeat(f)).pop();
    assert.equal(last?.data, '{"error": "Tool generate_video_with_seedance failed: upstream timeout"}');
    assert.deepEqual(await credits(sim, token), before);
  });

  it('streamErrorInvalidJson: quotes in the message; invalid JSON on the f-string wires, escaped by json.dumps on progressive', async () => {
    sim.addScenario({ name: 'streamErrorInvalidJson' });
    const r = await run(sim, token, sessionId, 'make a video about cats', { headers: { 'X-Sim-Scenario': 'adkLegacy' } });
    const last = r.frames.filter((f) => !isHeartbeat(f)).pop();
    assert.equal(last?.data, '{"error": "it said "no" here"}');
    assert.throws(() => JSON.parse(String(last?.data)));
    sim.addScenario({ name: 'streamErrorInvalidJson' });
    const progressive = await run(sim, token, sessionId, 'make a video about cats');
    const line = progressive.frames.filter((f) => !isHeartbeat(f)).pop();
    assert.equal(line?.data, '{"error": "it said \\"no\\" here"}');
    assert.deepEqual(JSON.parse(String(line?.data)), { error: 'it said "no" here' });
  });

  it('agentError: an event with errorCode and errorMessage ends the run', async () => {
    sim.addScenario({ name: 'agentError' });
    const r = await run(sim, token, sessionId, 'make a video about cats');
    const last = r.events[r.events.length - 1];
    assert.equal(last.errorCode, 'MALFORMED_FUNCTION_CALL');
    assert.match(String(last.errorMessage), /generate_video_with_seedance/);
    assert.equal(last.content, undefined);
  });

  it('temporaryIssue: a normal run followed by a trailing "temporary issue" text', async () => {
    sim.addScenario({ name: 'temporaryIssue' });
    const r = await run(sim, token, sessionId, 'make a video about cats');
    const said = texts(r.events);
    assert.match(said[said.length - 2], /click Export/);
    assert.match(said[said.length - 1], /^I encountered a temporary issue/);
  });

  it('dropStream: the connection dies after the first event, yet the backend finishes and the state changes later', async () => {
    sim.addScenario({ name: 'dropStream', sessionId });
    const r = await postRun(sim, token, runBody(sessionId, 'make a video about cats'));
    assert.equal(r.status, 200);
    const reader = (r.body as ReadableStream<Uint8Array>).getReader();
    let received = '';
    await assert.rejects(async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        received += Buffer.from(value).toString('utf8');
      }
    });
    assert.equal(frames(received).filter((f) => !isHeartbeat(f)).length, 1);
    const draft = await eventually(async () => {
      const st = await getState(sim, token, sessionId);
      const d = ((st.data as Json).state as Json).draft as { t?: unknown[] };
      return d.t && d.t.length === 3 ? d : undefined;
    });
    assert.equal(draft.t?.length, 3);
    assert.equal(sim.stats().runSsePosts[sessionId], 1);
  });

  it('heartbeatStall: heartbeats only until the client disconnects, nothing charged', async () => {
    sim.addScenario({ name: 'heartbeatStall' });
    const before = await credits(sim, token);
    const ac = new AbortController();
    const r = await postRun(sim, token, runBody(sessionId, 'make a video about cats'), {}, ac.signal);
    const reader = (r.body as ReadableStream<Uint8Array>).getReader();
    let received = '';
    while (frames(received).length < 12) received += Buffer.from((await reader.read()).value ?? new Uint8Array()).toString('utf8');
    assert.ok(frames(received).every(isHeartbeat), received);
    ac.abort();
    await eventually(async () => ((await credits(sim, token)).frozen === 0 ? true : undefined));
    assert.deepEqual(await credits(sim, token), before);
  });

  it('askQuestion: a functionCall ask_question with question and options', async () => {
    sim.addScenario({ name: 'askQuestion' });
    const r = await run(sim, token, sessionId, 'make a video');
    const c = calls(r.events);
    assert.equal(c.length, 1);
    assert.equal(c[0].name, 'ask_question');
    const args = c[0].args as Json;
    assert.equal(typeof args.question, 'string');
    assert.ok(Array.isArray(args.options) && args.options.length > 1);
    assert.deepEqual(r.events[0].longRunningToolIds, [c[0].id]);
  });

  it('noCredits: 2001 before the stream, as JSON', async () => {
    sim.addScenario({ name: 'noCredits' });
    const r = await run(sim, token, sessionId, 'make a video');
    assert.match(r.contentType, /^application\/json/);
    assert.equal(JSON.parse(r.body).code, 2001);
    assert.equal(sim.stats().runSseAccepted[sessionId], undefined);
  });

  it('rateLimited on /run_sse rejects before anything is accepted', async () => {
    sim.addScenario({ name: 'rateLimited', params: { path: '/run_sse', retryAfter: 1 } });
    const r = await run(sim, token, sessionId, 'make a video');
    assert.equal(r.status, 429);
    assert.equal(sim.stats().runSsePosts[sessionId], 1);
    assert.equal(sim.stats().runSseAccepted[sessionId], undefined);
  });

  it('hostileText: texts, segment names, titles, task name and filenames carry the payloads', async () => {
    sim.addScenario({ name: 'hostileText' });
    const s = await newSession(sim, token);
    const r = await generate(sim, token, s.sessionId);
    const said = texts(r.events).join('\n');
    for (const p of [HOSTILE.imgOnerror, HOSTILE.scriptBreakout, HOSTILE.markdownJsLink, HOSTILE.commandUri, HOSTILE.fileUri]) assert.ok(said.includes(p), p);
    const st = (await getState(sim, token, s.sessionId)).data as Json;
    assert.ok(String(st.task_name).includes('</script>'));
    const draft = (st.state as Json).draft as { t: Array<{ tt: number; sg: Array<{ m: Json }> }>; m: Json };
    assert.equal(draft.m.title, '../../etc/passwd');
    assert.ok(String(draft.t[0].sg[0].m.name).includes(HOSTILE.imgOnerror));
    assert.ok(String(draft.t[0].sg[0].m.name).length > 300);
    assert.equal(draft.t[1].sg[0].m.name, 'con');
    const up = await fetch(`${sim.url}/api/upload-video/nemo_agent/me/${s.sessionId}`, {
      method: 'POST',
      headers: auth(token, { 'Content-Type': 'application/json' }),
      body: JSON.stringify({ urls: ['https://example.com/a.mp4'], source_type: 'url' }),
    });
    const files = ((await json(up)).data as { files: Json[] }).files;
    assert.ok(String(files[0].filename).includes('../'));
    assert.ok(/[\u0000-\u001f]/.test(String(files[0].filename)));
  });

  it('X-Sim-Scenario arms a scenario for one request; an unknown name is a 400', async () => {
    const r = await run(sim, token, sessionId, 'make a video', { headers: { 'X-Sim-Scenario': 'adkV0, streamErrorInvalidJson' } });
    assert.ok(r.body.includes('"it said "no" here"'));
    const again = await run(sim, token, sessionId, 'what is in my video?');
    assert.ok(!again.body.includes('"error"'));
    const bad = await fetch(`${sim.url}/api/credits/balance/simple`, { headers: auth(token, { 'X-Sim-Scenario': 'noSuchThing' }) });
    assert.equal(bad.status, 400);
  });

  it('X-Sim-Scenario-Params carries params (rateLimited with Retry-After)', async () => {
    const r = await fetch(`${sim.url}/api/credits/balance/simple`, { headers: auth(token, { 'X-Sim-Scenario': 'rateLimited', 'X-Sim-Scenario-Params': '{"retryAfter":3}' }) });
    assert.equal(r.status, 429);
    assert.equal(r.headers.get('retry-after'), '3');
  });

  it('admin HTTP API: scenario, stats, user-token, options, reset', async () => {
    const post = (path: string, body: unknown) => fetch(`${sim.url}/__sim/${path}`, { method: 'POST', body: JSON.stringify(body) });
    assert.equal((await post('scenario', { name: 'nope' })).status, 400);
    assert.equal((await post('scenario', { name: 'noCredits', times: 2 })).status, 200);
    const listed = (await (await fetch(`${sim.url}/__sim/scenario`)).json()) as { scenarios: Array<{ name: string; times: number }> };
    assert.deepEqual(listed.scenarios, [{ name: 'noCredits', times: 2, sessionId: undefined, params: undefined }].map((s) => JSON.parse(JSON.stringify(s))));
    assert.equal((await fetch(`${sim.url}/__sim/scenario`, { method: 'DELETE' })).status, 200);
    const { token: t2 } = (await (await post('user-token', { credits: 42 })).json()) as { token: string };
    assert.equal((await credits(sim, t2)).available, 42);
    const opts = (await (await post('options', { silentRate: 0.5 })).json()) as { options: { silentRate: number } };
    assert.equal(opts.options.silentRate, 0.5);
    assert.equal((await post('options', { port: 1 })).status, 400);
    const stats = (await (await fetch(`${sim.url}/__sim/stats`)).json()) as { requests: Array<{ path: string }> };
    assert.ok(stats.requests.some((r) => r.path === '/api/credits/balance/simple'));
    assert.ok(!stats.requests.some((r) => r.path.startsWith('/__sim')));
    await post('reset', {});
    assert.equal((await json(await fetch(`${sim.url}/api/credits/balance/simple`, { headers: auth(t2) }))).code, 1001);
    assert.equal(sim.stats().requests.length, 1);
  });

  it('stats record the Authorization header a request carried (tests check where the token went)', async () => {
    const { token: anon } = await anonymousToken(sim);
    await fetch(`${sim.url}/api/credits/balance/simple`, { headers: auth(anon) });
    const rec = sim.stats().requests.find((r) => r.path === '/api/credits/balance/simple');
    assert.equal(rec?.authorization, `Bearer ${anon}`);
    assert.equal(rec?.status, 200);
    assert.equal(rec?.headers['x-skill-platform'], 'vscode');
  });
});
