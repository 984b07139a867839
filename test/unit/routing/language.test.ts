// The language sent when a project is created follows the user's own text.
import * as assert from 'node:assert/strict';
import { languageOfText, projectLanguageFor } from '../../../src/core/routing/language';

describe('project language from the user text', () => {
  const cases: Array<[string, string | undefined]> = [
    ['做一个15秒的视频，介绍我们的新耳机', 'zh-CN'],
    ['为 Lumen Desk 生成一个产品发布视频，要有轻快的音乐', 'zh-CN'],
    ['請幫我做一段關於燈塔的影片', 'zh-CN'],
    ['灯台についての15秒の動画を作ってください', 'ja'],
    ['등대에 관한 15초 영상을 만들어 주세요', 'ko'],
    ['Make a 15-second video about a lighthouse at dawn', undefined],
    ['Créez une vidéo de 15 secondes sur un phare', undefined],
    ['Launch video for 新品 Lumen Desk with upbeat music and a bold title card', undefined],
    ['12345 !!! ---', undefined],
    ['', undefined],
  ];
  for (const [text, expected] of cases) {
    it(`${JSON.stringify(text.slice(0, 30))} → ${expected ?? 'no clear script'}`, () => {
      assert.equal(languageOfText(text), expected);
    });
  }

  it('falls back to the setting or display language when the script says nothing', () => {
    assert.equal(projectLanguageFor('Make a video about tea', 'de'), 'de');
    assert.equal(projectLanguageFor('做一个关于茶的视频', 'en'), 'zh-CN');
    assert.equal(projectLanguageFor(undefined, 'pt-BR'), 'pt-BR');
  });

  it('looks only at the start of a very long text', () => {
    const text = `${'Make a video about tea. '.repeat(200)}${'茶'.repeat(100_000)}`;
    assert.equal(languageOfText(text), undefined);
  });
});
