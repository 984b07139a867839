import * as assert from 'node:assert/strict';
import { classify } from '../../../sim/agent';
import { type Draft, aspectHint, briefFromText, durationHintMs, labelFrom, rawDraft, setDuration } from '../../../sim/draft';
import { planEdits, quotedOrNamed } from '../../../sim/edits';
import { EventFactory, adkTimestamp, snakeKey } from '../../../sim/events';
import { Prng } from '../../../sim/prng';
import { textDeltas } from '../../../sim/runner';
import { errorLine, pythonJsonString, wireProfile } from '../../../sim/wire';

function sampleDraft(): Draft {
  return rawDraft(briefFromText('make a 10 second video about a city timelapse', false), 'http://x/v.mp4');
}

describe('simulator: scripted agent', function () {
  // Real loopback HTTP and real (short) simulator delays: generous under a loaded CI machine.
  this.timeout(20_000);
  it('derives label, title, duration and aspect from the user text', () => {
    assert.equal(labelFrom('Make a 30 second vertical video about a city timelapse at night'), 'city timelapse at night');
    assert.equal(labelFrom('Please create a clip of dogs playing in the snow.'), 'dogs playing in the snow');
    assert.equal(labelFrom('# Launch day\nOur new app ships today'), 'Launch day');
    assert.equal(durationHintMs('a 15-second clip'), 15_000);
    assert.equal(durationHintMs('one minute video'), 60_000);
    assert.equal(durationHintMs('a video'), undefined);
    assert.equal(aspectHint('for TikTok'), '9:16');
    assert.equal(aspectHint('square please'), '1:1');
    assert.equal(aspectHint('in 16:9'), '16:9');
    const b = briefFromText('make a 60 second square video about tea', false);
    assert.deepEqual([b.durationMs, b.width, b.height, b.title], [60_000, 1080, 1080, 'Tea']);
  });

  it('classifies generate / edit / question / aspect change', () => {
    const d = sampleDraft();
    assert.equal(classify('a city at night', undefined), 'generate', 'a first message makes a video');
    assert.equal(classify('what can you do?', undefined), 'question');
    assert.equal(classify('add music', d), 'edit');
    assert.equal(classify('make the intro shorter', d), 'edit');
    assert.equal(classify('make it red', d), 'edit');
    assert.equal(classify('regenerate it', d), 'generate');
    assert.equal(classify('create a new video about cats', d), 'generate');
    assert.equal(classify('make it vertical', d), 'aspectChange');
    assert.equal(classify('thanks!', d), 'question');
  });

  it('plans edits that really change the draft', () => {
    const d = sampleDraft();
    const ops = planEdits('add lo-fi music and change the title to "Night Owls"', d, { baseUrl: 'http://x', hostile: false });
    assert.deepEqual(ops.map((o) => o.tool), ['add_background_music', 'edit_multitrack']);
    for (const o of ops) o.apply(d);
    assert.equal(d.t.find((t) => t.tt === 1)?.sg[0].m.name, 'Lo-fi');
    assert.equal(d.t.find((t) => t.tt === 7)?.sg[0].m.text, 'Night Owls');
    assert.equal(quotedOrNamed("make the video's title 'Sunrise'"), 'Sunrise');
    assert.equal(quotedOrNamed('change the title to Golden Hour'), 'Golden Hour');
    setDuration(d, 4000);
    assert.ok(d.t.every((t) => t.sg.every((s) => s.s + s.d <= 4000)));
  });

  it('streams deltas that add up to the full text', () => {
    const text = 'Got it! I will generate a 10-second  city timelapse, then add music.';
    const deltas = textDeltas(text);
    assert.ok(deltas.length >= 2);
    assert.equal(deltas.join(''), text);
  });

  it('builds ADK events per wire: snake_case envelope only for v0, content keys always camelCase, tool args untouched', () => {
    const input = { parts: [{ functionCall: { id: 'adk-1', name: 'x', args: { aspect_ratio: '16:9', aspectRatio: 1 } } }], longRunningToolIds: [], stateDelta: { someKey: 1 }, finishReason: 'STOP', modelVersion: 'm', usage: { prompt: 10, candidates: 2 } };
    const progressive = new EventFactory(wireProfile('progressive'), 'e-1').build(input);
    assert.deepEqual(Object.keys(progressive), ['modelVersion', 'content', 'finishReason', 'usageMetadata', 'invocationId', 'author', 'actions', 'longRunningToolIds', 'id', 'timestamp']);
    const legacy = new EventFactory(wireProfile('legacy'), 'e-1').build(input);
    assert.deepEqual(Object.keys(legacy), ['content', 'finishReason', 'usageMetadata', 'invocationId', 'author', 'actions', 'longRunningToolIds', 'id', 'timestamp'], 'no modelVersion before 1.18');
    const v0 = new EventFactory(wireProfile('v0'), 'e-1').build(input);
    assert.deepEqual(Object.keys(v0), ['content', 'invocation_id', 'author', 'actions', 'long_running_tool_ids', 'id', 'timestamp'], 'no finish reason or usage in 0.x');
    const part = (v0.content as { parts: Array<Record<string, { args: unknown }>> }).parts[0];
    assert.deepEqual(Object.keys(part), ['functionCall'], 'google-genai keys stay camelCase in 0.x');
    assert.deepEqual(part.functionCall.args, { aspect_ratio: '16:9', aspectRatio: 1 });
    assert.deepEqual(v0.actions, { state_delta: { someKey: 1 }, artifact_delta: {}, requested_auth_configs: {} });
    assert.match(String(v0.id), /^[A-Za-z0-9]{8}$/);
    assert.match(String(legacy.id), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(snakeKey('requestedAuthConfigs'), 'requested_auth_configs');
    assert.ok(!Number.isInteger(adkTimestamp(1_773_423_600_000)));
  });

  it('splits an event with content and an artifactDelta from 1.22 only (same id and timestamp)', () => {
    const input = { parts: [{ functionResponse: { id: 'adk-1', name: 'x', response: {} } }], role: 'user' as const, stateDelta: { a: 1 }, artifactDelta: { 'f.mp4': 0 } };
    const [content, actionOnly, ...rest] = new EventFactory(wireProfile('progressive'), 'e-1').wire(input);
    assert.equal(rest.length, 0);
    assert.deepEqual((content.actions as Record<string, unknown>).artifactDelta, {});
    assert.equal(actionOnly.content, undefined);
    assert.deepEqual(actionOnly.actions, { stateDelta: { a: 1 }, artifactDelta: { 'f.mp4': 0 }, requestedAuthConfigs: {}, requestedToolConfirmations: {} });
    assert.deepEqual([actionOnly.id, actionOnly.timestamp], [content.id, content.timestamp]);
    for (const wire of ['legacy', 'v0'] as const) assert.equal(new EventFactory(wireProfile(wire), 'e-1').wire(input).length, 1, wire);
  });

  it('writes error lines like Python: json.dumps (1.24+) or the raw f-string', () => {
    const msg = 'it said "no"\nDetails: – 🎬 \u0007';
    assert.equal(errorLine(wireProfile('progressive'), msg), '{"error": "it said \\"no\\"\\nDetails: \\u2013 \\ud83c\\udfac \\u0007"}');
    assert.deepEqual(JSON.parse(errorLine(wireProfile('progressive'), msg)), { error: msg });
    assert.equal(errorLine(wireProfile('legacy'), msg), `{"error": "${msg}"}`);
    assert.equal(errorLine(wireProfile('v0'), msg), `{"error": "${msg}"}`);
    assert.equal(pythonJsonString('a/b\\c\u007f'), '"a/b\\\\c\\u007f"');
  });

  it('the PRNG is deterministic per seed', () => {
    const a = new Prng(5);
    const b = new Prng(5);
    const xs = Array.from({ length: 5 }, () => a.next());
    assert.deepEqual(xs, Array.from({ length: 5 }, () => b.next()));
    assert.ok(xs.every((x) => x >= 0 && x < 1));
  });
});
