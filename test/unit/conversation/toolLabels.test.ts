// Tool calls as the user sees them: a friendly line, never the raw name plus JSON.
import * as assert from 'node:assert/strict';
import { friendlyToolLabel } from '../../../src/core/conversation/run';
import { isGenerationTool, questionFromArgs, toolSucceeded } from '../../../src/core/conversation/toolLabels';

describe('conversation/friendlyToolLabel', () => {
  const cases: Array<[string, string]> = [
    ['generate_video_with_seedance', 'Generating the video…'],
    ['text_to_video', 'Generating the video…'],
    ['edit_multitrack', 'Editing the timeline…'],
    ['add_bgm', 'Adding background music…'],
    ['generate_subtitles', 'Adding subtitles…'],
    ['add_title', 'Adding the title…'],
    ['generate_voiceover', 'Recording the voice-over…'],
    ['add_transition', 'Adding transitions…'],
    ['analyze_video', 'Analysing the media…'],
    ['generate_image', 'Generating images…'],
    ['ask_question', 'Waiting for your answer…'],
    ['frobnicate', 'Working: frobnicate…'],
  ];
  for (const [name, label] of cases) {
    it(`${name} -> ${label}`, () => assert.equal(friendlyToolLabel(name, {}), label));
  }

  it('unknown names are shown without control characters and cut short', () => {
    assert.equal(friendlyToolLabel('bad\u0000\u001b[31mname\n', {}), 'Working: bad[31mname…');
    const label = friendlyToolLabel('x'.repeat(500), {});
    assert.ok(label.length < 80);
    assert.equal(friendlyToolLabel('\u0000\u0001', {}), 'Working: a tool…');
  });

  it('never includes the arguments', () => {
    assert.equal(friendlyToolLabel('frobnicate', { secret: '{"raw":"json"}' }), 'Working: frobnicate…');
  });

  it('recognises generation tools for the two-stage message', () => {
    assert.ok(isGenerationTool('generate_video_with_seedance'));
    assert.ok(!isGenerationTool('edit_multitrack'));
    assert.ok(!isGenerationTool('generate_subtitles'));
  });

  it('reads a tool result as failed only when it says so', () => {
    assert.equal(toolSucceeded({ status: 'success' }), true);
    assert.equal(toolSucceeded('done'), true);
    assert.equal(toolSucceeded({ status: 'failed' }), false);
    assert.equal(toolSucceeded({ success: false }), false);
    assert.equal(toolSucceeded({ error: 'upstream timeout' }), false);
  });

  it('reads ask_question arguments defensively', () => {
    assert.deepStrictEqual(questionFromArgs({ question: 'Vertical or horizontal?', choices: ['9:16', '16:9'] }), { text: 'Vertical or horizontal?', options: ['9:16', '16:9'] });
    assert.deepStrictEqual(questionFromArgs({ text: 'Which music?', options: 'not a list' }), { text: 'Which music?' });
    assert.match(questionFromArgs({}).text, /question/i);
  });
});
