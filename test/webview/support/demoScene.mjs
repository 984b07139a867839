// Conversations used for screenshots and visual checks.
import { chatMessage, snapshotMessage } from './harness.mjs';

/** Every kind of message, with a reply still streaming. */
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
        chatMessage('a1', 'assistant', 'Your teaser is ready. I used **three city timelapses**, a lo-fi track at 35% and the title "Urban Dreams" for the first 3 s.\nOpen it on the web: https://nemovideo.com/project/urban-dreams', { status: 'done' }),
        chatMessage('s0', 'system', TIMELINE, { actions: [{ id: 'export', label: 'Export' }] }),
        chatMessage('s1', 'system', SAVED, { actions: SAVED_ACTIONS }),
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
        chatMessage('a2', 'assistant', 'Sure, I am changing the title colour to **red** and adding a half-second ', { status: 'streaming' }),
      ],
    }),
    { type: 'streamDelta', runId: 'run-2', messageId: 'a2', seq: 1, text: '`fade-in`. ' },
    { type: 'streamDelta', runId: 'run-2', messageId: 'a2', seq: 2, text: 'The rest of the timeline stays as it is' },
  ];
}

export const TIMELINE = 'Timeline (3 tracks): 1. Video: city timelapse (0-10s), app walkthrough (10-22s), title card (22-30s) 2. BGM: Lo-fi (0-30s, 35%) 3. Title: "Urban Dreams" (0-3s)';
export const SAVED = '✅ Video saved: videos/Urban Dreams 2025-11-24 10.42.mp4 (12.3 MB)';
export const SAVED_ACTIONS = [
  { id: 'openFile', label: 'Open', arg: 'file:///work/videos/Urban%20Dreams%202025-11-24%2010.42.mp4' },
  { id: 'revealFile', label: 'Reveal in Explorer', arg: 'file:///work/videos/Urban%20Dreams%202025-11-24%2010.42.mp4' },
  { id: 'openInWeb', label: 'Open in NemoVideo Web' },
];

export const MARKDOWN_REPLY = [
  '## Shot list',
  '',
  'Here is the plan for **Urban Dreams** (30 s, 16:9), cut to the beat of the *lo-fi* track:',
  '',
  '| # | Shot | Time | Music |',
  '|:-:|------|-----:|-------|',
  '| 1 | City timelapse at dusk | 0–10 s | Lo-fi, 35% |',
  '| 2 | App walkthrough on a phone | 10–22 s | Lo-fi, 35% |',
  '| 3 | Title card *Urban Dreams* | 22–30 s | fade out |',
  '',
  'To trim the first two seconds of the exported file yourself:',
  '',
  '```bash',
  'ffmpeg -ss 2 -i "videos/Urban Dreams.mp4" -c copy "videos/Urban Dreams (trimmed).mp4"',
  '```',
  '',
  '> Short, specific prompts work best: "make the intro 5 s" beats "make it better".',
  '',
  'Next steps:',
  '1. Check the title colour',
  '2. Export again, or open the [export guide](https://nemovideo.com/docs/export)',
].join('\n');

/** A Markdown reply with a heading, a table, a code block, a quote and a list. */
export function markdownScene() {
  return [
    snapshotMessage({
      projectTitle: 'Urban Dreams: city launch teaser',
      credits: 1240,
      signedIn: true,
      simulator: false,
      messages: [
        chatMessage('u1', 'user', 'Give me a shot list for the teaser, and how to trim the intro myself'),
        chatMessage('p1', 'progress', 'Reading the project', { status: 'done' }),
        chatMessage('a1', 'assistant', MARKDOWN_REPLY, { status: 'done' }),
      ],
    }),
  ];
}

/** The extension's own cards: the timeline summary and the saved video. */
export function cardsScene() {
  return [
    snapshotMessage({
      projectTitle: 'Urban Dreams: city launch teaser',
      credits: 1140,
      signedIn: true,
      simulator: false,
      messages: [
        chatMessage('u1', 'user', 'Show me the timeline, then export it'),
        chatMessage('p1', 'progress', 'Reading the timeline', { status: 'done' }),
        chatMessage('s1', 'system', TIMELINE, { actions: [{ id: 'export', label: 'Export' }] }),
        chatMessage('p2', 'progress', 'Rendering and downloading the video', { status: 'done' }),
        chatMessage('s2', 'system', SAVED, { actions: SAVED_ACTIONS }),
        chatMessage('s3', 'system', 'New project started'),
      ],
    }),
  ];
}

/** A question with its answers as buttons, and the exported video in its player (`videoSrc`: where the page can load an MP4). */
export function answersScene(videoSrc) {
  return [
    snapshotMessage({
      projectTitle: 'Lumen Desk launch',
      credits: 1040,
      signedIn: true,
      simulator: false,
      composer: { durationSeconds: 15, aspectRatio: '9:16', voiceOver: true },
      messages: [
        chatMessage('u1', 'user', 'A 15-second launch teaser for the Lumen Desk lamp'),
        chatMessage('a1', 'assistant', 'Happy to! Which mood should the teaser have?\n\n1. **Cinematic**: slow push-ins, warm light\n2. **Playful**: quick cuts, bright colours\n3. **Minimal**: clean white set, one product shot', {
          status: 'done',
          choices: ['Cinematic: slow push-ins, warm light', 'Playful: quick cuts, bright colours', 'Minimal: clean white set, one product shot'],
        }),
        chatMessage('p1', 'progress', 'Rendering and downloading the video', { status: 'done' }),
        chatMessage('s1', 'system', '✅ Video saved: videos/Lumen Desk launch.mp4 (0.1 MB)', {
          video: videoSrc,
          actions: [
            { id: 'openFile', label: 'Open', arg: 'file:///w/videos/Lumen%20Desk%20launch.mp4' },
            { id: 'revealFile', label: 'Reveal in Explorer', arg: 'file:///w/videos/Lumen%20Desk%20launch.mp4' },
            { id: 'openExternally', label: 'Open Externally', arg: 'file:///w/videos/Lumen%20Desk%20launch.mp4' },
            { id: 'openInWeb', label: 'Open in NemoVideo Web' },
          ],
        }),
      ],
    }),
    { type: 'busy', busy: true, runId: 'r2', label: 'Rendering… 40%' },
  ];
}
