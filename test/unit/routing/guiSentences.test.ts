// GUI translation a whole sentence at a time (§13.2, issue 13 item 7). A sentence with a GUI
// instruction is rewritten as a whole (its content, cut before the instruction at a clause boundary)
// or removed as a whole; a sentence that merely mentions "timeline", "panel", "export", "时间线" or
// "面板" is kept exactly. No fragment is ever left: not "它。", not "To save it.", not "Here's what to do.".
import * as assert from 'node:assert/strict';
import { translateGuiPhrases, type GuiAction } from '../../../src/core/routing/guiTranslate';

// [what the agent says, what the user sees, actions offered]
type Row = [string, string, GuiAction[]];

const EXPORT_FALLBACK = 'Your video can be exported now.';
const STATUS_FALLBACK = 'Here is the current timeline.';
const CHANGE_FALLBACK = "Tell me what you'd like to change and I'll do it.";
const ZH_EXPORT_FALLBACK = '视频可以导出了。';
const ZH_STATUS_FALLBACK = '这是当前的时间线。';
const ZH_CHANGE_FALLBACK = '告诉我你想修改什么，我来处理。';

const ENGLISH: Row[] = [
  // the issue's own examples
  ['Your video is ready! Preview it in the timeline panel.', 'Your video is ready!', ['status']],
  ['Click Export to save it.', EXPORT_FALLBACK, ['export']],
  // several sentences: the ones with instructions go whole, the others stay as written ("10.5s" is no boundary)
  ["I trimmed the intro to 10.5s and raised the music to 40%. Preview it in the player, then click Export when you're happy.", 'I trimmed the intro to 10.5s and raised the music to 40%.', ['status', 'export']],
  ['Version v1.2 of the intro is on nemovideo.com now. Hit play in the preview window to check it.', 'Version v1.2 of the intro is on nemovideo.com now.', ['status']],
  ['Great news: the render finished in 40s. Your MP4 is ready — just hit the Export button. Anything else you want to tweak?', 'Great news: the render finished in 40s. Your MP4 is ready. Anything else you want to tweak?', ['export']],
  ['Your credits are running low (12 left). Check your account page to top up.', 'Your credits are running low (12 left).', ['credits']],
  ['Sorry, that font is not available. Go to Settings to upload your own', 'Sorry, that font is not available.', []],
  ['Nice! The beat now lines up with the cuts at 2.5s and 5s. Feel free to drag the clips around in the timeline if you want a different rhythm.', 'Nice! The beat now lines up with the cuts at 2.5s and 5s.', []],
  ['I can try other styles, e.g. neon or retro. Open the style panel to compare them.', 'I can try other styles, e.g. neon or retro.', ['status']],
  // rewritten: content, a clause boundary (";", " — ", ", or"), then the instruction to the end
  ['Done — I swapped the music for an upbeat lo-fi track; open the timeline panel to see the new BGM.', 'Done — I swapped the music for an upbeat lo-fi track.', ['status']],
  ['Added a 2s fade-out at the end — you can see it in the preview panel.', 'Added a 2s fade-out at the end.', ['status']],
  ['You can download the video now, or open the player to watch it once more.', 'You can download the video now.', ['status', 'export']],
  ['**Your teaser is ready** — click **Export** to save it.', '**Your teaser is ready**.', ['export']],
  // a question keeps its question mark only when the kept part is the question
  ['I can also add subtitles. Would you like that, or will you check the result in the player first?', 'I can also add subtitles. Would you like that?', ['status']],
  // removed whole: the part before the instruction is only a lead-in, or there is no content before it
  ['To download the final MP4, open the Export panel and choose 1080p.', EXPORT_FALLBACK, ['export']],
  ['Once you are happy with the timing, click Export.', EXPORT_FALLBACK, ['export']],
  ['If the colours look off, adjust the saturation in the editor.', CHANGE_FALLBACK, []],
  ['Tap the Share icon to post it to TikTok.', CHANGE_FALLBACK, []],
  ['Open the timeline panel to review it, or tell me what to change.', STATUS_FALLBACK, ['status']],
  // the agent's usual closing line
  ['Your video is ready, with lo-fi background music and the title "City Lights". Preview it in the timeline, or click Export to save it.', 'Your video is ready, with lo-fi background music and the title "City Lights".', ['status', 'export']],
  // line breaks end sentences: lines without punctuation, lists, headings, blank lines, CRLF
  ['Your 15-second teaser is ready\nClick the Download button to save it', 'Your 15-second teaser is ready', ['export']],
  ['Here is what I changed:\n- Title: "Summer Sale" (0-3s)\n- Music volume lowered to 35%\n- Drag the logo onto the video track to reposition it\n\nPreview it in the timeline, or tell me what else to change.', 'Here is what I changed:\n- Title: "Summer Sale" (0-3s)\n- Music volume lowered to 35%', ['status']],
  ['## Next steps\n1. Preview the video in the player.\n2. Click Export to download the MP4.\n3. Tell me if you want subtitles.', '## Next steps\n3. Tell me if you want subtitles.', ['status', 'export']],
  ['Your video is ready.\r\nClick Export to save it.\r\nAnything else?', 'Your video is ready.\r\nAnything else?', ['export']],
  ['> Tip: the timeline panel is not available here.\n> Open the timeline panel to check it.', '> Tip: the timeline panel is not available here.', ['status']],
  ['The new title panel slides in at 0:03 — open the editor to change its colour.', 'The new title panel slides in at 0:03.', ['status']],
  // mere mentions of timeline / panel / export / open / preview: kept exactly
  ['The timeline now has three tracks.', 'The timeline now has three tracks.', []],
  ['I added a title panel with the product name.', 'I added a title panel with the product name.', []],
  ['The exported file will be 1080p at 30 fps.', 'The exported file will be 1080p at 30 fps.', []],
  ['The timeline is 12 seconds long: 0-4s city, 4-8s beach, 8-12s sunset.', 'The timeline is 12 seconds long: 0-4s city, 4-8s beach, 8-12s sunset.', []],
  ['The panel on the left of the split screen now shows the product shot.', 'The panel on the left of the split screen now shows the product shot.', []],
  ["I'll export the draft at 1080p once you confirm the music.", "I'll export the draft at 1080p once you confirm the music.", []],
  ['Scene 2 shows a designer dragging clips on a timeline in a dark studio.', 'Scene 2 shows a designer dragging clips on a timeline in a dark studio.', []],
  ['The export failed because the session expired, so I restarted the render.', 'The export failed because the session expired, so I restarted the render.', []],
  ['I placed the product shot in the left panel and the price in the right panel.', 'I placed the product shot in the left panel and the price in the right panel.', []],
  ['I added a shot of an open window at sunset, and the preview in the player looks sharper now.', 'I added a shot of an open window at sunset, and the preview in the player looks sharper now.', []],
  // an instruction inside quotes is a caption, not an instruction
  ['I added the caption "Click the Download button below" at 0:12, as in your script.', 'I added the caption "Click the Download button below" at 0:12, as in your script.', []],
];

