import * as assert from 'node:assert/strict';
import type { SessionState } from '../../../src/core/api/types';
import { diffStates, MAX_DIFF_LINES } from '../../../src/core/timeline/diff';

function state(draft: unknown, videoInfos: unknown[] = [], generatedMedia: unknown[] = []): SessionState {
  return { draft, videoInfos, generatedMedia, raw: {} };
}

const video = { tt: 0, sg: [{ s: 0, d: 10000, m: { name: 'city timelapse' } }] };
const bgm = { tt: 1, sg: [{ s: 0, d: 10000, m: { name: 'Lo-fi', volume: 0.35 } }] };
const title = (text: string, d = 3000): unknown => ({ tt: 7, sg: [{ s: 0, d, m: { text } }] });
const draft = (...t: unknown[]): unknown => ({ t, d: 10000, m: { title: 'Urban Dreams', width: 1920, height: 1080 } });
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('diffStates', () => {
  it('returns [] when nothing changed', () => {
    assert.deepEqual(diffStates(state(draft(video, bgm)), state(draft(video, bgm))), []);
    assert.deepEqual(diffStates(state(undefined), state(undefined)), []);
  });

  it('reports added tracks in the documented style', () => {
    assert.deepEqual(diffStates(state(draft(video)), state(draft(video, title('Paradise Found')))), ['✅ Title added: "Paradise Found" (0-3s)']);
    assert.deepEqual(diffStates(state(draft(video)), state(draft(video, bgm))), ['✅ BGM added: Lo-fi (0-10s, 35%)']);
  });

  it('pairs tracks by type, so inserting a track in front does not look like replacing the others', () => {
    assert.deepEqual(diffStates(state(draft(video, bgm)), state(draft(title('Hi'), video, bgm))), ['✅ Title added: "Hi" (0-3s)']);
  });

  it('reports removed tracks', () => {
    assert.deepEqual(diffStates(state(draft(video, bgm)), state(draft(video))), ['✅ BGM removed: Lo-fi (0-10s, 35%)']);
  });

  it('reports label, timing, volume and style changes of segments', () => {
    const after = clone(draft(video, bgm, title('Urban Dreams'))) as { t: Array<{ sg: Array<{ s: number; d: number; m: Record<string, unknown> }> }> };
    after.t[0]!.sg[0]!.m.color = 'red';
    after.t[1]!.sg[0]!.m.volume = 0.5;
    after.t[2]!.sg[0]!.m.text = 'Paradise Found';
    assert.deepEqual(diffStates(state(draft(video, bgm, title('Urban Dreams'))), state(after)), [
      '✅ Video: city timelapse updated',
      '✅ BGM: Lo-fi volume 35% → 50%',
      '✅ Title: "Urban Dreams" → "Paradise Found"',
    ]);
    assert.deepEqual(diffStates(state(draft(title('Hi'))), state(draft(title('Hi', 5000)))), ['✅ Title: "Hi" 0-3s → 0-5s']);
    assert.deepEqual(diffStates(state(draft(title('Hi'))), state(draft(title('Bye', 5000)))), ['✅ Title: "Hi" (0-3s) → "Bye" (0-5s)']);
  });

  it('reports added and removed segments, and collapses many changes on one track', () => {
    const two = { tt: 0, sg: [...video.sg, { s: 10000, d: 5000, m: { name: 'beach' } }] };
    assert.deepEqual(diffStates(state(draft(video)), state(draft(two))), ['✅ Video: added beach (10-15s)']);
    assert.deepEqual(diffStates(state(draft(two)), state(draft(video))), ['✅ Video: removed beach (10-15s)']);
    const subs = (words: string[]): unknown => ({ tt: 7, sg: words.map((w, i) => ({ s: i * 1000, d: 1000, m: { text: w } })) });
    assert.deepEqual(diffStates(state(draft(title('T'), subs(['a', 'b', 'c', 'd', 'e']))), state(draft(title('T'), subs(['A', 'B', 'C', 'D', 'E'])))), ['✅ Subtitles: 5 segments changed']);
  });

  it('reports draft title, size and length changes', () => {
    const before = { t: [video], d: 10000, m: { title: 'A', width: 1920, height: 1080 } };
    const after = { t: [video], d: 15000, m: { title: 'B', width: 1080, height: 1920 } };
    assert.deepEqual(diffStates(state(before), state(after)), ['✅ Project title: "A" → "B"', '✅ Size: 1920×1080 → 1080×1920', '✅ Length: 10s → 15s']);
  });

  it('announces the draft becoming exportable, last and never cut off', () => {
    assert.deepEqual(diffStates(undefined, state(draft(video, bgm, title('Urban Dreams')))), [
      '✅ Video added: city timelapse (0-10s)',
      '✅ BGM added: Lo-fi (0-10s, 35%)',
      '✅ Title added: "Urban Dreams" (0-3s)',
      '✅ Video ready to export (10s, 3 tracks)',
    ]);
    assert.deepEqual(diffStates(state({ t: [{ tt: 0, sg: [] }] }), state({ t: [{ tt: 0, sg: [{ s: 0, d: 1000 }] }] })), [
      '✅ Video: added ? (0-1s)',
      '✅ Video ready to export (1s, 1 track)',
    ]);
  });

  it('reports new video_infos and generated_media items (§16 U20), counting duplicates', () => {
    const clip = { filename: 'video.mp4', file_type: 'video', cdn_url: 'https://cdn.example.com/v/video.mp4', duration: 30.5, width: 1920, height: 1080 };
    const image = { cdn_url: 'https://cdn.example.com/g/sunset%20sky.png', file_type: 'image' };
    assert.deepEqual(diffStates(state(undefined, [clip]), state(undefined, [clip, clip], [image])), [
      '✅ Media added: video.mp4 (video, 30.5s)',
      '✅ Generated: sunset sky.png (image)',
    ]);
    assert.deepEqual(diffStates(state(undefined, [clip]), state(undefined, [clip])), []);
  });

  it('reads camelCase media items and garbage items without failing', () => {
    const lines = diffStates(state(undefined), state(undefined, [{ fileName: 'a.png', fileType: 'image' }, null, 'raw', { duration: 'x' }]));
    assert.deepEqual(lines, ['✅ Media added: a.png (image)', '✅ Media added: raw', '✅ Media added: unnamed item']);
    assert.equal(diffStates(state(undefined), state(undefined, [{}, {}, {}, {}, {}])).at(-1), '✅ Media added: 2 more');
  });

  it('caps the number of lines', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ tt: 20 + i, sg: [{ s: 0, d: 1000 }] }));
    const lines = diffStates(state({ t: [] }), state({ t: many }));
    assert.equal(lines.length, MAX_DIFF_LINES + 1);
    assert.equal(lines[MAX_DIFF_LINES - 1], '…and 19 more changes');
    assert.match(lines[MAX_DIFF_LINES] ?? '', /ready to export/);
  });

  it('never throws on garbage states', () => {
    const garbage: unknown[] = [undefined, null, 1, 'x', { draft: 'x', videoInfos: 'x', generatedMedia: 5 }, { draft: { t: [null, { tt: 0, sg: 'x' }] } }];
    for (const a of garbage) {
      for (const b of garbage) {
        assert.ok(Array.isArray(diffStates(a as SessionState, b as SessionState)));
      }
    }
  });

  it('keeps hostile text inert and on one line', () => {
    const evil = { tt: 7, sg: [{ s: 0, d: 1000, m: { text: '<img src=x onerror=alert(1)>\n[click](javascript:alert(1))' } }] };
    const [line] = diffStates(state(draft()), state(draft(evil)));
    assert.ok(line !== undefined && !line.includes('\n'));
  });
});
