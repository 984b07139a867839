// A conversation with every kind of message, used for screenshots and visual checks.
import { chatMessage, snapshotMessage } from './harness.mjs';

export function demoScene() {
  return [
    snapshotMessage({
      projectTitle: 'Urban Dreams: city launch teaser',
      credits: 1240,
      signedIn: true,
      simulator: true,
      busy: true,
      runId: 'run-2',
      busyLabel: 'Rendering the preview…',
      messages: [
        chatMessage('u1', 'user', 'Make a 30-second teaser for our city guide app, upbeat, 16:9, with a title "Urban Dreams".'),
        chatMessage('p1', 'progress', 'Writing the script', { status: 'done' }),
        chatMessage('p2', 'progress', 'Choosing stock footage', { status: 'done' }),
        chatMessage('a1', 'assistant', 'Your teaser is ready. I used **three city timelapses**, a lo-fi track at 35% and the title "Urban Dreams" for the first 3 s.\nTimeline (3 tracks): 1. Video: city timelapse (0-10s) 2. BGM: Lo-fi (0-10s, 35%) 3. Title: "Urban Dreams" (0-3s)\nOpen it on the web: https://nemovideo.com/project/urban-dreams', { status: 'done' }),
        chatMessage('s1', 'system', 'Saved videos/Urban Dreams 2025-11-24 10.42.mp4'),
        chatMessage('u2', 'user', 'Export failed, try again and make the title red'),
        chatMessage('e1', 'error', 'You are out of credits. Register a free account to get 500 more, then press Retry. Nothing was charged for this request.', {
          actions: [
            { id: 'retry', label: 'Retry', arg: 'u2' },
            { id: 'openLink', label: 'Register', url: 'https://nemovideo.com/register?bind=abc' },
            { id: 'setToken', label: 'Set token' },
          ],
        }),
        chatMessage('u3', 'user', 'Make the title red and add `fade-in`'),
        chatMessage('p3', 'progress', 'Editing the title track', { status: 'done' }),
        chatMessage('p4', 'progress', 'Applying a fade-in'),
        chatMessage('a2', 'assistant', 'Sure, I am changing the title colour to red and adding a half-second ', { status: 'streaming' }),
      ],
    }),
    { type: 'streamDelta', runId: 'run-2', messageId: 'a2', seq: 1, text: 'fade-in. ' },
    { type: 'streamDelta', runId: 'run-2', messageId: 'a2', seq: 2, text: 'The rest of the timeline stays as it is' },
  ];
}
