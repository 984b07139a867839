// The chat controller keeps one chat per project, but not every chat forever: a long
// session visits many projects. Idle chats used longest ago are forgotten (their history
// stays in its file); the shown one and those with a job running or waiting never are.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as fake from '../../support/fakeVscode';
import { withFakeVscode } from '../../support/fakeVscodeFor';
import { eachTestTempDir } from '../../support/tempDir';

const SRC = path.resolve(__dirname, '../../../src');
const { ChatController, MAX_CHATS_KEPT } = withFakeVscode(require.resolve('../../support/fakeVscode'), [SRC], () =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('../../../src/chatPanel/chatController') as typeof import('../../../src/chatPanel/chatController'),
);

const event = () => new fake.EventEmitter<unknown>().event;

describe('ChatController: chats kept in memory', () => {
  const dir = eachTestTempDir('nemo-chats-');

  it(`keeps at most ${MAX_CHATS_KEPT} chats, never forgetting the shown one or one whose project works`, () => {
    const busy = new Set(['p1', 'p2']);
    const projects = { activeId: 'p0', get: () => undefined, pendingProject: () => undefined, current: () => undefined, onDidChange: event(), onDidChangeActive: event() };
    const runner = { onDidSubmit: event(), onDidChange: event(), busy: (id: string) => busy.has(id), pending: (id: string) => (id === 'p3' ? 1 : 0), running: () => undefined };
    const controller = new ChatController({
      historyDir: dir(),
      runner,
      projects,
      credits: { onDidChange: event() },
      settings: { onDidChange: event(), forFolder: () => ({ exportFolder: 'videos' }) },
      tokens: { onDidChangeUserToken: event(), effectiveUserToken: async () => undefined },
      clients: { onDidChange: event() },
      log: { failure: () => undefined, info: () => undefined, warn: () => undefined, debug: () => undefined, error: () => undefined },
      globalState: { get: () => undefined, update: async () => undefined, keys: () => [] },
    } as never);
    const first = new Map(Array.from({ length: 4 }, (_, i) => [`p${i}`, controller.chat(`p${i}`)]));
    for (let i = 4; i < 60; i++) controller.chat(`p${i}`);
    for (const [id, chat] of first) assert.equal(controller.chat(id), chat, `${id} was forgotten although it is shown or works`);
    // An idle chat used long ago was forgotten: asking for it again makes a new one (its history is read from its file).
    const again = controller.chat('p5');
    controller.chat('p6');
    assert.equal(controller.chat('p5'), again, 'a recently used chat is kept');
    const idleOld = controller.chat('p10');
    for (let i = 100; i < 130; i++) controller.chat(`p${i}`);
    assert.notEqual(controller.chat('p10'), idleOld, 'an idle chat used longest ago was forgotten');
    controller.dispose();
  });
});
