// The scripted "nemo_agent": turns one user message into the sequence of model
// turns, tool calls, tool results and waits that the runner streams (§4.7, §4.9).
// State changes are attached to tool results, so they happen when the backend
// finishes that step even if nobody is listening any more (§4.10).
import { type EditOp, looksLikeEdit, planEdits } from './edits';
import { type Draft, asDraft, aspectHint, briefFromText, cloneDraft, isExportable, musicUrl, rawDraft, setMusic, setTitle, track } from './draft';
import { hostileSentence } from './hostile';
import { newFunctionCallId, shortHex } from './ids';
import type { SessionRecord } from './state';
import type { SimDelays } from './types';

export interface ToolCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
}

export type Step =
  /** A model call that answers with text (after an optional hidden thought), optionally followed by a tool call in the same turn. */
  | { kind: 'say'; text: string; thought?: string; call?: ToolCall; longRunning?: boolean }
  /** A model call that answers with a tool call only; `longRunning` tools (ask_question) list its id in longRunningToolIds. */
  | { kind: 'call'; call: ToolCall; longRunning?: boolean }
  /** A model call with nothing to say (finish reason STOP, no parts): how a silent edit ends (§4.9). */
  | { kind: 'emptyTurn' }
  /** A model call that stops with another finish reason (agentError). `text` is what it produced first. */
  | { kind: 'modelFailure'; code: string; message?: string; text?: string; thought?: string }
  /** Backend busy: heartbeats only. */
  | { kind: 'work'; ms: number }
  /**
   * Tool finished: `apply` changes the session state and returns the event's stateDelta; an
   * `artifactDelta` rides on the same event (ADK 1.22+ splits it into an action-only copy).
   */
  | { kind: 'result'; call: ToolCall; response: Record<string, unknown>; apply?: (s: SessionRecord) => Record<string, unknown>; artifactDelta?: Record<string, number> }
  /** The run raises (a tool exception): ADK's error line with this message, then close. */
  | { kind: 'streamError'; message: string }
  /** Heartbeats only until the client goes away. */
  | { kind: 'stall' };

export type Intent = 'generate' | 'edit' | 'aspectChange' | 'question';

export interface Plan {
  intent: Intent;
  steps: Step[];
  /** Credits frozen at the start and charged at the end (§9). */
  cost: number;
}

export const COST = { generate: 100, edit: 50, aspectChange: 0, question: 0 } as const;

const REGENERATE = /\b(regenerate|re-generate|redo|start over|new video|another (one|video|version))\b|重新生成|再来一个|再生成/i;
const GENERATE = /\b(generate|create|make|produce|build|render)\b[\s\S]*\b(video|clip|movie|film|reel|short|animation)\b|生成|制作/i;
const QUESTION = /\?\s*$|^(what|how|why|when|who|which|can|could|is|are|do|does|should|hi|hello|hey|thanks|thank you)\b|吗[？?]?$|什么|怎么|你好/i;

export function classify(text: string, draft: Draft | undefined): Intent {
  const hasDraft = draft !== undefined && isExportable(draft);
  if (!hasDraft) {
    // A first message makes a video unless it is plainly a question or small talk.
    return QUESTION.test(text.trim()) && !GENERATE.test(text) ? 'question' : 'generate';
  }
  if (REGENERATE.test(text)) return 'generate';
  if (aspectHint(text) && !/\b(title|music|subtitle|caption)\b/i.test(text)) return 'aspectChange';
  if (looksLikeEdit(text)) return 'edit';
  if (GENERATE.test(text)) return 'generate';
  return 'question';
}

export interface PlanContext {
  session: SessionRecord;
  text: string;
  baseUrl: string;
  delays: SimDelays;
  /** Asked for edit runs only (so the seeded sequence advances once per edit): end with tool calls and no text (§4.9). */
  silent: () => boolean;
}

const GUI_CLOSER = 'Preview it in the timeline, or click Export to save it.';

function call(name: string, args: Record<string, unknown>): ToolCall {
  return { id: newFunctionCallId(), name, args };
}

