import * as assert from 'node:assert/strict';
import { translateGuiPhrases, type GuiAction } from '../../../src/core/routing/guiTranslate';

// [backend text, text the user sees, actions offered]
const TABLE: Array<[string, string, GuiAction[]]> = [
  // the §13.2 example
  ['Your video is ready! Preview in Timeline panel or click Export to save it.', 'Your video is ready!', ['status', 'export']],
  // click [button] -> the matching action
  ['I added a city skyline, neon lights, and lo-fi music — click Export to save.', 'I added a city skyline, neon lights, and lo-fi music.', ['export']],
  ['Your video is ready, so click Export to download it.', 'Your video is ready.', ['export']],
  ['Your video is ready and you can click the Export button in the top right corner.', 'Your video is ready.', ['export']],
  ['Done! Hit the "Download" button to get your MP4.', 'Done!', ['export']],
  ['The title is now red. Click the Upload button to add your logo.', 'The title is now red.', []],
  ['Nice choice. Tap Generate to create another version.', 'Nice choice.', []],
  // lead-ins lose their meaning without the instruction
  ['To save your video, click Export.', 'Your video can be exported now.', ['export']],
  ["If you're happy with it, hit the Download button.", 'Your video can be exported now.', ['export']],
  // preview / open -> status
  ['Added a fade-in. Preview it in the player.', 'Added a fade-in.', ['status']],
  ['The BGM is quieter now; watch the result in the timeline.', 'The BGM is quieter now.', ['status']],
  ['Open the timeline panel to see all 3 tracks.', 'Here is the current timeline.', ['status']],
  ['Open the Export panel and choose 1080p.', 'Your video can be exported now.', ['export']],
  ['✅ Done! 🎬 Preview it in the player.', '✅ Done!', ['status']],
  // drag/drop and editor -> removed, no action; empty result asks what to change
  ['Drag and drop the clips to reorder them.', "Tell me what you'd like to change and I'll do it.", []],
  ['You can adjust the timing in the editor.', "Tell me what you'd like to change and I'll do it.", []],
  ['I made the intro shorter. You can manually trim it further if needed.', 'I made the intro shorter.', []],
  // account / billing / settings / dashboard
  ['Please check your account billing for more credits.', 'Here is your credit balance.', ['credits']],
  ['You have run out of credits. Go to your dashboard to top up.', 'You have run out of credits.', ['credits']],
  ['Go to Settings to change the language.', "Tell me what you'd like to change and I'll do it.", []],
  // several instructions in one sentence, and a bare command next to them
  ['Your video is ready! You can preview it in the timeline and tweak anything in the editor, then export it via the Export button.', 'Your video is ready!', ['status', 'export']],
  ['Preview it in the timeline, or export it.', 'Your video can be exported now.', ['status', 'export']],
  // markdown lists and emphasis
  ['- Title: "Urban Dreams" (0-3s)\n- Click Export to save it.\n- BGM: Lo-fi', '- Title: "Urban Dreams" (0-3s)\n- BGM: Lo-fi', ['export']],
  ['**Click Export** to save your video.', 'Your video can be exported now.', ['export']],
  ['The video is 10.5s long. Visit nemovideo.com for more. Click the play button to preview it.', 'The video is 10.5s long. Visit nemovideo.com for more.', ['status']],
  // mentions of exporting are kept, with the action offered
  ['You can now export your video.', 'You can now export your video.', ['export']],
  // Chinese
  ['视频已生成！点击导出按钮保存视频。', '视频已生成！', ['export']],
  ['您可以在时间线面板中预览，或者点击导出保存。', '视频可以导出了。', ['status', 'export']],
  ['已添加背景音乐。请打开编辑器调整字幕。', '已添加背景音乐。', ['status']],
  ['拖拽片段到时间线即可调整顺序。', '告诉我你想修改什么，我来处理。', []],
  ['标题已改为红色，点击导出即可下载。', '标题已改为红色。', ['export']],
  ['积分不足。请前往账户充值。', '积分不足。', ['credits']],
  ['视频做好了，可以导出了。', '视频做好了，可以导出了。', ['export']],
  // content descriptions that merely contain GUI words stay untouched
  ['Added a hit song as BGM at 35% volume.', 'Added a hit song as BGM at 35% volume.', []],
  ["A drone shot of a camera click, with the title 'Export Day'.", "A drone shot of a camera click, with the title 'Export Day'.", []],
  ['A tutorial about how to export photos from a camera, 30 seconds.', 'A tutorial about how to export photos from a camera, 30 seconds.', []],
  ['I added a download button animation at 0-3s.', 'I added a download button animation at 0-3s.', []],
  ['视频开头打开一扇门，然后镜头推进。', '视频开头打开一扇门，然后镜头推进。', []],
  ['Which style do you prefer: neon, retro or minimal?', 'Which style do you prefer: neon, retro or minimal?', []],
  ['- Press conference footage (0-5s)\n- Hit single as BGM', '- Press conference footage (0-5s)\n- Hit single as BGM', []],
  ['Preview of the new iPhone, 30 seconds, vertical.', 'Preview of the new iPhone, 30 seconds, vertical.', []],
  ["I'll use the export of coffee as the theme.", "I'll use the export of coffee as the theme.", []],
  ['Scene 3: a browser tab opening, click sounds.', 'Scene 3: a browser tab opening, click sounds.', []],
  ['Hit play to watch it. The title is red now.', 'The title is red now.', ['status']],
  ['Title updated. Click here to download it.', 'Title updated.', ['export']],
  ['Music added; click on the timeline to see the tracks.', 'Music added.', ['status']],
  ['A metronome click track at 120 bpm.', 'A metronome click track at 120 bpm.', []],
  ['Click the Settings tab to change the font.', "Tell me what you'd like to change and I'll do it.", []],
];

describe('translateGuiPhrases (§13.2)', () => {
  for (const [input, text, actions] of TABLE) {
    it(JSON.stringify(input.length > 70 ? input.slice(0, 70) + '…' : input), () => {
      assert.deepEqual(translateGuiPhrases(input), { text, actions });
    });
  }

  it('never returns empty text for input with content', () => {
    for (const [input] of TABLE) assert.notEqual(translateGuiPhrases(input).text.trim(), '');
    for (const input of ['Click Export.', 'Drag it.', '点击导出。', 'Open the settings panel.', 'Preview it.']) {
      assert.notEqual(translateGuiPhrases(input).text.trim(), '', input);
    }
  });

  it('passes empty, whitespace, huge and non-string input through without failing', () => {
    assert.deepEqual(translateGuiPhrases(''), { text: '', actions: [] });
    assert.deepEqual(translateGuiPhrases('  \n '), { text: '  \n ', actions: [] });
    const huge = 'Click Export. '.repeat(5000);
    assert.equal(translateGuiPhrases(huge).text, huge);
    assert.deepEqual(translateGuiPhrases(undefined as unknown as string), { text: '', actions: [] });
  });

  it('keeps blank lines between paragraphs; the two around a removed paragraph become one', () => {
    assert.deepEqual(translateGuiPhrases('Done!\n\nClick Export to save it.\n\nAnything else?'), { text: 'Done!\n\nAnything else?', actions: ['export'] });
  });
});
