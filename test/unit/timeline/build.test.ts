import * as assert from 'node:assert/strict';
import { buildTimeline, formatRange, MAX_SEGMENTS_PER_TRACK, MAX_TRACKS, summarizeTimeline } from '../../../src/core/timeline/build';
import { formatSeconds } from '../../../src/core/timeline/summary';

/** The §5 example draft, exactly as the simulator sends it. */
const SPEC_DRAFT = {
  t: [
    { tt: 0, sg: [{ s: 0, d: 10000, m: { name: 'city timelapse', url: 'https://cdn.example.com/a.mp4' } }] },
    { tt: 1, sg: [{ s: 0, d: 10000, m: { name: 'Lo-fi', volume: 0.35, url: 'https://cdn.example.com/b.mp3' } }] },
    { tt: 7, sg: [{ s: 0, d: 3000, m: { text: 'Urban Dreams' } }] },
  ],
  d: 10000,
  m: { title: 'Urban Dreams', width: 1920, height: 1080 },
};

const SPEC_SUMMARY = 'Timeline (3 tracks): 1. Video: city timelapse (0-10s) 2. BGM: Lo-fi (0-10s, 35%) 3. Title: "Urban Dreams" (0-3s)';

describe('buildTimeline + summarizeTimeline (§5)', () => {
  it('reproduces the documented summary line for the §5 example draft', () => {
    assert.equal(summarizeTimeline(buildTimeline(SPEC_DRAFT)), SPEC_SUMMARY);
  });

  it('reads the §5 example into the model', () => {
    const t = buildTimeline(SPEC_DRAFT);
    assert.equal(t.exportable, true);
    assert.equal(t.title, 'Urban Dreams');
    assert.equal(t.durationMs, 10000);
    assert.equal(t.width, 1920);
    assert.equal(t.height, 1080);
    assert.deepEqual(t.tracks.map((tr) => [tr.index, tr.kind, tr.trackType, tr.title]), [
      [0, 'video', 0, 'Video'],
      [1, 'audio', 1, 'BGM'],
      [2, 'text', 7, 'Title'],
    ]);
    const bgm = t.tracks[1]?.segments[0];
    assert.equal(bgm?.label, 'Lo-fi');
    assert.equal(bgm?.volumePercent, 35);
    assert.equal(bgm?.url, 'https://cdn.example.com/b.mp3');
    assert.deepEqual(bgm?.meta, { name: 'Lo-fi', volume: 0.35, url: 'https://cdn.example.com/b.mp3' });
    assert.equal(t.tracks[0]?.segments[0]?.volumePercent, undefined, 'volume is an audio property');
  });

  it('accepts the draft as a JSON string', () => {
    assert.equal(summarizeTimeline(buildTimeline(JSON.stringify(SPEC_DRAFT))), SPEC_SUMMARY);
  });

  describe('start keys, labels, volume and url per §16 U9', () => {
    const table: Array<[string, Record<string, unknown>, string]> = [
      ['s', { s: 2000, d: 1000 }, '2-3s'],
      ['st', { st: 2000, d: 1000 }, '2-3s'],
      ['start', { start: 2000, d: 1000 }, '2-3s'],
      ['b', { b: 2000, d: 1000 }, '2-3s'],
      ['s wins over b', { s: 1000, b: 5000, d: 1000 }, '1-2s'],
      ['numeric strings', { s: '1500', d: '1000' }, '1.5-2.5s'],
      ['missing start', { d: 1000 }, '?'],
      ['missing duration', { s: 0 }, '?'],
      ['negative start', { s: -5, d: 1000 }, '?'],
      ['NaN-like string', { s: 'abc', d: 1000 }, '?'],
      ['absurdly large', { s: 1e15, d: 1000 }, '?'],
    ];
    for (const [name, seg, range] of table) {
      it(`range from ${name}`, () => {
        const t = buildTimeline({ t: [{ tt: 0, sg: [seg] }] });
        assert.equal(formatRange(t.tracks[0]?.segments[0]?.startMs, t.tracks[0]?.segments[0]?.durationMs), range);
      });
    }

    const labels: Array<[Record<string, unknown>, string]> = [
      [{ m: { name: 'a', title: 'b', text: 'c', desc: 'd' } }, 'a'],
      [{ m: { title: 'b', text: 'c', desc: 'd' } }, 'b'],
      [{ m: { text: 'c', desc: 'd' } }, 'c'],
      [{ m: { desc: 'd' } }, 'd'],
      [{ m: { name: '   ', text: 'spaces skipped' } }, 'spaces skipped'],
      [{ m: { name: 42 } }, '42'],
      [{ m: { name: { nested: true } } }, '?'],
      [{ m: 'not an object' }, '?'],
      [{}, '?'],
      [{ m: { name: 'line\nbreak\ttab\u0000nul\u202Eevil' } }, 'line break tab nul evil'],
      [{ m: { name: 'x'.repeat(1000) } }, 'x'.repeat(199) + '…'],
    ];
    for (const [seg, label] of labels) {
      it(`label ${JSON.stringify(seg).slice(0, 50)} -> ${label.slice(0, 20)}`, () => {
        assert.equal(buildTimeline({ t: [{ tt: 0, sg: [{ s: 0, d: 1, ...seg }] }] }).tracks[0]?.segments[0]?.label, label);
      });
    }

    const volumes: Array<[Record<string, unknown>, number | undefined]> = [
      [{ volume: 0.35 }, 35],
      [{ volume: 35 }, 35],
      [{ volume: 1 }, 100],
      [{ volume: 0 }, 0],
      [{ v: 0.5 }, 50],
      [{ volume: '0.8' }, 80],
      [{ volume: 0.355 }, 36],
      [{ volume: 150 }, undefined],
      [{ volume: -1 }, undefined],
      [{ volume: 'loud' }, undefined],
      [{}, undefined],
    ];
    for (const [m, percent] of volumes) {
      it(`volume ${JSON.stringify(m)} -> ${String(percent)}`, () => {
        assert.equal(buildTimeline({ t: [{ tt: 1, sg: [{ s: 0, d: 1, m }] }] }).tracks[0]?.segments[0]?.volumePercent, percent);
      });
    }

    it('keeps only http(s) urls, from m.url or m.src', () => {
      const url = (m: Record<string, unknown>): string | undefined => buildTimeline({ t: [{ tt: 0, sg: [{ m }] }] }).tracks[0]?.segments[0]?.url;
      assert.equal(url({ src: 'https://cdn.example.com/x.mp4' }), 'https://cdn.example.com/x.mp4');
      assert.equal(url({ url: 'javascript:alert(1)' }), undefined);
      assert.equal(url({ url: 'file:///etc/passwd' }), undefined);
      assert.equal(url({ url: '/mnt/userdata/abc' }), undefined);
      assert.equal(url({ url: 'https://a.example/\u0000x' }), undefined);
    });
  });

  describe('track titles', () => {
    const titles = (t: unknown[]): string[] => buildTimeline({ t }).tracks.map((tr) => tr.title);

    it('names the first text track Title, later multi-segment ones Subtitles, single ones Text', () => {
      assert.deepEqual(titles([{ tt: 7, sg: [{}] }, { tt: 7, sg: [{}, {}, {}] }, { tt: 7, sg: [{}] }]), ['Title', 'Subtitles', 'Text']);
    });
    it('lets metadata say subtitles / voice-over', () => {
      assert.deepEqual(titles([{ tt: 7, m: { type: 'subtitle' }, sg: [{}] }]), ['Subtitles']);
      assert.deepEqual(titles([{ tt: 7, sg: [{ m: { role: '字幕' } }] }]), ['Subtitles']);
      assert.deepEqual(titles([{ tt: 1, m: { name: 'Voice-over' }, sg: [] }]), ['Voice-over']);
      assert.deepEqual(titles([{ tt: 1, sg: [{ m: { type: 'narration' } }] }]), ['Voice-over']);
      assert.deepEqual(titles([{ tt: 1, sg: [{ m: { type: 'tts' } }] }, { tt: 1, sg: [{ m: { name: 'Jazz' } }] }]), ['Voice-over', 'BGM']);
    });
    it('does not take a segment label as a role ("Voice of the City" is still BGM)', () => {
      assert.deepEqual(titles([{ tt: 1, sg: [{ m: { name: 'Voice-over vibes' } }] }]), ['BGM']);
    });
    it('numbers repeated titles and names unknown types (§16 U10)', () => {
      assert.deepEqual(titles([{ tt: 0 }, { tt: 0 }, { tt: 1 }, { tt: 1 }, { tt: 5 }, { tt: 5 }, {}]), [
        'Video', 'Video 2', 'BGM', 'BGM 2', 'Track (type 5)', 'Track (type 5)', 'Track (type ?)',
      ]);
    });
    it('accepts tt as a numeric string', () => {
      assert.deepEqual(titles([{ tt: '7', sg: [] }]), ['Title']);
    });
  });

  describe('hostile and broken drafts never throw', () => {
    const deep: Record<string, unknown> = {};
    let cursor = deep;
    for (let i = 0; i < 10000; i++) {
      const next: Record<string, unknown> = {};
      cursor.m = next;
      cursor = next;
    }
    const proxy = new Proxy({}, { get: () => { throw new Error('boom'); }, ownKeys: () => { throw new Error('boom'); }, has: () => { throw new Error('boom'); } });
    const cases: Array<[string, unknown]> = [
      ['undefined', undefined],
      ['null', null],
      ['number', 42],
      ['string', 'draft'],
      ['broken JSON string', '{"t":['],
      ['array', [1, 2, 3]],
      ['tracks as a string', { t: 'tracks' }],
      ['tracks as an object', { t: { 0: { tt: 0 } } }],
      ['null tracks', { t: [null, undefined, 1, 'x', []] }],
      ['segments as a string', { t: [{ tt: 0, sg: 'segments' }] }],
      ['garbage segments', { t: [{ tt: 0, sg: [null, 1, 'x', [], { m: [] }, { m: null, s: {}, d: [] }] }] }],
      ['deeply nested metadata', { t: [{ tt: 0, sg: [{ s: 0, d: 1, m: deep }] }], m: deep }],
      ['throwing proxy draft', proxy],
      ['throwing proxy track', { t: [proxy] }],
      ['throwing proxy segment', { t: [{ tt: 0, sg: [proxy] }] }],
      ['__proto__ key in metadata', JSON.parse('{"t":[{"tt":0,"sg":[{"m":{"__proto__":{"polluted":1},"name":"p"}}]}]}')],
      ['NaN and Infinity', { t: [{ tt: NaN, sg: [{ s: Infinity, d: NaN }] }], d: Infinity, m: { width: -1, height: Infinity } }],
    ];
    for (const [name, draft] of cases) {
      it(name, () => {
        const t = buildTimeline(draft);
        assert.ok(Array.isArray(t.tracks));
        assert.equal(typeof summarizeTimeline(t), 'string');
      });
    }

    it('does not let a __proto__ key change the metadata prototype', () => {
      const t = buildTimeline(JSON.parse('{"t":[{"tt":0,"sg":[{"m":{"__proto__":{"polluted":1},"name":"p"}}]}]}'));
      const meta = t.tracks[0]?.segments[0]?.meta ?? {};
      assert.equal(Object.getPrototypeOf(meta), Object.prototype);
      assert.equal((meta as { polluted?: unknown }).polluted, undefined);
      assert.deepEqual(meta, { name: 'p' });
    });

    it('drops nested metadata values and caps the key count', () => {
      const m: Record<string, unknown> = { nested: { a: 1 }, list: [1, 2], ok: true, n: 1 };
      for (let i = 0; i < 100; i++) m[`k${i}`] = i;
      const meta = buildTimeline({ t: [{ tt: 0, sg: [{ m }] }] }).tracks[0]?.segments[0]?.meta ?? {};
      assert.equal(meta.nested, undefined);
      assert.equal(meta.list, undefined);
      assert.equal(meta.ok, true);
      assert.ok(Object.keys(meta).length <= 30);
    });

    it('caps tracks and segments on huge drafts', () => {
      const t = buildTimeline({ t: Array.from({ length: 5000 }, () => ({ tt: 0, sg: Array.from({ length: 5 }, () => ({ s: 0, d: 1 })) })) });
      assert.equal(t.tracks.length, MAX_TRACKS);
      const one = buildTimeline({ t: [{ tt: 7, sg: Array.from({ length: 100000 }, () => ({ s: 0, d: 1 })) }] });
      assert.equal(one.tracks[0]?.segments.length, MAX_SEGMENTS_PER_TRACK);
      assert.ok(summarizeTimeline(one).length < 400, 'the summary lists a few segments and "+N more"');
    });

    it('survives a fuzz of random JSON-like values (fixed seed)', () => {
      let seed = 12345;
      const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
      const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
      const value = (depth: number): unknown => {
        const r = rnd();
        if (depth > 4 || r < 0.3) return pick<unknown>([null, 0, -1, 1e300, 'x', '', '10', true, 7, 1, NaN]);
        if (r < 0.6) return Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth + 1));
        const o: Record<string, unknown> = {};
        for (let i = 0; i < 4; i++) o[pick(['t', 'tt', 'sg', 's', 'd', 'm', 'name', 'volume', 'url', 'text'])] = value(depth + 1);
        return o;
      };
      for (let i = 0; i < 3000; i++) {
        const draft = value(0);
        const t = buildTimeline(draft);
        assert.equal(typeof summarizeTimeline(t), 'string');
        assert.equal(typeof t.exportable, 'boolean');
      }
    });
  });

  describe('exportable (§5 rule)', () => {
    const table: Array<[unknown, boolean]> = [
      [{ t: [{ tt: 0, sg: [{}] }] }, true],
      [{ t: [{ tt: 0, sg: [] }, { tt: 1, sg: [{}] }] }, true],
      [{ t: [{ tt: 0, sg: [] }] }, false],
      [{ t: [] }, false],
      [{ t: 'x' }, false],
      [{}, false],
      [undefined, false],
    ];
    for (const [draft, exportable] of table) {
      it(`${JSON.stringify(draft)} -> ${exportable}`, () => assert.equal(buildTimeline(draft).exportable, exportable));
    }
  });

  it('falls back to the last segment end when the draft has no d', () => {
    assert.equal(buildTimeline({ t: [{ tt: 0, sg: [{ s: 0, d: 4000 }, { s: 4000, d: 2500 }] }] }).durationMs, 6500);
  });
});

