// A lone https address of a media file is an upload by URL; everything else goes to the agent.
import * as assert from 'node:assert/strict';
import { MAX_MEDIA_URL_CHARS, mediaUrlIn } from '../../../src/core/routing/mediaUrl';

describe('core/routing/mediaUrl', () => {
  it('takes a lone https media address, trimmed', () => {
    assert.equal(mediaUrlIn('  https://cdn.example.com/clips/intro.MP4?sig=abc \n'), 'https://cdn.example.com/clips/intro.MP4?sig=abc');
    assert.equal(mediaUrlIn('https://example.com/a%20b.png'), 'https://example.com/a%20b.png');
  });

  it('leaves everything else to the agent', () => {
    for (const text of [
      'http://example.com/a.mp4',
      'file:///etc/a.mp4',
      'javascript:alert(1)//a.mp4',
      'https://user:pass@example.com/a.mp4',
      'https://example.com/page.html',
      'https://example.com/',
      'use https://example.com/a.mp4 as the intro',
      'https://example.com/a.mp4 https://example.com/b.mp4',
      'https://example.com/%E0%A4%A.mp4',
      `https://example.com/${'x'.repeat(MAX_MEDIA_URL_CHARS)}.mp4`,
      'make a video',
    ]) assert.equal(mediaUrlIn(text), undefined, text);
  });
});
