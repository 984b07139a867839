// The one message protocol between the extension host and the chat webview.
// Imported by both bundles (src/ and webview/), so it may import nothing but
// zod/mini (the full zod build is ~450 KB minified; mini is ~17 KB).
//
// Rules (see README "Design notes"):
// - Every message is validated on arrival with safeParse; bad ones are dropped
//   and logged, never thrown.
// - The host is the source of truth. The webview asks for a snapshot on
//   `ready` and whenever it becomes visible again, and rebuilds from it.
// - Streams carry the run id and a per-run sequence number, so a late or
//   duplicated delta is ignored instead of corrupting the text.
// - Requests from the webview carry a requestId; the host answers each with
//   exactly one `response` (RequestReply), so the webview can time out.
// - `ready` carries PROTOCOL_VERSION: a webview left over from another version of
//   the extension (a retained panel after an update) is reloaded.
// - The token never appears in any message: the webview only learns `signedIn`.
import * as z from 'zod/mini';
// Length bounds through one z.check, not z.minLength/z.maxLength (see zodRule.ts for why).
import { lengthBetween as len } from './core/zodRule';

const id = z.string().check(len(1, 128));
const shortText = z.string().check(len(0, 2_000));
/** Chat input is bounded so a flood of huge messages cannot exhaust the host. */
const userText = z.string().check(len(1, 20_000));
const longText = z.string().check(len(0, 5_000_000));
/** An answer offered as a button (core/conversation/choices.ts bounds them the same way). */
const choiceText = z.string().check(len(1, 120));
/** A file or webview URI. */
const uriText = z.string().check(len(1, 4_096));

// ---------------------------------------------------------------------------
// Chat history model (persisted by the host, rendered by the webview)

export const ChatRole = z.literal(['user', 'assistant', 'progress', 'system', 'error']);
export type ChatRole = z.infer<typeof ChatRole>;

/** A button the webview can show on a message; clicking it sends `action` back. */
export const MessageAction = z.object({
  id: z.literal(['retry', 'export', 'credits', 'status', 'openLink', 'setToken', 'newProject', 'openFile', 'revealFile', 'openInWeb', 'openExternally', 'edit']),
  label: shortText,
  /** For openLink: an https URL the host re-validates before opening. */
  url: z.optional(z.string().check(len(0, 2_048))),
  /**
   * For retry/openFile/revealFile/openExternally/edit: what to act on (message id or file URI
   * string). `edit` is the webview's own: it puts the text back into the composer, and sending
   * it posts an `edit` request.
   */
  arg: z.optional(z.string().check(len(0, 4_096))),
});
export type MessageAction = z.infer<typeof MessageAction>;