const CHINESE: Row[] = [
  // the fragment this issue is about: a sentence that opens a panel never becomes "它。"
  ['打开时间线面板，查看它。', ZH_STATUS_FALLBACK, ['status']],
  ['你可以打开时间线面板，在那里查看它。', ZH_STATUS_FALLBACK, ['status']],
  ['把它拖到时间线上，然后预览它。', ZH_STATUS_FALLBACK, ['status']],
  ['音乐已调整。打开时间线面板，你会看到它。', '音乐已调整。', ['status']],
  // several sentences
  ['视频已生成！点击右上角的导出按钮即可保存。', '视频已生成！', ['export']],
  ['字幕已添加，共12条。如需修改样式，请打开编辑器手动调整。', '字幕已添加，共12条。', ['status']],
  ['积分不足，无法导出。请前往账户页面充值后再试。', '积分不足，无法导出。', ['credits']],
  ['好的！我把片头缩短到3秒，并加了淡入效果。你可以在播放器里预览，满意的话点击导出。还需要加字幕吗？', '好的！我把片头缩短到3秒，并加了淡入效果。还需要加字幕吗？', ['status', 'export']],
  ['视频比例已改为9:16，适合抖音。要导出的话，点击右上角的“导出”按钮即可。', '视频比例已改为9:16，适合抖音。', ['export']],
  ['我已经在时间线的第5秒加了转场。如需微调，打开时间线面板拖动它即可', '我已经在时间线的第5秒加了转场。', ['status']],
  // rewritten: content, "，", then the instruction to the end
  ['背景音乐已替换为轻快的钢琴曲，你可以在预览窗口中播放试听。', '背景音乐已替换为轻快的钢琴曲。', ['status']],
  ['视频做好了，打开时间线面板即可查看它。', '视频做好了。', ['status']],
  ['视频已生成，时长15秒，您也可以在时间轴中查看每个轨道。', '视频已生成，时长15秒。', ['status']],
  ['我把两段视频合并，点击导出。', '我把两段视频合并。', ['export']],
  ['素材已收到，点击导出即可。', '素材已收到。', ['export']],
  // removed whole
  ['如果想换一种字体，可以拖拽新的字幕样式到轨道上。', ZH_CHANGE_FALLBACK, []],
  ['确认无误后，点击导出即可。', ZH_EXPORT_FALLBACK, ['export']],
  ['请点击“导出”。', ZH_EXPORT_FALLBACK, ['export']],
  // line breaks and sentences without punctuation
  ['已完成以下修改：\n1. 标题改为“夏日特惠”\n2. 音乐音量降到35%\n3. 点击导出按钮下载成片', '已完成以下修改：\n1. 标题改为“夏日特惠”\n2. 音乐音量降到35%', ['export']],
  ['视频已经生成好了\n你可以在时间线面板中预览', '视频已经生成好了', ['status']],
  ['片尾字幕已更新，你可以打开预览窗口看看效果，或者告诉我还要改什么', '片尾字幕已更新', ['status']],
  // mere mentions of 时间线 / 面板 / 导出 / 点击 / 预览 / 打开: kept exactly
  ['时间线上现在有三个轨道。', '时间线上现在有三个轨道。', []],
  ['导出的视频是1080p。', '导出的视频是1080p。', []],
  ['我在标题面板里加了产品名称。', '我在标题面板里加了产品名称。', []],
  ['新的片尾已加到时间线末尾，时长2秒。', '新的片尾已加到时间线末尾，时长2秒。', []],
  ['我已经检查过时间线，没有空白片段。', '我已经检查过时间线，没有空白片段。', []],
  ['导出需要大约2分钟，完成后我会通知你。', '导出需要大约2分钟，完成后我会通知你。', []],
  ['画面左侧的面板展示了产品细节。', '画面左侧的面板展示了产品细节。', []],
  ['预览图已生成，分辨率为1920×1080。', '预览图已生成，分辨率为1920×1080。', []],
  ['这个视频的点击量已经超过一万次。', '这个视频的点击量已经超过一万次。', []],
  ['第三个镜头是一个人打开一扇门。', '第三个镜头是一个人打开一扇门。', []],
  ['我加了一个写着“点击下方按钮”的字幕。', '我加了一个写着“点击下方按钮”的字幕。', []],
];

