// Which local files the webview may name: a dropped file only from inside the
// workspace, an inline video only the exported MP4 inside an export folder. Every
// path trick a page could send is refused.
import * as assert from 'node:assert/strict';
import { fileInside, filePath, playableFile } from '../../../src/chatPanel/filePolicy';

const ROOTS = ['file:///home/me/project', 'file:///c%3A/work'];

describe('chatPanel/filePolicy', () => {
  it('takes a file inside a root, decoded', () => {
    assert.equal(fileInside('file:///home/me/project/clips/a%20b.mp4', ROOTS), '/home/me/project/clips/a b.mp4');
    assert.equal(fileInside('file:///c%3A/work/x.png', ROOTS), '/c:/work/x.png');
  });

  it('refuses anything outside, or not a plain local file', () => {
    for (const text of [
      'file:///home/me/project',
      'file:///home/me/project/',
      'file:///home/me/project-evil/a.mp4',
      'file:///home/me/other/a.mp4',
      'file:///etc/passwd',
      'file:///home/me/project/../secret.mp4',
      'file:///home/me/project/%2E%2E/secret.mp4',
      'file:///home/me/project/./a.mp4',
      'file:///home/me/project/a%00.mp4',
      'file:///home/me/project/%E0%A4%A.mp4',
      'file://evil-host/home/me/project/a.mp4',
      'file:///home/me/project/a.mp4?x=1',
      'file:///home/me/project/a.mp4#t',
      'https://example.com/home/me/project/a.mp4',
      'vscode-remote://ssh/home/me/project/a.mp4',
      'javascript:alert(1)',
      '/home/me/project/a.mp4',
      '',
    ]) assert.equal(fileInside(text, ROOTS), undefined, text);
  });

  it('reads no path from a URI that is not a local file', () => {
    assert.equal(filePath('file:///a/b'), '/a/b');
    assert.equal(filePath('not a uri'), undefined);
  });

  describe('playableFile', () => {
    const EXPORTS = ['file:///w/videos'];
    const saved = (arg: string, role = 'system') => ({ role, actions: [{ id: 'revealFile', arg: 'file:///w/videos/elsewhere.mp4' }, { id: 'openFile', arg }] });

    it('is the exported MP4 its Open button names', () => {
      assert.equal(playableFile(saved('file:///w/videos/Urban%20Dreams.mp4'), EXPORTS), 'file:///w/videos/Urban%20Dreams.mp4');
      assert.equal(playableFile(saved('file:///w/videos/a.MP4'), EXPORTS), 'file:///w/videos/a.MP4');
    });

    it('is nothing for another file, another folder or another kind of message', () => {
      assert.equal(playableFile(saved('file:///w/notes.mp4'), EXPORTS), undefined, 'outside the export folder');
      assert.equal(playableFile(saved('file:///w/videos/../../etc/a.mp4'), EXPORTS), undefined, 'climbs out');
      assert.equal(playableFile(saved('file:///w/videos/a.mp4.html'), EXPORTS), undefined, 'not an MP4');
      assert.equal(playableFile(saved('file:///w/videos/a.mp4', 'assistant'), EXPORTS), undefined, 'not the host\'s saved-video line');
      assert.equal(playableFile({ role: 'system', actions: [{ id: 'revealFile', arg: 'file:///w/videos/a.mp4' }] }, EXPORTS), undefined, 'no Open button');
      assert.equal(playableFile(saved('file:///w/videos/a.mp4'), []), undefined, 'no export folder');
    });
  });
});
