// Many small events (a long reply streamed in tiny partials): every event comes out
// whole and in order, however the chunks cut it, and each payload is decoded exactly
// once. Together with the 5 MB line in framing.test.ts, this pins the reader to work
// proportional to the bytes: nothing buffered is re-scanned or re-classified per chunk.
import * as assert from 'node:assert/strict';
import { createAgentEventParser } from '../../../src/core/sse/parse';
import { chunkedStream, collect, utf8 } from './support/streams';

const EVENTS = 100_000;

function partials(): { texts: string[]; stream: string; payloadChars: number } {
  const texts: string[] = [];
  const lines: string[] = [];
  let payloadChars = 0;
  for (let i = 0; i < EVENTS; i++) {
    const text = `w${i % 997} ${i % 13 === 0 ? '\n' : ''}ü`;
    texts.push(text);
    const payload = JSON.stringify({ content: { parts: [{ text }], role: 'model' }, partial: true, author: 'nemo_agent' });
    payloadChars += payload.length;
    // A heartbeat comment now and then, as the server sends them between events.
    lines.push(i % 100 === 0 ? `: keep-alive\n\ndata: ${payload}\n\n` : `data: ${payload}\n\n`);
  }
  return { texts, stream: lines.join(''), payloadChars };
}

describe('sse: many small events', function () {
  this.timeout(30_000);
  const { texts, stream, payloadChars } = partials();

  it('100,000 partial events in 61-byte chunks (nearly every event split, UTF-8 cut) come out whole, in order, each decoded once', async () => {
    const realParse = JSON.parse;
    let parsedChars = 0;
    let parses = 0;
    JSON.parse = ((text: string, reviver?: (this: unknown, key: string, value: unknown) => unknown) => {
      parses++;
      parsedChars += text.length;
      return realParse(text, reviver);
    }) as typeof JSON.parse;
    let events;
    try {
      events = await collect(chunkedStream(utf8(stream), [61]));
    } finally {
      JSON.parse = realParse;
    }
    const shown = events.filter((e) => e.type === 'text');
    assert.equal(shown.length, EVENTS);
    const wrong = shown.findIndex((e, i) => e.type !== 'text' || e.text !== texts[i] || !e.partial);
    assert.equal(wrong, -1, `event ${wrong} is not the text sent`);
    assert.equal(events.length - shown.length, EVENTS / 100, 'the keep-alive comments are heartbeats');
    assert.equal(parses, EVENTS, 'one JSON.parse per payload');
    assert.equal(parsedChars, payloadChars, 'each payload is decoded once, nothing more');
  });

  it('the synchronous parser hands back only the events each chunk completed', () => {
    const parser = createAgentEventParser();
    let total = 0;
    let handedBack = 0;
    const size = 4_096;
    for (let i = 0; i < stream.length; i += size) {
      const events = parser.feed(stream.slice(i, i + size));
      handedBack += events.length;
      total += events.filter((e) => e.type === 'text').length;
      // A 4 KB chunk holds at most a few dozen of these events: never the backlog.
      assert.ok(events.length <= 64, `${events.length} events from one 4 KB chunk`);
    }
    handedBack += parser.end().length;
    assert.equal(total, EVENTS);
    assert.equal(handedBack, EVENTS + EVENTS / 100);
  });
});