describe('summarizeTimeline formats', () => {
  it('says "Timeline is empty." without tracks', () => {
    assert.equal(summarizeTimeline(buildTimeline(undefined)), 'Timeline is empty.');
    assert.equal(summarizeTimeline({ tracks: [], exportable: false }), 'Timeline is empty.');
  });
  it('uses the singular for one track', () => {
    assert.equal(summarizeTimeline(buildTimeline({ t: [{ tt: 7, sg: [{ s: 0, d: 2500, m: { text: 'Hi' } }] }] })), 'Timeline (1 track): 1. Title: "Hi" (0-2.5s)');
  });
  it('lists several segments and "+N more", shows empty tracks and unquoted "?"', () => {
    const t = buildTimeline({
      t: [
        { tt: 0, sg: [{ s: 0, d: 1000, m: { name: 'a' } }, { s: 1000, d: 1000, m: { name: 'b' } }, { s: 2000, d: 1000, m: { name: 'c' } }, { s: 3000, d: 1000 }, { s: 4000, d: 1000 }] },
        { tt: 1, sg: [] },
        { tt: 7, sg: [{}] },
      ],
    });
    assert.equal(summarizeTimeline(t), 'Timeline (3 tracks): 1. Video: a (0-1s), b (1-2s), c (2-3s) +2 more 2. BGM: (empty) 3. Title: ? (?)');
  });
  it('tolerates a malformed Timeline object', () => {
    assert.equal(summarizeTimeline({} as never), 'Timeline is empty.');
  });
});

describe('formatRange / formatSeconds', () => {
  const table: Array<[number | undefined, number | undefined, string]> = [
    [0, 10000, '0-10s'],
    [0, 3000, '0-3s'],
    [0, 2500, '0-2.5s'],
    [1500, 1000, '1.5-2.5s'],
    [0, 1, '0-0s'],
    [0, 2250, '0-2.3s'],
    [60000, 90000, '60-150s'],
    [undefined, 1000, '?'],
    [0, undefined, '?'],
    [NaN, 1000, '?'],
    [-1, 1000, '?'],
  ];
  for (const [s, d, text] of table) {
    it(`(${String(s)}, ${String(d)}) -> ${text}`, () => assert.equal(formatRange(s, d), text));
  }
  it('uses the en dash on request', () => assert.equal(formatRange(0, 10000, '–'), '0–10s'));
  it('drops trailing .0', () => {
    assert.equal(formatSeconds(10000), '10');
    assert.equal(formatSeconds(10040), '10');
    assert.equal(formatSeconds(10050), '10.1');
  });
});
