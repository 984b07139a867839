// classifyPayload against docs/protocol.md §4.8, rule by rule, in both key casings.
import * as assert from 'node:assert/strict';
import { classifyPayload } from '../../../src/core/sse/parse';
import type { AgentEvent } from '../../../src/core/sse/events';

const HB: AgentEvent = { type: 'heartbeat' };

interface Row {
  name: string;
  data: string;
  event?: string;
  expect: AgentEvent[];
}

const rows: Row[] = [
  // Rule 1
  { name: 'empty data', data: '', expect: [HB] },
  { name: 'whitespace-only data', data: '  \t ', expect: [HB] },
  { name: 'literal heartbeat', data: 'heartbeat', expect: [HB] },
  { name: 'not JSON', data: 'ping 42', expect: [HB] },
  { name: 'event: heartbeat with any data', data: '{"content":{"parts":[{"text":"x"}]}}', event: 'heartbeat', expect: [HB] },
  { name: 'JSON that is not an object', data: '{', expect: [HB] },
  // Rule 2
  { name: '{"type":"heartbeat"}', data: '{"type":"heartbeat"}', expect: [HB] },
  { name: '{"type": "heartbeat"} with spaces', data: '{ "type" : "heartbeat" , "ts": 1 }', expect: [HB] },
  // Rule 3
  { name: 'stream error', data: '{"error": "Tool generate_video_with_seedance failed: upstream timeout"}', expect: [{ type: 'streamError', message: 'Tool generate_video_with_seedance failed: upstream timeout' }] },
  {
    name: 'stream error that is invalid JSON (unescaped quotes)',
    data: '{"error": "Tool "edit_multitrack" failed: bad "title""}',
    expect: [{ type: 'streamError', message: 'Tool "edit_multitrack" failed: bad "title"' }],
  },
  { name: 'invalid-JSON error without the usual shape keeps the raw text', data: '{"error": oops}', expect: [{ type: 'streamError', message: '{"error": oops}' }] },
  { name: 'error object with a message', data: '{"error":{"message":"quota exceeded","code":7}}', expect: [{ type: 'streamError', message: 'quota exceeded' }] },
  // ADK 1.23's failed run: an event by `system` with an empty invocation id and "Error: …" (both casings).
  { name: 'system error event camelCase', data: '{"content":{"parts":[{"text":"Error: quota exceeded"}]},"author":"system","invocationId":""}', expect: [{ type: 'streamError', message: 'quota exceeded' }] },
  { name: 'system error event snake_case', data: '{"content":{"parts":[{"text":"Error: quota exceeded"}]},"author":"system","invocation_id":""}', expect: [{ type: 'streamError', message: 'quota exceeded' }] },
  { name: 'a system event in a run is text', data: '{"content":{"parts":[{"text":"Error: not really"}]},"author":"system","invocationId":"e-1"}', expect: [{ type: 'text', text: 'Error: not really', partial: false, author: 'system' }] },
  // Rule 4
  { name: 'agent error camelCase', data: '{"errorCode":"SAFETY","errorMessage":"blocked","author":"nemo_agent"}', expect: [{ type: 'agentError', code: 'SAFETY', message: 'blocked' }] },
  { name: 'agent error snake_case', data: '{"error_code":"MALFORMED_FUNCTION_CALL","error_message":"bad call"}', expect: [{ type: 'agentError', code: 'MALFORMED_FUNCTION_CALL', message: 'bad call' }] },
  { name: 'agent error code only', data: '{"errorCode":"MAX_TOKENS"}', expect: [{ type: 'agentError', code: 'MAX_TOKENS', message: '' }] },
  { name: 'agent error message only', data: '{"error_message":"model overloaded"}', expect: [{ type: 'agentError', message: 'model overloaded' }] },
  // Rule 5
  {
    name: 'complete text with author and id',
    data: '{"content":{"parts":[{"text":"Hello"}],"role":"model"},"author":"nemo_agent","id":"e1"}',
    expect: [{ type: 'text', text: 'Hello', partial: false, author: 'nemo_agent', eventId: 'e1' }],
  },
  { name: 'partial text', data: '{"content":{"parts":[{"text":"Hel"}]},"partial":true}', expect: [{ type: 'text', text: 'Hel', partial: true }] },
  { name: 'thought parts are hidden', data: '{"content":{"parts":[{"text":"secret plan","thought":true},{"text":"Visible"}]}}', expect: [{ type: 'text', text: 'Visible', partial: false }] },
  {
    name: 'text and functionCall in one event, in order',
    data: '{"content":{"parts":[{"text":"Got it!"},{"functionCall":{"id":"adk-1","name":"generate_video_with_seedance","args":{"duration":10}}}]}}',
    expect: [
      { type: 'text', text: 'Got it!', partial: false },
      { type: 'toolCall', id: 'adk-1', name: 'generate_video_with_seedance', args: { duration: 10 } },
    ],
  },
  { name: 'function_call snake_case', data: '{"content":{"parts":[{"function_call":{"id":"adk-2","name":"edit_multitrack","args":{"op":"title"}}}]}}', expect: [{ type: 'toolCall', id: 'adk-2', name: 'edit_multitrack', args: { op: 'title' } }] },
  { name: 'functionCall without args', data: '{"content":{"parts":[{"functionCall":{"name":"edit_multitrack"}}]}}', expect: [{ type: 'toolCall', name: 'edit_multitrack', args: {} }] },
  { name: 'functionResponse', data: '{"content":{"parts":[{"functionResponse":{"id":"adk-1","name":"edit_multitrack","response":{"ok":true}}}],"role":"user"}}', expect: [{ type: 'toolResult', id: 'adk-1', name: 'edit_multitrack', response: { ok: true } }] },
  { name: 'function_response snake_case', data: '{"content":{"parts":[{"function_response":{"name":"edit_multitrack","response":"done"}}]}}', expect: [{ type: 'toolResult', name: 'edit_multitrack', response: 'done' }] },
  // Long-running calls (pending until a later event answers them), in both casings.
  {
    name: 'longRunningToolIds marks the call',
    data: '{"content":{"parts":[{"functionCall":{"id":"adk-3","name":"generate_video_with_seedance","args":{}}}]},"longRunningToolIds":["adk-3"]}',
    expect: [{ type: 'toolCall', id: 'adk-3', name: 'generate_video_with_seedance', args: {}, longRunning: true }],
  },
  {
    name: 'long_running_tool_ids snake_case',
    data: '{"content":{"parts":[{"function_call":{"id":"adk-4","name":"generate_video_with_seedance","args":{}}}]},"long_running_tool_ids":["adk-4"]}',
    expect: [{ type: 'toolCall', id: 'adk-4', name: 'generate_video_with_seedance', args: {}, longRunning: true }],
  },
  { name: 'a call not listed as long-running', data: '{"content":{"parts":[{"functionCall":{"id":"adk-5","name":"edit_multitrack"}}]},"longRunningToolIds":["adk-3"]}', expect: [{ type: 'toolCall', id: 'adk-5', name: 'edit_multitrack', args: {} }] },
  { name: 'other part kinds are ignored', data: '{"content":{"parts":[{"inlineData":{"mimeType":"image/png","data":"AAAA"}},{"executableCode":{"code":"x"}}]}}', expect: [] },
  { name: 'empty text is not shown', data: '{"content":{"parts":[{"text":""}]}}', expect: [] },
  // Rule 6
  { name: 'simplified text', data: '{"type":"text","content":"Hi there"}', expect: [{ type: 'text', text: 'Hi there', partial: false }] },
  { name: 'simplified tool_call', data: '{"type":"tool_call","name":"edit_multitrack","args":{"a":1}}', expect: [{ type: 'toolCall', name: 'edit_multitrack', args: { a: 1 } }] },
  { name: 'simplified tool_result', data: '{"type":"tool_result","name":"edit_multitrack","result":{"ok":true}}', expect: [{ type: 'toolResult', name: 'edit_multitrack', response: { ok: true } }] },
  // Rule 7
  { name: 'action-only event with empty deltas', data: '{"actions":{"stateDelta":{},"artifactDelta":{"a.png":1}},"author":"nemo_agent","id":"x"}', expect: [] },
  { name: 'unknown type', data: '{"type":"progress","pct":5}', expect: [] },
  { name: 'content is a string (schema violation)', data: '{"content":"{\\"parts\\":[]}"}', expect: [] },
  { name: 'parts is an object', data: '{"content":{"parts":{"text":"x"}}}', expect: [] },
  { name: 'text is a number', data: '{"content":{"parts":[{"text":42}]}}', expect: [] },
  { name: 'functionCall without a name', data: '{"content":{"parts":[{"functionCall":{"args":{}}}]}}', expect: [] },
  { name: 'JSON array', data: '[1,2,3]', expect: [HB] },
  // Rule 8
  { name: 'stateDelta camelCase', data: '{"actions":{"stateDelta":{"draft":{},"video_infos":[]}}}', expect: [{ type: 'stateHint', keys: ['draft', 'video_infos'] }] },
  { name: 'state_delta snake_case', data: '{"actions":{"state_delta":{"draft":1}}}', expect: [{ type: 'stateHint', keys: ['draft'] }] },
];

