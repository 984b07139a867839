// The composer's chips: remembered with Generate from Selection's options, and sent
// with the message that starts a new video (never with a message to an existing one).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { withFakeVscode } from '../../support/fakeVscodeFor';

const MODULE = path.resolve(__dirname, '../../../src/chatPanel/composerOptions');
const DIALOG = path.resolve(__dirname, '../../../src/dialogs');
const GENERATION = path.resolve(__dirname, '../../../src/jobs/generation');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ComposerChips } = withFakeVscode(require.resolve('../../support/fakeVscode'), [MODULE, DIALOG, GENERATION, path.resolve(__dirname, '../../../src/client')], () => require(MODULE) as typeof import('../../../src/chatPanel/composerOptions'));

class Memento {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  update(key: string, value: unknown): Promise<void> {
    this.values.set(key, value);
    return Promise.resolve();
  }
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
}

describe('chatPanel/ComposerChips', () => {
  let state: Memento;
  let project: { sessionId: string } | undefined;
  let chips: InstanceType<typeof ComposerChips>;
  beforeEach(() => {
    state = new Memento();
    project = undefined;
    chips = new ComposerChips({ state: state as never, projects: { current: () => project as never } });
  });

  it('shows the remembered options, the defaults first', () => {
    assert.deepEqual(chips.snapshot(), { composer: { durationSeconds: 30, aspectRatio: '16:9', voiceOver: true } });
    chips.set({ durationSeconds: 15, aspectRatio: '9:16', voiceOver: false });
    assert.deepEqual(chips.snapshot(), { composer: { durationSeconds: 15, aspectRatio: '9:16', voiceOver: false } });
    assert.deepEqual(state.get('nemoVideo.generationOptions'), { durationSeconds: 15, aspectRatio: '9:16', voiceOver: false }, 'the key Generate from Selection reads');
  });

  it('ignores a stored value that is not one of the options', () => {
    state.values.set('nemoVideo.generationOptions', { durationSeconds: 999, aspectRatio: '<b>', voiceOver: 'yes' });
    assert.deepEqual(chips.snapshot().composer, { durationSeconds: 30, aspectRatio: '16:9', voiceOver: true });
  });

  it('adds the options to a message that starts a new video, and only to that', () => {
    chips.set({ durationSeconds: 60, aspectRatio: '1:1', voiceOver: false });
    assert.equal(chips.apply('A teaser for a coffee shop'), 'A teaser for a coffee shop\n\n(Unless I said otherwise: 60 seconds, 1:1, without a voice-over.)');
    project = { sessionId: 's1' };
    assert.equal(chips.apply('make the intro shorter'), 'make the intro shorter');
  });
});
