// @nemo's request handler with a fake response stream and a scripted job runner:
// the agent's Markdown arrives formatted in an untrusted MarkdownString and hostile
// replies stay inert; an export ends with an anchor to the file; the follow-ups
// follow what the answer left; attached #file references are the script, bounded.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { JobEventBody, JobRequest, JobResult } from '../../../src/jobs/job';
import type { ParticipantDeps } from '../../../src/participant/nemoParticipant';
import { requireFresh } from '../../support/freshRequire';
import * as fake from '../../support/fakeVscodeChat';

const SRC = path.resolve(__dirname, '../../../src');
const FAKE = require.resolve('../../support/fakeVscodeChat');
type Participant = typeof import('../../../src/participant/nemoParticipant');
type Registration = typeof import('../../../src/participant/registerParticipant');
type Redaction = typeof import('../../../src/redaction');
type Attached = typeof import('../../../src/participant/attachedFiles');
// One load, so the handler, the redactor it uses and the limits are the same module instances.
/* eslint-disable @typescript-eslint/no-require-imports */
const { participant, registration, redaction, attached } = requireFresh(FAKE, SRC, () => ({
  participant: require(path.join(SRC, 'participant/nemoParticipant')) as Participant,
  registration: require(path.join(SRC, 'participant/registerParticipant')) as Registration,
  redaction: require(path.join(SRC, 'redaction')) as Redaction,
  attached: require(path.join(SRC, 'participant/attachedFiles')) as Attached,
}));
/* eslint-enable @typescript-eslint/no-require-imports */
const { createNemoChatHandler } = participant;
const { registerNemoParticipant } = registration;
const { setRedactor } = redaction;
const { MAX_ATTACHED_FILE_BYTES } = attached;

type Part =
  | { kind: 'markdown'; value: string; trusted: unknown; html: unknown; md: boolean }
  | { kind: 'progress'; value: string }
  | { kind: 'button'; command: vscode.Command }
  | { kind: 'anchor'; value: unknown; title?: string };

class FakeStream {
  readonly parts: Part[] = [];
  markdown(value: string | fake.MarkdownString): void {
    if (typeof value === 'string') this.parts.push({ kind: 'markdown', value, trusted: undefined, html: undefined, md: false });
    else this.parts.push({ kind: 'markdown', value: value.value, trusted: value.isTrusted, html: value.supportHtml, md: true });
  }
  progress(value: string): void {
    this.parts.push({ kind: 'progress', value });
  }
  button(command: vscode.Command): void {
    this.parts.push({ kind: 'button', command });
  }
  anchor(value: unknown, title?: string): void {
    this.parts.push({ kind: 'anchor', value, title });
  }
  get markdownText(): string {
    return this.parts.flatMap((p) => (p.kind === 'markdown' ? [p.value] : [])).join('');
  }
}

const TIMELINE = { tracks: [{ type: 0, name: 'Video', segments: [] }], exportable: true } as unknown as JobResult['timeline'];

interface Harness {
  deps: ParticipantDeps;
  submitted: JobRequest[];
}

/** Deps whose runner plays `events` for every job and settles with `result`. */
function harness(events: JobEventBody[] = [], result: Partial<JobResult> = {}): Harness {
  const submitted: JobRequest[] = [];
  const runner = {
    submit(request: JobRequest, listener: (e: unknown) => void) {
      submitted.push(request);
      for (const e of events) listener({ ...e, jobId: 'j1', projectId: 'p' });
      return { result: Promise.resolve({ status: 'done', errors: [], timeline: TIMELINE, ...result }), cancel: () => undefined };
    },
  };
  const deps = {
    runner,
    projects: { activeId: 'p', newGeneration: () => 'p-new' },
    credits: { refresh: async () => ({ available: 500 }) },
    generation: {
      settings: { current: () => ({ askOptions: false, confirmBeforeSpending: false, trusted: true }) },
      credits: { available: 500 },
      globalState: { get: () => undefined, update: async () => undefined },
      openChat: () => undefined,
      tellChat: () => undefined,
    },
    currentTimeline: () => TIMELINE,
    loadTimeline: async () => TIMELINE,
    isGuest: () => false,
    log: { failure: () => undefined, info: () => undefined, warn: () => undefined },
  } as unknown as ParticipantDeps;
  return { deps, submitted };
}

function request(command: string | undefined, prompt: string, references: vscode.ChatPromptReference[] = []): vscode.ChatRequest {
  return { command, prompt, references, toolReferences: [], toolInvocationToken: undefined, model: undefined } as unknown as vscode.ChatRequest;
}