export const ChatMessage = z.object({
  id,
  role: ChatRole,
  text: longText,
  /** Epoch ms. */
  time: z.number(),
  /** Streaming messages are replaced by `streamDelta`/`messageUpdated` until done. */
  status: z.optional(z.literal(['streaming', 'done', 'cancelled', 'failed'])),
  actions: z.optional(z.array(MessageAction).check(len(0, 6))),
  /** The answers the agent's question offers, shown as buttons; pressing one sends an `answer`. */
  choices: z.optional(z.array(choiceText).check(len(0, 6))),
  /**
   * The saved video as the webview may load it (webview.asWebviewUri of the exported file),
   * added by the host as it posts the message and never stored: the page plays it inline.
   */
  video: z.optional(uriText),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

/** The options of a new video, as Generate from Selection asks them (src/jobs/generation.ts). */
export const ComposerOptions = z.object({
  durationSeconds: z.literal([15, 30, 60]),
  aspectRatio: z.literal(['16:9', '9:16', '1:1']),
  voiceOver: z.boolean(),
});
export type ComposerOptions = z.infer<typeof ComposerOptions>;

/** Files dropped or picked at once; more is a mistake, not a batch. */
export const MAX_ATTACH_FILES = 10;

// ---------------------------------------------------------------------------
// Webview -> host

// z.union rather than z.discriminatedUnion: the `type` literals are disjoint, so exactly the same
// messages pass (and parse to the same value), and the host bundle is spared discriminatedUnion's
// code (about 1.9 KB minified). The cost is a few failed literal checks per message.
export const WebviewToHost = z.union([
  /** Sent once the script has loaded and after the webview becomes visible again. */
  z.object({ type: z.literal('ready'), protocolVersion: z.number() }),
  z.object({ type: z.literal('send'), requestId: id, text: userText }),
  z.object({ type: z.literal('stop'), requestId: id }),
  /**
   * Ask the host to upload files: without `uris` it opens the file dialog (several files at
   * once); with them, files dropped on the page (text/uri-list), which the host accepts only
   * inside the workspace. Bytes never cross postMessage.
   */
  z.object({ type: z.literal('attach'), requestId: id, uris: z.optional(z.array(uriText).check(len(1, MAX_ATTACH_FILES))) }),
  /** A button of a question pressed: the host sends `choice` as the answer only if it offered it on that message. */
  z.object({ type: z.literal('answer'), requestId: id, messageId: id, choice: choiceText }),
  /** The user's last message, changed while it still waits in the queue: the host sends the new text instead. */
  z.object({ type: z.literal('edit'), requestId: id, messageId: id, text: userText }),
  /** The composer's chips changed; the host remembers them for the next new video. */
  z.object({ type: z.literal('options'), requestId: id, options: ComposerOptions }),

  z.object({ type: z.literal('export'), requestId: id }),
  z.object({ type: z.literal('credits'), requestId: id }),
  z.object({ type: z.literal('newProject'), requestId: id }),
  z.object({ type: z.literal('action'), requestId: id, messageId: id, action: MessageAction }),
  /** The webview keeps its draft input in setState; this is only for telemetry-free logging of UI errors. */
  z.object({ type: z.literal('uiError'), message: shortText }),
]);
export type WebviewToHost = z.infer<typeof WebviewToHost>;

// ---------------------------------------------------------------------------
// Host -> webview

/**
 * String keys to string values, like z.record(z.string(), z.string()), as an object with no
 * declared keys whose every other key must hold a string. z.record adds about 2.8 KB of zod core
 * to the host bundle; catchall reuses the object schema. Same result for any JSON or
 * structured-clone object: a non-string value fails, `__proto__` is dropped, the output is a copy.
 */
const stringMap = z.catchall(z.object({}), z.string());

export const Snapshot = z.object({
  messages: z.array(ChatMessage),
  busy: z.boolean(),
  /** Id of the run in progress, if any. */
  runId: z.optional(z.string()),
  /**
   * The `seq` of the last `streamDelta` of `runId` whose text is already part of `messages`.
   * The webview ignores later deltas with a seq <= this one; when absent it accepts whatever
   * seq comes next for the run.
   */
  lastSeq: z.optional(z.number()),
  /** What the work in progress is doing right now, as in the `busy` message's `label`. */
  busyLabel: z.optional(shortText),
  /**
   * How long the job in progress has run, in ms (the busy line's elapsed time): a page that
   * is new (a reload) or shows another project counts on from here, not from 0:00. A
   * duration rather than a start time, since the host's clock may not be the webview's.
   */
  busyElapsedMs: z.optional(z.number()),
  signedIn: z.boolean(),
  projectTitle: z.optional(shortText),
  credits: z.optional(z.number()),
  /** True when the bundled simulator is the backend. */
  simulator: z.boolean(),
  /** Why generation asks first, shown as a banner (untrusted workspace). */
  notice: z.optional(shortText),
  /** Localised UI strings, keyed by English source text (vscode.l10n). */
  strings: stringMap,
  locale: z.string(),
  /** The composer's chips: the options of the next new video. */
  composer: z.optional(ComposerOptions),
});
export type Snapshot = z.infer<typeof Snapshot>;

// z.union for the same reason as WebviewToHost.
export const HostToWebview = z.union([
  z.object({ type: z.literal('snapshot'), snapshot: Snapshot }),
  z.object({ type: z.literal('messageAdded'), message: ChatMessage }),
  /** Replaces a message (final text, status, actions). */
  z.object({ type: z.literal('messageUpdated'), message: ChatMessage }),
  /** Live text of a streaming assistant message: `text` is appended, `seq` increases by one per delta within a run. */
  z.object({ type: z.literal('streamDelta'), runId: id, messageId: id, seq: z.number(), text: longText }),
  z.object({ type: z.literal('busy'), busy: z.boolean(), runId: z.optional(z.string()), label: z.optional(shortText) }),
  z.object({ type: z.literal('credits'), available: z.number() }),
  z.object({ type: z.literal('response'), requestId: id, ok: z.boolean(), error: z.optional(shortText) }),
]);
export type HostToWebview = z.infer<typeof HostToWebview>;

/** A request from the webview: it carries a requestId and gets exactly one `response`. */
export type WebviewRequest = Extract<WebviewToHost, { requestId: string }>;

/**
 * What the host answers to a request, as the `response` message carries it: accepted
 * (the work started; its progress arrives as messages), or refused with a reason the
 * webview shows. The host answers as soon as it has accepted, not when the work ends.
 */
export type RequestReply = { ok: true } | { ok: false; error?: string };

/** The host's handler for each request type, each with its own message type and the reply. */
export type RequestHandlers = {
  [K in WebviewRequest['type']]: (request: Extract<WebviewRequest, { type: K }>) => RequestReply | Promise<RequestReply>;
};

/** Sent with `ready`; a webview of another version is reloaded by the host. */
export const PROTOCOL_VERSION = 2;
/** The webview gives up on a request after this long and shows an error. */
export const REQUEST_TIMEOUT_MS = 30_000;

export function parseWebviewToHost(raw: unknown): WebviewToHost | undefined {
  const r = WebviewToHost.safeParse(raw);
  return r.success ? r.data : undefined;
}

export function parseHostToWebview(raw: unknown): HostToWebview | undefined {
  const r = HostToWebview.safeParse(raw);
  return r.success ? r.data : undefined;
}
