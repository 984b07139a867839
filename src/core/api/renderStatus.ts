// The tolerant render reply parser of docs/protocol.md §3.9 (the documents
// disagree on the shape, §14 item 3):
//   unwrap `data` when the body has `code` or `success`;
//   status from the body or from `data.status`;
//   URL from the first present of outputUrl, output.url, data.outputUrl, data.output.url;
//   error from `error` or `message`.
import * as z from 'zod/mini';
import type { RenderStatus, RenderStatusValue } from './types';

const outputSchema = z.looseObject({ url: z.optional(z.unknown()) });

const renderBodySchema = z.looseObject({
  id: z.optional(z.unknown()),
  taskId: z.optional(z.unknown()),
  task_id: z.optional(z.unknown()),
  status: z.optional(z.unknown()),
  progress: z.optional(z.unknown()),
  outputUrl: z.optional(z.unknown()),
  output_url: z.optional(z.unknown()),
  output: z.optional(z.unknown()),
  error: z.optional(z.unknown()),
  message: z.optional(z.unknown()),
  data: z.optional(z.unknown()),
});
type RenderBody = z.infer<typeof renderBodySchema>;

const STATUS_WORDS: ReadonlyArray<[RegExp, RenderStatusValue]> = [
  [/^(pending|queued|queue|submitted|waiting|created|accepted)$/, 'pending'],
  [/^(processing|running|rendering|in[_ -]?progress|started|active)$/, 'processing'],
  [/^(completed|complete|succeeded|success|successful|done|finished|ready)$/, 'completed'],
  [/^(failed|failure|error|errored|cancelled|canceled|aborted|timeout|timed[_ -]?out)$/, 'failed'],
];

export function normalizeRenderStatus(value: unknown): RenderStatusValue | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase();
  for (const [pattern, status] of STATUS_WORDS) if (pattern.test(v)) return status;
  return undefined;
}

/**
 * Reads a render reply (submit or poll). Returns undefined when the body is not
 * an object at all (the caller reports invalidResponse). `fallbackStatus` is used
 * when neither level names a status: 'pending' right after submit, 'processing'
 * while polling (keep polling within the budget rather than fail on a quirk).
 */
export function parseRenderStatus(rawBody: unknown, requestedId: string, fallbackStatus: RenderStatusValue): RenderStatus | undefined {
  const outer = asBody(rawBody);
  if (!outer) return undefined;
  const isEnvelope = 'code' in outer || 'success' in outer;
  const body = isEnvelope ? (asBody(outer.data) ?? {}) : outer;
  const data = asBody(body.data);

  const explicitStatus = normalizeRenderStatus(body.status) ?? normalizeRenderStatus(data?.status);
  const outputUrl =
    urlString(body.outputUrl) ??
    urlString(body.output_url) ??
    urlString(outputOf(body.output)) ??
    urlString(data?.outputUrl) ??
    urlString(data?.output_url) ??
    urlString(outputOf(data?.output));
  let status = explicitStatus;
  // `{success:false}` on a poll means the render failed (the request itself was fine).
  if (!status && isEnvelope && outer.success === false) status = 'failed';
  if (!status) status = outputUrl ? 'completed' : fallbackStatus;

  // `message` is often just "ok" on success, so it counts as the error text only for a failed render.
  const error =
    text(body.error) ??
    text(data?.error) ??
    (status === 'failed' ? (text(body.message) ?? text(data?.message) ?? text(outer.error) ?? text(outer.message)) : undefined);

  const progress = percent(body.progress) ?? percent(data?.progress);
  const id = idText(body.id) ?? idText(body.taskId) ?? idText(body.task_id) ?? idText(data?.id) ?? requestedId;
  const out: RenderStatus = { id, status };
  if (progress !== undefined) out.progress = progress;
  if (outputUrl !== undefined) out.outputUrl = outputUrl;
  if (error !== undefined) out.error = error;
  return out;
}

function asBody(v: unknown): RenderBody | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const r = renderBodySchema.safeParse(v);
  return r.success ? r.data : undefined;
}

function outputOf(v: unknown): unknown {
  const r = outputSchema.safeParse(v);
  return r.success ? r.data.url : undefined;
}

function urlString(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string' && v.trim() !== '') return v.slice(0, 500);
  if (v && typeof v === 'object' && typeof (v as { message?: unknown }).message === 'string') return (v as { message: string }).message.slice(0, 500);
  return undefined;
}

function idText(v: unknown): string | undefined {
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  return undefined;
}

function percent(v: unknown): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) return undefined;
  return Math.min(100, Math.max(0, n));
}