const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) } as unknown as vscode.CancellationToken;

async function ask(h: Harness, req: vscode.ChatRequest) {
  const stream = new FakeStream();
  const result = (await createNemoChatHandler(h.deps)(req, { history: [] } as unknown as vscode.ChatContext, stream as unknown as vscode.ChatResponseStream, token)) ?? {};
  return { stream, metadata: (result.metadata ?? {}) as Record<string, unknown> };
}

/** The Markdown parts that carry the agent's reply (the MarkdownStrings with text). */
function agentParts(stream: FakeStream) {
  return stream.parts.filter((p): p is Extract<Part, { kind: 'markdown' }> => p.kind === 'markdown' && p.md && p.value.trim() !== '');
}

describe('participant/@nemo handler', () => {
  beforeEach(() => fake.resetWorkspace());
  afterEach(() => setRedactor((t) => t));

  describe('the agent speaks Markdown', () => {
    it('a reply keeps its heading, list, code and https link, in an untrusted MarkdownString without HTML', async () => {
      const reply = '## Plan\n\n1. Open with the **harbour**\n2. See [the guide](https://nemovideo.com/guide)\n\n```json\n{"fps": 30}\n```';
      const { stream } = await ask(harness([{ type: 'text', text: reply }]), request('edit', 'Plan it'));
      const [part, ...rest] = agentParts(stream).filter((p) => p.value.includes('Plan'));
      assert.ok(part && rest.length === 0, JSON.stringify(stream.parts));
      assert.equal(part.value, '## Plan\n\n1. Open with the **harbour**\n2. See [the guide](<https://nemovideo.com/guide>)\n\n```json\n{"fps": 30}\n```');
      assert.equal(part.trusted, false);
      assert.equal(part.html, false);
    });

    it('hostile replies stay inert: no command:, javascript: or file: link, no HTML, no image', async () => {
      const hostile = [
        '[open terminal](command:workbench.action.terminal.new)',
        '[x](command:vscode.open?%5B%22file%3A%2F%2F%2Fetc%2Fpasswd%22%5D)',
        '[js](javascript:alert(1)) [js2](JaVaScRiPt:alert(1)) [js3](&#x6A;avascript:alert(1)) [js4](<java\nscript:alert(1)>)',
        '<img src=x onerror=alert(1)> <script>alert(1)</script> <a href="command:x">a</a>',
        '<div>\n\n[inside html](command:x)\n\n</div>',
        '![pixel](https://tracker.example/p.gif) [f](file:///etc/passwd) <command:workbench.action.terminal.new>',
        '[ref][r]\n\n[r]: command:workbench.action.terminal.new',
        '$(alert) $(terminal)',
      ].join('\n\n');
      const { stream } = await ask(harness([{ type: 'text', text: hostile }]), request('edit', 'x'));
      const [part] = agentParts(stream);
      assert.ok(part);
      assert.equal(part.trusted, false);
      assert.equal(part.html, false);
      // Every link target that can come out is an https one, written by us in <…>.
      const targets = [...part.value.matchAll(/\]\(<([^>]*)>\)/g)].map((m) => m[1]);
      assert.deepEqual(targets, ['https://tracker.example/p.gif']);
      const withoutTargets = part.value.replace(/\]\(<https:[^>]*>\)/g, '](…)');
      assert.doesNotMatch(withoutTargets, /(^|[^\\])</, 'an unescaped < reached the Chat view');
      assert.doesNotMatch(part.value, /!\[/, 'an image reached the Chat view');
      assert.doesNotMatch(part.value, /(^|[^\\])\$\(/, 'a theme icon reached the Chat view');
      assert.doesNotMatch(part.value, /^\s*\\?\[r\\?\]:/m, 'a reference definition reached the Chat view');
      assert.match(part.value, /open terminal/, 'the link text is still shown');
    });

    it('a token in the reply is redacted before it is parsed (also inside a link or code)', async () => {
      setRedactor((t) => t.replaceAll('nmv_usr_SECRET', '[redacted]'));
      const reply = 'Token `nmv_usr_SECRET` and [link](https://x.example/?t=nmv_usr_SECRET)';
      const { stream } = await ask(harness([{ type: 'text', text: reply }]), request('edit', 'x'));
      assert.ok(!JSON.stringify(stream.parts).includes('nmv_usr_SECRET'));
      assert.match(stream.markdownText, /redacted/);
    });

    it('progress lines go to stream.progress, escaped', async () => {
      const { stream } = await ask(harness([{ type: 'progress', kind: 'step', text: '⚙️ Editing [x](command:y)' }]), request('edit', 'x'));
      const progress = stream.parts.filter((p) => p.kind === 'progress').map((p) => (p as { value: string }).value);
      assert.deepEqual(progress, ['⚙️ Editing \\[x\\]\\(command\\:y\\)']);
    });
  });

  describe('after an export', () => {
    it('the saved video is an anchor to the file, and the answer ends with Open Video', async () => {
      const file = { uri: fake.Uri.file('/ws/videos/lighthouse.mp4'), bytes: 3 * 1048576, label: 'videos/lighthouse.mp4' };
      const h = harness([{ type: 'exported', file } as unknown as JobEventBody], { exported: file as unknown as JobResult['exported'] });
      const { stream, metadata } = await ask(h, request('export', ''));
      const anchors = stream.parts.filter((p) => p.kind === 'anchor');
      assert.deepEqual(anchors, [{ kind: 'anchor', value: file.uri, title: 'videos/lighthouse.mp4' }]);
      const before = stream.parts[stream.parts.indexOf(anchors[0]!) - 1];
      assert.ok(before?.kind === 'markdown' && before.value.startsWith('✅ Video saved \\(3\\.0 MB\\)\\:'), JSON.stringify(before));
      assert.equal(metadata.exported, file.uri.toString());
      assert.ok(stream.parts.some((p) => p.kind === 'button' && p.command.command === 'vscode.open' && p.command.arguments?.[0] === file.uri));
      assert.deepEqual(h.submitted, [{ kind: 'export', projectId: 'p' }]);
    });
  });

  describe('#file references are the script', () => {
    const script = fake.Uri.file('/ws/script.md');

    it('/generate reads the attached file and sends it (with the rest of the prompt) as the generation text', async () => {
      fake.files.set(script.toString(), { text: '# Lighthouse\n\nA keeper climbs the stairs at dusk.\n' });
      const h = harness();
      const { stream } = await ask(h, request('generate', '#file:script.md upbeat please', [{ id: 'vscode.file', range: [0, 15], value: script }]));
      assert.equal(h.submitted.length, 1);
      const sent = h.submitted[0] as Extract<JobRequest, { kind: 'generation' }>;
      assert.equal(sent.kind, 'generation');
      assert.equal(sent.request.text, 'upbeat please\n\n# Lighthouse\n\nA keeper climbs the stairs at dusk.');
      assert.equal(sent.request.source, 'script.md');
      assert.match(stream.markdownText, /from script\\\.md/);
    });

    it('a prompt without a command but with a file is a generation; a Location sends only its range', async () => {
      fake.files.set(script.toString(), { text: 'line zero\nline one\nline two\n' });
      const range = new fake.Range(new fake.Position(1, 0), new fake.Position(2, 8));
      const h = harness();
      await ask(h, request(undefined, '', [{ id: 'vscode.selection', value: new fake.Location(script, range) }]));
      assert.equal((h.submitted[0] as Extract<JobRequest, { kind: 'generation' }>).request.text, 'line one\nline two');
    });

    it('an open editor is read as shown (unsaved changes), without touching the disk', async () => {
      fake.openEditorDocument(script, 'Unsaved draft of the script');
      const h = harness();
      await ask(h, request('generate', '', [{ id: 'vscode.file', value: script }]));
      assert.equal((h.submitted[0] as Extract<JobRequest, { kind: 'generation' }>).request.text, 'Unsaved draft of the script');
      assert.deepEqual(fake.opened, []);
    });

    it('a file over the bound is refused before it is opened, and nothing is sent', async () => {
      fake.files.set(script.toString(), { text: 'x', size: MAX_ATTACHED_FILE_BYTES + 1 });
      const h = harness();
      const { stream, metadata } = await ask(h, request('generate', '', [{ id: 'vscode.file', value: script }]));
      assert.deepEqual(fake.opened, [], 'the large file was read');
      assert.deepEqual(h.submitted, []);
      assert.equal(metadata.attachment, false);
      assert.match(stream.markdownText, /script\\\.md is too large/);
    });

    it('a script over the generation limit after reading is refused too; binary files and folders are not read as text', async () => {
      fake.files.set(script.toString(), { text: 'word '.repeat(5_000) });
      let h = harness();
      let answer = await ask(h, request('generate', '', [{ id: 'vscode.file', value: script }]));
      assert.equal(answer.metadata.tooLong, true);
      assert.deepEqual(h.submitted, []);

      const video = fake.Uri.file('/ws/clip.mp4');
      fake.files.set(video.toString(), { text: '', binary: true });
      h = harness();
      answer = await ask(h, request('generate', '', [{ id: 'vscode.file', value: video }]));
      assert.match(answer.stream.markdownText, /clip\\\.mp4 could not be read as text/);
      assert.deepEqual(h.submitted, []);

      const folder = fake.Uri.file('/ws/docs');
      fake.files.set(folder.toString(), { text: '', type: fake.FileType.Directory });
      fake.opened.length = 0;
      h = harness();
      answer = await ask(h, request('generate', '', [{ id: 'vscode.file', value: folder }]));
      assert.deepEqual(fake.opened, [], 'the folder was opened');
      assert.match(answer.stream.markdownText, /docs could not be read as text/);
      assert.deepEqual(h.submitted, []);
    });

    it('in an untrusted workspace an attached script is sent only after the spending confirmation', async () => {
      fake.files.set(script.toString(), { text: 'A keeper climbs the stairs at dusk.' });
      const untrusted = (h: Harness) => {
        (h.deps.generation.settings as unknown as { current: () => object }).current = () => ({ askOptions: false, confirmBeforeSpending: false, trusted: false });
        return h;
      };
      let h = untrusted(harness());
      const declined = await ask(h, request('generate', '', [{ id: 'vscode.file', value: script }]));
      assert.equal(fake.warnings.length, 1, 'no confirmation was asked');
      assert.match(fake.warnings[0]!.detail ?? '', /not trusted/);
      assert.deepEqual(h.submitted, []);
      assert.equal(declined.metadata.declined, true);

      fake.window.answerWarning = 'Generate';
      h = untrusted(harness());
      await ask(h, request('generate', '', [{ id: 'vscode.file', value: script }]));
      assert.equal((h.submitted[0] as Extract<JobRequest, { kind: 'generation' }>).request.text, 'A keeper climbs the stairs at dusk.');
    });

    it('more than five attachments are refused; references that are not files are ignored', async () => {
      const refs = Array.from({ length: 6 }, (_, i) => {
        const uri = fake.Uri.file(`/ws/part${i}.md`);
        fake.files.set(uri.toString(), { text: `part ${i}` });
        return { id: 'vscode.file', value: uri };
      });
      const h = harness();
      const { stream } = await ask(h, request('generate', '', refs));
      assert.match(stream.markdownText, /at most 5 files/);
      assert.deepEqual(fake.opened, []);

      const plain = harness();
      await ask(plain, request('generate', 'A teaser about tea', [{ id: 'some.variable', value: 'a string value' }]));
      assert.equal((plain.submitted[0] as Extract<JobRequest, { kind: 'generation' }>).request.text, 'A teaser about tea');
    });
  });

  describe('follow-ups and the icon', () => {
    it('registers @nemo with a light and a dark icon and a follow-up provider', () => {
      const log = { info: () => undefined, failure: () => undefined } as unknown as ParticipantDeps['log'];
      registerNemoParticipant(fake.Uri.file('/ext') as unknown as vscode.Uri, async () => ({}), log);
      const [p] = fake.participants;
      assert.ok(p);
      const icon = p.iconPath as { light: fake.Uri; dark: fake.Uri };
      assert.equal(icon.light.path, '/ext/media/nemo-chat-light.svg');
      assert.equal(icon.dark.path, '/ext/media/nemo-chat-dark.svg');
      const provider = p.followupProvider as vscode.ChatFollowupProvider;
      const followups = provider.provideFollowups({ metadata: { command: 'edit', project: true, exportable: true, errors: 0 } }, { history: [] } as unknown as vscode.ChatContext, token);
      assert.deepEqual((followups as vscode.ChatFollowup[]).map((f) => f.command), ['export', 'edit', 'edit']);
    });

    it('an answer records what the follow-ups need: the project, whether it can be exported, errors', async () => {
      const { metadata } = await ask(harness([{ type: 'text', text: 'Done.' }]), request('edit', 'Make the title larger'));
      assert.deepEqual(
        { project: metadata.project, exportable: metadata.exportable, errors: metadata.errors, cancelled: metadata.cancelled },
        { project: true, exportable: true, errors: 0, cancelled: false },
      );
    });
  });
});