const MIXED: Row[] = [['Done! 视频已生成。Click Export to save it.', 'Done! 视频已生成。', ['export']]];

const FALLBACKS = new Set([EXPORT_FALLBACK, STATUS_FALLBACK, CHANGE_FALLBACK, ZH_EXPORT_FALLBACK, ZH_STATUS_FALLBACK, ZH_CHANGE_FALLBACK]);

describe('translateGuiPhrases: whole sentences (§13.2)', () => {
  for (const [name, rows] of [['English', ENGLISH], ['Chinese', CHINESE], ['mixed', MIXED]] as const) {
    describe(name, () => {
      for (const [input, text, actions] of rows) {
        it(JSON.stringify(input.length > 70 ? input.slice(0, 70) + '…' : input), () => {
          assert.deepEqual(translateGuiPhrases(input), { text, actions });
        });
      }
    });
  }

  const all = [...ENGLISH, ...CHINESE, ...MIXED];

  it('has at least 40 rows, 20 in each language, and mere mentions among them', () => {
    assert.ok(all.length >= 40);
    assert.ok(ENGLISH.length >= 20);
    assert.ok(CHINESE.length >= 20);
    assert.ok(ENGLISH.filter(([input, text]) => input === text && /timeline|panel|export/i.test(input)).length >= 5);
    assert.ok(CHINESE.filter(([input, text]) => input === text && /时间线|面板|导出/.test(input)).length >= 5);
  });

  it('every kept sentence is a sentence of the input, whole or cut before its instruction', () => {
    for (const [input, text] of all) {
      if (FALLBACKS.has(text)) continue;
      for (const line of text.split('\n')) {
        const body = line.replace(/^\s*(?:[-*+•]|\d+[.)]|>|#{1,6})\s*/, '').replace(/\r$/, '');
        // Cut the kept line at its sentence ends and look for each piece, without its end mark, in the input.
        for (const piece of body.split(/(?<=[.!?。！？])\s*/u)) {
          const stem = piece.replace(/[.!?。！？*]+$/u, '');
          if (stem !== '') assert.ok(input.includes(stem), `${JSON.stringify(stem)} is not from ${JSON.stringify(input)}`);
        }
      }
    }
  });

  it('what comes out has no GUI instruction left (translating it again changes nothing)', () => {
    for (const [input] of all) {
      const once = translateGuiPhrases(input);
      assert.deepEqual(translateGuiPhrases(once.text).text, once.text, input);
    }
  });

  it('never ends a kept sentence on a pronoun, a lead-in or a dangling word', () => {
    for (const [input] of all) {
      for (const sentence of translateGuiPhrases(input).text.split(/(?<=[.!?。！？])\s*|\n/u)) {
        assert.doesNotMatch(sentence, /^(?:它|这个|那个|把它|它们|It|This|That)[。.!！]?$/u, input);
        assert.doesNotMatch(sentence, /^(?:To|If|When|Once|In|For)\b[^,]*[.!]$/u, input);
        assert.doesNotMatch(sentence, /(?:\b(?:the|a|to|and|or|in|on|with)|在|把|将)[.。]$/u, input);
      }
    }
  });

  it('keeps a sentence that has no instruction byte for byte, spacing included', () => {
    const text = 'The timeline  has three tracks .\n\n\n时间线上现在有三个轨道 。 导出的视频是1080p。';
    assert.deepEqual(translateGuiPhrases(text), { text, actions: [] });
  });

  it('stays total and cheap on long and odd input', () => {
    const odd = ['. . .', '。。。', '"unclosed Click Export', '(Click Export.', '**', 'e.g. i.e. vs. Dr.', '\r\n\r\n', '它。', '—— 点击', '…Click Export…'];
    for (const input of odd) assert.equal(typeof translateGuiPhrases(input).text, 'string', input);
    const long = 'I added music — click Export to save it. 视频已生成，打开时间线面板查看它。'.repeat(180);
    const started = Date.now();
    const result = translateGuiPhrases(long.slice(0, 19_999));
    assert.ok(Date.now() - started < 1_000, 'a long reply is translated in well under a second');
    assert.doesNotMatch(result.text, /click Export|打开时间线面板/);
    const spaces = 'Done,' + ' '.repeat(900) + 'click Export.';
    assert.equal(translateGuiPhrases(spaces).text, 'Done.');
  });
});
