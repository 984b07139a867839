import * as assert from 'node:assert/strict';
import { routeIntent, type Intent } from '../../../src/core/routing/intent';

type Kind = Intent['kind'];

// Each row: what the user typed, where it must go. Tricky rows mention a command word inside a
// content description: those must reach the agent.
const TABLE: Array<[string, Kind]> = [
  // export, English
  ['export', 'export'],
  ['Export', 'export'],
  ['export it', 'export'],
  ['Export it!', 'export'],
  ['export the video', 'export'],
  ['please export', 'export'],
  ['Please export the video.', 'export'],
  ['export please', 'export'],
  ['can you export it?', 'export'],
  ['ok, export it now, thanks', 'export'],
  ['download', 'export'],
  ['download it', 'export'],
  ['Download the MP4', 'export'],
  ['download the final video', 'export'],
  ['export as mp4', 'export'],
  ['export the video to my workspace', 'export'],
  ['render it', 'export'],
  ['save the video', 'export'],
  ['send me the video', 'export'],
  ['Send it to me', 'export'],
  ['give me the download link', 'export'],
  ['how do I download it?', 'export'],
  ['/export', 'export'],
  ['ｅｘｐｏｒｔ！', 'export'],
  ['export 🎬', 'export'],
  // export, Chinese
  ['导出', 'export'],
  ['导出视频', 'export'],
  ['请帮我导出视频吧', 'export'],
  ['把视频导出', 'export'],
  ['下载', 'export'],
  ['下载视频', 'export'],
  ['导出成mp4', 'export'],
  ['发给我', 'export'],
  ['把视频发给我', 'export'],
  ['导出。', 'export'],
  // credits
  ['credits', 'credits'],
  ['Credits?', 'credits'],
  ['balance', 'credits'],
  ['check my balance', 'credits'],
  ["what's my credit balance?", 'credits'],
  ['how many credits do I have?', 'credits'],
  ['how many credits left', 'credits'],
  ['积分', 'credits'],
  ['余额', 'credits'],
  ['查看余额', 'credits'],
  ['我还有多少积分？', 'credits'],
  ['积分还剩多少', 'credits'],
  // status
  ['status', 'status'],
  ['Status?', 'status'],
  ['show tracks', 'status'],
  ['show me the timeline', 'status'],
  ["what's the status?", 'status'],
  ['what is the status of the video', 'status'],
  ['what does it look like now?', 'status'],
  ['is it done yet?', 'status'],
  ['状态', 'status'],
  ['现在什么样了', 'status'],
  ['现在什么样了？', 'status'],
  ['查看状态', 'status'],
  ['看看时间线', 'status'],
  ['视频好了吗', 'status'],
  // upload
  ['upload', 'upload'],
  ['upload a file', 'upload'],
  ['I want to upload a video', 'upload'],
  ['upload my logo', 'upload'],
  ['上传', 'upload'],
  ['我要上传视频', 'upload'],
  ['上传素材', 'upload'],
  // agent: everything else, including regenerate/redo
  ['regenerate', 'agent'],
  ['重新生成', 'agent'],
  ['redo', 'agent'],
  ['再来一个', 'agent'],
  ['make it red', 'agent'],
  ['add BGM', 'agent'],
  ['generate a 30-second video about a new smartphone release', 'agent'],
  // agent: tricky, command words inside content descriptions
  ['make a video about how to export photos from a camera', 'agent'],
  ['add a download button animation', 'agent'],
  ['a product launch with a status bar graphic', 'agent'],
  ['export photos from a camera', 'agent'],
  ['explain the export process of a coffee farm', 'agent'],
  ['download speeds compared: 4G vs 5G, 30 seconds', 'agent'],
  ['balance the audio levels', 'agent'],
  ['show the credits at the end of the video', 'agent'],
  ['add rolling credits', 'agent'],
  ['upload speed infographic', 'agent'],
  ['status update video for my team', 'agent'],
  ['render it in 4K with a neon style', 'agent'],
  ['export it and add music', 'agent'],
  ['the timeline of the Roman empire', 'agent'],
  ['show the progress of a building construction', 'agent'],
  ['做一个关于导出功能的视频', 'agent'],
  ['导出照片的教程视频', 'agent'],
  ['如何下载软件的教程', 'agent'],
  ['给视频加上积分榜动画', 'agent'],
  ['上传速度对比的视频', 'agent'],
  ['把标题改成红色', 'agent'],
  // agent: empty and oversized input
  ['', 'agent'],
  ['   ', 'agent'],
  ['export '.repeat(40), 'agent'],
];

describe('routeIntent (§13.1)', () => {
  it('has a table of at least 40 phrases in English and Chinese', () => {
    assert.ok(TABLE.length >= 40);
    assert.ok(TABLE.some(([p]) => /\p{Script=Han}/u.test(p)));
  });

  for (const [phrase, kind] of TABLE) {
    it(`${JSON.stringify(phrase.length > 60 ? phrase.slice(0, 60) + '…' : phrase)} -> ${kind}`, () => {
      assert.deepEqual(routeIntent(phrase), { kind });
    });
  }

  it('never throws on non-string input', () => {
    for (const bad of [undefined, null, 42, {}, []]) {
      assert.deepEqual(routeIntent(bad as unknown as string), { kind: 'agent' });
    }
  });
});