function spice(text: string, hostile: boolean): string {
  return hostile ? `${text} ${hostileSentence()}` : text;
}

/** Applies a draft change to the session's current draft and reports it as the stateDelta. */
function draftChange(change: (d: Draft) => void): (s: SessionRecord) => Record<string, unknown> {
  return (s) => {
    const current = asDraft(s.state.draft);
    if (!current) return {};
    const next = cloneDraft(current);
    change(next);
    s.state.draft = next;
    return { draft: next };
  };
}

function planGeneration(ctx: PlanContext): Step[] {
  const { session, text, baseUrl, delays } = ctx;
  const b = briefFromText(text, session.hostile);
  const seconds = b.durationMs / 1000;
  const videoUrl = `${baseUrl}/cdn/gen/${shortHex()}.mp4`;
  const media = { type: 'video', url: videoUrl, filename: `generated_${shortHex(4)}.mp4`, file_type: 'video', cdn_url: videoUrl, duration: seconds, width: b.width, height: b.height };
  const gen = call('generate_video_with_seedance', { prompt: text.slice(0, 500), duration: seconds, aspect_ratio: b.aspect });
  const bgm = call('add_background_music', { style: b.music, volume: 0.35 });
  const title = call('edit_multitrack', { action: 'add_text', track_type: 7, text: b.title, start: 0, duration: 3000 });
  const h = session.hostile;
  return [
    {
      kind: 'say',
      // Thought parts must stay hidden by clients (§4.4); the simulator sends one so that gets tested.
      thought: `The user wants a ${seconds}-second ${b.aspect} video. Generate the raw clip first, then add music and a title.`,
      text: spice(`Got it! I'll generate a ${seconds}-second ${b.label} video (${b.aspect}), then add music and a title. This may take a few minutes.`, h),
      call: gen,
    },
    { kind: 'work', ms: delays.generateMs },
    {
      kind: 'result',
      call: gen,
      response: { status: 'success', video_url: videoUrl, duration: seconds },
      apply: (s) => {
        s.state.generated_media = [...s.state.generated_media, media];
        s.state.video_infos = [...s.state.video_infos, media];
        s.state.canvas_config = { width: b.width, height: b.height, aspect_ratio: b.aspect };
        s.state.video_analyses = { ...s.state.video_analyses, [media.filename]: { summary: b.label, scenes: 1 } };
        s.state.draft = rawDraft(b, videoUrl);
        return { generated_media: [{ type: 'video', url: videoUrl }] };
      },
      // The tool saves the clip as an artifact (version 0).
      artifactDelta: { [media.filename]: 0 },
    },
    { kind: 'say', text: spice(`🎬 The raw ${seconds}-second video is ready. Now adding background music and a title…`, h), call: bgm },
    { kind: 'work', ms: delays.postProductionMs },
    { kind: 'result', call: bgm, response: { status: 'success', track: b.music, volume: 0.35 }, apply: draftChange((d) => setMusic(d, b.music, musicUrl(baseUrl, b.music))) },
    { kind: 'call', call: title },
    { kind: 'work', ms: delays.postProductionMs },
    { kind: 'result', call: title, response: { status: 'success', text: b.title }, apply: draftChange((d) => setTitle(d, b.title)) },
    {
      kind: 'say',
      text: spice(`✅ Your ${seconds}-second ${b.label} video is ready, with ${b.music} background music and the title "${b.title}". ${GUI_CLOSER}`, h),
    },
  ];
}