describe('sse/classifyPayload (§4.8)', function () {
  // The 5 MB and every-split-position cases take a while on a loaded CI machine.
  this.timeout(30_000);

  for (const row of rows) {
    it(row.name, () => {
      assert.deepStrictEqual(classifyPayload(row.data, row.event), row.expect);
    });
  }

  it('the parts of an event come before its state hint', () => {
    const data = '{"content":{"parts":[{"functionResponse":{"name":"t","response":{}}}]},"actions":{"stateDelta":{"draft":{}}}}';
    assert.deepStrictEqual(
      classifyPayload(data).map((e) => e.type),
      ['toolResult', 'stateHint'],
    );
  });

  it('an agent error event that also has content reports both', () => {
    const data = '{"errorCode":"SAFETY","content":{"parts":[{"text":"Partial answer"}]}}';
    assert.deepStrictEqual(
      classifyPayload(data).map((e) => e.type),
      ['agentError', 'text'],
    );
  });

  it('`error` next to content is not a stream error (rule 3 needs no content)', () => {
    const events = classifyPayload('{"error":"x","content":{"parts":[{"text":"fine"}]}}');
    assert.deepStrictEqual(events, [{ type: 'text', text: 'fine', partial: false }]);
  });

  it('a stream error message is capped so a broken server cannot flood the chat', () => {
    const [event] = classifyPayload(`{"error": "${'x'.repeat(100_000)}"}`);
    assert.equal(event.type, 'streamError');
    assert.ok(event.type === 'streamError' && event.message.length <= 2_001);
  });

  it('deeply nested JSON does not throw (and an error buried in it stays readable)', () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    assert.deepStrictEqual(classifyPayload(deep), [HB]);
    const nestedArgs = `{"content":{"parts":[{"functionCall":{"name":"edit_multitrack","args":{"a":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}}}]}}`;
    const events = classifyPayload(nestedArgs);
    assert.equal(events.length, 1);
    assert.equal(events[0].type, 'toolCall');
    const nestedError = `{"error":${'{"x":'.repeat(50_000)}1${'}'.repeat(50_000)}}`;
    const [err] = classifyPayload(nestedError);
    assert.equal(err.type, 'streamError');
  });

  it('a 5 MB text payload is classified whole', () => {
    const big = 'é'.repeat(5 * 1024 * 1024);
    const events = classifyPayload(JSON.stringify({ content: { parts: [{ text: big }] } }));
    assert.equal(events.length, 1);
    assert.ok(events[0].type === 'text' && events[0].text.length === big.length);
  });

  it('returns a fresh array each call (callers may keep it)', () => {
    const a = classifyPayload('{"type":"text","content":"a"}');
    const b = classifyPayload('{"type":"text","content":"b"}');
    assert.notEqual(a, b);
    assert.deepStrictEqual(a, [{ type: 'text', text: 'a', partial: false }]);
  });
});
