// How the agent's tool calls look to the user: one friendly progress line each,
// never the raw name-plus-JSON the backend sends (§4.4 "show progress only").
// Tool names are not documented beyond a few examples (generate_video_with_seedance,
// edit_multitrack), so the labels come from keywords in the name.

/** Ordered: the first matching rule wins (e.g. edit_multitrack before the "title" rule). */
const LABEL_RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [/ask_question/, 'Waiting for your answer…'],
  [/multitrack|timeline/, 'Editing the timeline…'],
  [/subtitle|caption/, 'Adding subtitles…'],
  [/(generate|create|make|gen).*(video|clip|movie)|(video|clip)_?gen|text_to_video|image_to_video|seedance|kling|hailuo|\bveo|runway/, 'Generating the video…'],
  [/(generate|create|make|gen).*(image|picture|photo)|text_to_image/, 'Generating images…'],
  [/bgm|music|soundtrack|song/, 'Adding background music…'],
  [/voice|tts|narrat|speech|dub/, 'Recording the voice-over…'],
  [/title|text_overlay|headline/, 'Adding the title…'],
  [/transition/, 'Adding transitions…'],
  [/effect|filter|sticker|animation/, 'Adding effects…'],
  [/trim|cut|split|crop|speed|reorder/, 'Editing the clips…'],
  [/edit/, 'Editing the timeline…'],
  [/analy|understand|describe|detect|recogni/, 'Analysing the media…'],
  [/search|find|query|lookup/, 'Searching the media library…'],
  [/upload|import|fetch|download/, 'Fetching the media…'],
  [/script|storyboard|outline|plan/, 'Writing the storyboard…'],
  [/render|export|compose/, 'Assembling the video…'],
];

const GENERATION_TOOL = LABEL_RULES[3][0];

/** A progress line for a tool call, e.g. generate_video_with_seedance -> "Generating the video…". */
export function friendlyToolLabel(name: string, _args?: Record<string, unknown>): string {
  const lower = name.toLowerCase();
  for (const [pattern, label] of LABEL_RULES) if (pattern.test(lower)) return label;
  return `Working: ${displayName(name)}…`;
}

/** Tools that make the raw video; the backend adds music, title and effects afterwards (§4.9). */
export function isGenerationTool(name: string): boolean {
  return GENERATION_TOOL.test(name.toLowerCase());
}

/** A function response that says the work goes on (long-running tools answer so, docs/adk-wire.md §5). */
export function isPendingResponse(response: unknown): boolean {
  if (typeof response !== 'object' || response === null) return false;
  const status = (response as Record<string, unknown>).status;
  return typeof status === 'string' && /^(pending|running|queued|processing|in[_ -]?progress|started|submitted)$/i.test(status.trim());
}

/**
 * ADK's own function calls (docs/adk-wire.md §6) as the user sees them: a confirmation
 * or sign-in request becomes a question, a hand-over to another agent and every other
 * `adk_*` call shows nothing (`hidden`); undefined for the app's own tools.
 */
export function adkOwnCall(name: string, args: Record<string, unknown>): { type: 'question'; text: string; options?: string[] } | 'hidden' | undefined {
  if (name === 'adk_request_confirmation') {
    const original = args.originalFunctionCall ?? args.original_function_call;
    const tool = typeof original === 'object' && original !== null ? (original as Record<string, unknown>).name : undefined;
    const what = typeof tool === 'string' && tool !== '' ? friendlyToolLabel(tool).replace(/…$/, '').toLowerCase() : 'the next step';
    return { type: 'question', text: `NemoVideo asks you to confirm before it goes on (${what}). Do you want it to go ahead?`, options: ['Yes, go ahead', 'No, leave it'] };
  }
  if (name === 'adk_request_credential') {
    return { type: 'question', text: 'NemoVideo needs you to sign in to a service before it can go on. Follow its instructions in the reply, then tell it to continue.' };
  }
  if (name === 'transfer_to_agent' || /^adk_/.test(name)) return 'hidden';
  return undefined;
}

/** A tool result that does not say it failed. Shapes are undocumented (§16 U19), so absence of failure counts. */
export function toolSucceeded(response: unknown): boolean {
  if (typeof response !== 'object' || response === null) return true;
  const r = response as Record<string, unknown>;
  if (r.success === false) return false;
  if (typeof r.status === 'string' && /^(error|failed|failure|fail)$/i.test(r.status)) return false;
  return r.error === undefined || r.error === null || r.error === false || r.error === '';
}

/** The question and its choices from an ask_question call (§4.9 ASSUMPTION: MCP-like arguments). */
export function questionFromArgs(args: Record<string, unknown>): { text: string; options?: string[] } {
  const raw = args.question ?? args.text ?? args.prompt ?? args.message ?? args.title;
  const text = typeof raw === 'string' && raw.trim() !== '' ? raw : 'NemoVideo has a question for you. Reply in the chat.';
  const list = args.options ?? args.choices ?? args.answers;
  if (!Array.isArray(list)) return { text };
  const options: string[] = [];
  for (const item of list) {
    const label = optionLabel(item);
    if (label !== undefined) options.push(label);
  }
  return options.length > 0 ? { text, options } : { text };
}

function optionLabel(item: unknown): string | undefined {
  if (typeof item === 'string') return item.trim() !== '' ? item : undefined;
  if (typeof item === 'number') return String(item);
  if (typeof item === 'object' && item !== null) {
    const o = item as Record<string, unknown>;
    const label = o.label ?? o.text ?? o.title ?? o.value;
    if (typeof label === 'string' && label.trim() !== '') return label;
  }
  return undefined;
}

/** A tool name as it may appear in a label: printable, short (names come from the network). */
function displayName(name: string): string {
  const clean = name.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '').trim();
  if (clean === '') return 'a tool';
  return clean.length > 60 ? `${clean.slice(0, 60)}…` : clean;
}