function planEdit(ctx: PlanContext, draft: Draft): Step[] {
  const silent = ctx.silent();
  const ops: EditOp[] = planEdits(ctx.text, draft, { baseUrl: ctx.baseUrl, hostile: ctx.session.hostile });
  const calls = ops.map((op) => call(op.tool, op.args));
  const perOp = Math.round(ctx.delays.editMs / ops.length);
  const steps: Step[] = [];
  ops.forEach((op, i) => {
    const c = calls[i];
    if (i === 0 && !silent) {
      steps.push({ kind: 'say', text: spice(`Sure — I'll ${ops.map((o) => o.intent).join(' and ')}.`, ctx.session.hostile), call: c });
    } else {
      steps.push({ kind: 'call', call: c });
    }
    steps.push({ kind: 'work', ms: perOp });
    steps.push({ kind: 'result', call: c, response: { status: 'success', message: op.done }, apply: draftChange((d) => op.apply(d)) });
  });
  // After the last tool result the model is called once more: either a closing text, or
  // (silent reply) an empty answer, which each ADK version writes its own way.
  if (silent) steps.push({ kind: 'emptyTurn' });
  else steps.push({ kind: 'say', text: spice(`✅ ${ops.map((o) => o.done).join('. ')}. ${GUI_CLOSER}`, ctx.session.hostile) });
  return steps;
}

function answerFor(text: string, draft: Draft | undefined, intent: Intent): string {
  if (intent === 'aspectChange') {
    return `Changing the aspect ratio means regenerating the video. Say "regenerate it in ${aspectHint(text)}" and I'll make a new version.`;
  }
  if (draft && isExportable(draft)) {
    const tracks = draft.t.filter((t) => t.sg.length > 0).length;
    const music = track(draft, 1)?.sg[0]?.m.name;
    return `Your video "${draft.m.title}" is ${draft.d / 1000} seconds long with ${tracks} tracks${music ? `, including ${String(music)} music` : ''}. Open the timeline panel to review it, or tell me what to change.`;
  }
  if (/^(hi|hello|hey)\b|你好/i.test(text.trim())) {
    return "Hi! Tell me what your video should show and I'll make it — for example, a 30-second vertical clip about a city at night.";
  }
  return 'I can turn an idea, a script or your own clips into a finished video, then add music, titles and captions. Tell me what it should show, how long (15, 30 or 60 seconds) and the format (16:9, 9:16 or 1:1).';
}

export function planRun(ctx: PlanContext): Plan {
  const draft = asDraft(ctx.session.state.draft);
  const intent = classify(ctx.text, draft);
  if (intent === 'generate') return { intent, steps: planGeneration(ctx), cost: COST.generate };
  if (intent === 'edit' && draft) return { intent, steps: planEdit(ctx, draft), cost: COST.edit };
  return {
    intent,
    steps: [
      { kind: 'work', ms: ctx.delays.textMs },
      { kind: 'say', text: spice(answerFor(ctx.text, draft, intent), ctx.session.hostile) },
    ],
    cost: COST[intent],
  };
}

/** The intent's cost, known before any scenario is taken (the 2001 check comes first). */
export function costOf(text: string, session: SessionRecord): number {
  return COST[classify(text, asDraft(session.state.draft))];
}

// --- Outcome scenarios: how a run goes wrong -------------------------------------

/** Keeps the run up to its first wait, so the failure comes after some real output. */
function headOf(steps: Step[]): Step[] {
  const firstWork = steps.findIndex((s) => s.kind === 'work');
  return firstWork < 0 ? steps.slice(0, 1) : steps.slice(0, firstWork + 1);
}

function firstToolName(steps: Step[]): string | undefined {
  for (const s of steps) {
    if (s.kind === 'say' && s.call) return s.call.name;
    if (s.kind === 'call') return s.call.name;
  }
  return undefined;
}

export const INVALID_JSON_ERROR_MESSAGE = 'it said "no" here';

/**
 * streamError: the first tool raises after some work. ADK writes the exception text as its
 * error line (raw f-string up to 1.22.1, json.dumps from 1.24), then closes.
 */
export function withStreamError(plan: Plan, hostile: boolean, message?: string): Plan {
  const head = headOf(plan.steps);
  const tool = firstToolName(head) ?? 'generate_video_with_seedance';
  let text = message ?? `Tool ${tool} failed: upstream timeout`;
  if (hostile) text += ` ${hostileSentence()}`;
  return { ...plan, steps: [...head, { kind: 'streamError', message: text }] };
}

