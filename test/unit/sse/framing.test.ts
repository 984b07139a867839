// agentEvents: SSE framing on the wire (§4.3) — CRLF, comments, multi-line data,
// chunk borders inside UTF-8 characters and inside lines, no trailing blank line,
// a 5 MB line, every heartbeat form, both key casings — plus abort and failures.
import * as assert from 'node:assert/strict';
import { agentEvents, createAgentEventParser } from '../../../src/core/sse/parse';
import type { AgentEvent } from '../../../src/core/sse/events';
import { SPEC_ERROR_ENDING, SPEC_STREAM_CAMEL, SPEC_STREAM_EVENTS, SPEC_STREAM_SNAKE } from './support/specStream';
import { chunkedStream, collect, collectText, ControlledStream, failingStream, utf8 } from './support/streams';
import { flushMicrotasks } from '../../support/fakeClock';

const HB: AgentEvent = { type: 'heartbeat' };
const text = (t: string, partial = false): AgentEvent => ({ type: 'text', text: t, partial });

describe('sse/agentEvents framing (§4.3)', function () {
  // The 5 MB and every-split-position cases take a while on a loaded CI machine.
  this.timeout(30_000);

  it('classifies the §4.7 example stream (camelCase) in order', async () => {
    assert.deepStrictEqual(await collectText(SPEC_STREAM_CAMEL), SPEC_STREAM_EVENTS);
  });

  it('classifies the §4.7 example stream in snake_case identically', async () => {
    assert.notEqual(SPEC_STREAM_SNAKE, SPEC_STREAM_CAMEL);
    assert.ok(SPEC_STREAM_SNAKE.includes('"function_call"') && SPEC_STREAM_SNAKE.includes('"state_delta"'));
    assert.deepStrictEqual(await collectText(SPEC_STREAM_SNAKE), SPEC_STREAM_EVENTS);
  });

  it('classifies the §4.7 failing ending as a stream error', async () => {
    assert.deepStrictEqual(await collectText(SPEC_ERROR_ENDING), [
      { type: 'streamError', message: 'Tool generate_video_with_seedance failed: upstream timeout' },
    ]);
  });

  it('handles CRLF and bare CR line endings', async () => {
    const crlf = SPEC_STREAM_CAMEL.replace(/\n/g, '\r\n');
    assert.deepStrictEqual(await collectText(crlf), SPEC_STREAM_EVENTS);
    const cr = SPEC_STREAM_CAMEL.replace(/\n/g, '\r');
    assert.deepStrictEqual(await collectText(cr), SPEC_STREAM_EVENTS);
  });

  it('a CRLF pair split across two chunks is one line break, not two', async () => {
    const stream = 'data: {"type":"text","content":"a"}\r\n\r\ndata: {"type":"text","content":"b"}\r\n\r\n';
    const cut = stream.indexOf('\r\n') + 1; // between \r and \n
    assert.deepStrictEqual(await collectText(stream, [cut, 1000]), [text('a'), text('b')]);
  });

  it('every heartbeat form is a heartbeat: comment, empty data, literal, object, event name', async () => {
    const stream = [': keep-alive', '', 'data:', '', 'data: ', '', 'data: heartbeat', '', 'data: {"type":"heartbeat"}', '', 'event: heartbeat', 'data: {}', '', ':', '', ''].join('\n');
    assert.deepStrictEqual(await collectText(stream), [HB, HB, HB, HB, HB, HB, HB]);
  });

  it('ignores id:, retry: and unknown fields, and an event: line without data', async () => {
    const stream = 'id: 7\nretry: 1000\nfoo: bar\ndata: {"type":"text","content":"x"}\n\nevent: heartbeat\n\nretry: soon\n\n';
    assert.deepStrictEqual(await collectText(stream), [text('x')]);
  });

  it('joins multi-line data with \\n before classifying', async () => {
    const stream = 'data: {"content":{"parts":[{"text":\ndata: "two\\nlines"}]},\ndata: "partial":true}\n\n';
    assert.deepStrictEqual(await collectText(stream), [text('two\nlines', true)]);
  });

  it('splits inside multi-byte UTF-8 characters at every possible byte', async () => {
    const stream = 'data: {"type":"text","content":"✅ 中文 🎬 café"}\n\n';
    const bytes = utf8(stream);
    for (let cut = 1; cut < bytes.length; cut++) {
      assert.deepStrictEqual(await collect(chunkedStream(bytes, [cut, bytes.length])), [text('✅ 中文 🎬 café')], `cut at byte ${cut}`);
    }
  });

  it('reads a stream delivered one byte at a time', async () => {
    assert.deepStrictEqual(await collect(chunkedStream(utf8(SPEC_STREAM_CAMEL), [1])), SPEC_STREAM_EVENTS);
  });

  it('splits inside lines at every position of the §4.7 stream', async () => {
    const bytes = utf8(SPEC_STREAM_CAMEL);
    for (let cut = 1; cut < bytes.length; cut += 7) {
      assert.deepStrictEqual(await collect(chunkedStream(bytes, [cut, bytes.length])), SPEC_STREAM_EVENTS, `cut at byte ${cut}`);
    }
  });

  it('flushes a final event that has no trailing blank line (§4.3 ASSUMPTION)', async () => {
    assert.deepStrictEqual(await collectText('data: {"type":"text","content":"last"}'), [text('last')]);
    assert.deepStrictEqual(await collectText('data: {"type":"text","content":"last"}\n'), [text('last')]);
    assert.deepStrictEqual(await collectText('data: {"type":"text","content":"last"}\r'), [text('last')]);
    assert.deepStrictEqual(await collectText('data: {"type":"text","content":"a"}\n\ndata: {"type":"text","content":"b"}'), [text('a'), text('b')]);
  });

  it('flushes a final event whose last UTF-8 character is cut off: no throw, no garbage', async () => {
    const bytes = utf8('data: {"type":"text","content":"ok"}\n\ndata: {"type":"text","content":"✅"}');
    const events = await collect(chunkedStream(bytes.slice(0, bytes.length - 3)));
    assert.deepStrictEqual(events, [text('ok'), HB]);
  });

  it('an empty body yields nothing', async () => {
    assert.deepStrictEqual(await collectText(''), []);
  });

  it('strips a UTF-8 BOM at the start of the stream', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('data: {"type":"text","content":"x"}\n\n')]);
    assert.deepStrictEqual(await collect(chunkedStream(bytes)), [text('x')]);
  });

  it('reads a single 5 MB data line, whole and in small chunks', async () => {
    const big = 'ü'.repeat(2.5 * 1024 * 1024); // 5 MB of UTF-8
    const stream = `: hi\n\ndata: ${JSON.stringify({ content: { parts: [{ text: big }] } })}\n\ndata: {"type":"heartbeat"}\n\n`;
    const bytes = utf8(stream);
    assert.ok(bytes.length > 5 * 1024 * 1024);
    for (const chunks of [[bytes.length], [65_537], [16_383]]) {
      const events = await collect(chunkedStream(bytes, chunks));
      assert.equal(events.length, 3);
      assert.equal(events[1].type, 'text');
      assert.ok(events[1].type === 'text' && events[1].text === big);
    }
  });

  it('stops with a stream error when one event exceeds the memory cap', () => {
    const parser = createAgentEventParser(1024);
    assert.deepStrictEqual(parser.feed('data: {"type":"text","content":"small"}\n\n'), [text('small')]);
    const events = parser.feed(`data: ${'x'.repeat(2000)}`);
    assert.equal(events.length, 1);
    assert.equal(events[0].type, 'streamError');
    assert.ok(parser.overflowed);
    assert.deepStrictEqual(parser.feed('data: {"type":"text","content":"more"}\n\n'), []);
  });

  it('a read error after some events is thrown after those events (a dropped connection)', async () => {
    const seen: AgentEvent[] = [];
    const boom = new TypeError('terminated');
    await assert.rejects(async () => {
      for await (const batch of agentEvents(failingStream(utf8('data: {"type":"text","content":"a"}\n\n'), boom))) seen.push(...batch);
    }, (e: unknown) => e === boom);
    assert.deepStrictEqual(seen, [text('a')]);
  });

  it('abort wakes a pending read at once and throws an AbortError', async () => {
    const stream = new ControlledStream();
    const controller = new AbortController();
    const seen: AgentEvent[] = [];
    const done = (async () => {
      for await (const batch of agentEvents(stream.body, controller.signal)) seen.push(...batch);
    })();
    stream.event({ type: 'text', content: 'first' });
    await flushMicrotasks();
    assert.deepStrictEqual(seen, [text('first')]);
    controller.abort();
    await assert.rejects(done, (e: unknown) => e instanceof Error && e.name === 'AbortError');
    assert.ok(stream.cancelled, 'the body is cancelled, freeing the connection');
  });

  it('an already-aborted signal throws before reading and cancels the body', async () => {
    const stream = new ControlledStream();
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(collect(stream.body, controller.signal), (e: unknown) => e instanceof Error && e.name === 'AbortError');
    assert.ok(stream.cancelled);
  });

  it('breaking out of the loop cancels the body', async () => {
    const stream = new ControlledStream();
    stream.event({ type: 'text', content: 'a' });
    stream.event({ type: 'text', content: 'b' });
    for await (const batch of agentEvents(stream.body)) {
      assert.deepStrictEqual(batch[0], text('a'));
      break;
    }
    assert.ok(stream.cancelled);
  });

  it('delivers events as they arrive, not at the end', async () => {
    const stream = new ControlledStream();
    const seen: AgentEvent[] = [];
    const done = (async () => {
      for await (const batch of agentEvents(stream.body)) seen.push(...batch);
    })();
    stream.write('data: {"type":"text","con');
    await flushMicrotasks();
    assert.deepStrictEqual(seen, []);
    stream.write('tent":"hello"}\n\n');
    await flushMicrotasks();
    assert.deepStrictEqual(seen, [text('hello')]);
    stream.close();
    await done;
  });
});