export interface AgentErrorParams {
  /** The finish reason, default MALFORMED_FUNCTION_CALL; any string (SAFETY, MAX_TOKENS, RECITATION, OTHER, MODEL_ARMOR, …). */
  code?: string;
  /** Gemini's finish message (errorMessage); default "Malformed function call: <tool>" for MALFORMED_FUNCTION_CALL, none otherwise. */
  message?: string;
  /** Whether the model produced anything (its thought and text) before stopping (default true). */
  text?: boolean;
}

function paramString(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

export function agentErrorParams(p: Record<string, unknown>): AgentErrorParams {
  return { code: paramString(p.code), message: paramString(p.message), text: typeof p.text === 'boolean' ? p.text : undefined };
}

/**
 * agentError: the run's first model call stops with a finish reason other than STOP. With a
 * malformed call the model wrote its whole sentence and then a call that could not be parsed;
 * with the other reasons it was stopped halfway through its text.
 */
export function withAgentError(plan: Plan, hostile: boolean, params: AgentErrorParams = {}): Plan {
  const i = plan.steps.findIndex((s) => s.kind === 'say' || s.kind === 'call' || s.kind === 'emptyTurn');
  const turn = i < 0 ? undefined : plan.steps[i];
  const code = params.code ?? 'MALFORMED_FUNCTION_CALL';
  const tool = firstToolName(plan.steps) ?? 'generate_video_with_seedance';
  let message = params.message ?? (code === 'MALFORMED_FUNCTION_CALL' ? `Malformed function call: ${tool}` : undefined);
  if (message !== undefined && hostile) message += ` ${hostileSentence()}`;
  const said = params.text !== false && turn?.kind === 'say' ? turn : undefined;
  const text = said && (code === 'MALFORMED_FUNCTION_CALL' ? said.text : halfOf(said.text));
  const failure: Step = { kind: 'modelFailure', code, message, text, thought: said?.thought };
  return { ...plan, steps: [...plan.steps.slice(0, Math.max(0, i)), failure] };
}

/** The first half of a text, cut at a word boundary (what a model stopped midway had written). */
function halfOf(text: string): string {
  const words = text.split(/(?<=\s)(?=\S)/);
  return words.slice(0, Math.max(1, Math.ceil(words.length / 2))).join('').trimEnd();
}

export function withTemporaryIssue(plan: Plan): Plan {
  return { ...plan, steps: [...plan.steps, { kind: 'say', text: 'I encountered a temporary issue. Please try again in a moment.' }] };
}

export function stallPlan(): Plan {
  return { intent: 'question', steps: [{ kind: 'stall' }], cost: 0 };
}

export function askQuestionPlan(hostile: boolean): Plan {
  const question = hostile ? `Which style? ${hostileSentence()}` : 'Which style should the video have?';
  const c = call('ask_question', { question, options: ['Cinematic', 'Playful', 'Minimal'] });
  return { intent: 'question', steps: [{ kind: 'call', call: c, longRunning: true }], cost: 0 };
}

/**
 * echoToken: the run's first model answer starts with the caller's credentials. It belongs to
 * that answer (a text-only model turn would end the ADK run there).
 */
export function withEcho(plan: Plan, echo: string): Plan {
  const steps = [...plan.steps];
  const i = steps.findIndex((s) => s.kind === 'say' || s.kind === 'call' || s.kind === 'emptyTurn' || s.kind === 'modelFailure');
  if (i < 0) return { ...plan, steps: [{ kind: 'say', text: echo }, ...steps] };
  const s = steps[i];
  if (s.kind === 'say') steps[i] = { ...s, text: `${echo} ${s.text}` };
  else if (s.kind === 'call') steps[i] = { kind: 'say', text: echo, call: s.call, longRunning: s.longRunning };
  else if (s.kind === 'emptyTurn') steps[i] = { kind: 'say', text: echo };
  else if (s.kind === 'modelFailure') steps[i] = { ...s, text: s.text ? `${echo} ${s.text}` : echo };
  return { ...plan, steps };
}
