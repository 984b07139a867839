// zod/mini schemas for every backend reply (docs/protocol.md §3), applied at the
// boundary. They are deliberately loose: extra keys pass through, and where §3
// or older versions of the API use either casing, both keys are accepted. The
// `to*` functions turn a validated shape into the client's own types.
import * as z from 'zod/mini';
import { lengthBetween, rule } from '../zodRule';
import type { Credits, Session, SessionState, UploadedFile } from './types';

/**
 * An id that must stay a string (§2.6, §16 U18). A JSON number is accepted only
 * when it is a safe integer, because then String(n) gives back exactly the
 * digits the server sent. A larger number (e.g. a 19-digit session id sent
 * unquoted) has already lost digits inside JSON.parse, so it is rejected
 * rather than silently pointing at somebody else's session.
 *
 * The schemas only validate; the `to*` functions convert (idText, num). A z.pipe with
 * z.transform would do both in one, at about 1.3 KB more of zod in the host bundle.
 */
const nonEmpty = z.string().check(lengthBetween(1, Infinity));

export const idString = z.union([
  nonEmpty,
  z.number().check(rule(Number.isSafeInteger, 'numeric id beyond 2^53: digits were lost, refusing it')),
]);

/** The string an optional idString names (a number is a safe integer, so String(n) is exact). */
export function idText(v: string | number | undefined): string | undefined {
  return v === undefined ? undefined : String(v);
}

/** A number, or a numeric string (some gateways quote numbers); num() turns it into the number. */
const looseNumber = z.union([z.number(), z.string().check(rule((s) => /^\s*-?\d+(\.\d+)?\s*$/.test(s)))]);

function num(v: string | number | undefined): number | undefined {
  return v === undefined ? undefined : Number(v);
}

/** `{code, data, message}` (§2.5), `{success, data, error}` (render proxy), or a bare body. */
export const envelopeSchema = z.looseObject({
  code: z.optional(z.union([z.number(), z.string()])),
  success: z.optional(z.boolean()),
  data: z.optional(z.unknown()),
  message: z.optional(z.unknown()),
  msg: z.optional(z.unknown()),
  error: z.optional(z.unknown()),
  detail: z.optional(z.unknown()),
});
export type Envelope = z.infer<typeof envelopeSchema>;

export const anonymousTokenSchema = z.looseObject({
  token: nonEmpty,
  user_id: z.optional(idString),
  userId: z.optional(idString),
  expires_at: z.optional(z.union([z.string(), z.number()])),
  expiresAt: z.optional(z.union([z.string(), z.number()])),
  credits: z.optional(looseNumber),
});

export const sessionSchema = z
  .looseObject({
    session_id: z.optional(idString),
    sessionId: z.optional(idString),
    task_id: z.optional(idString),
    taskId: z.optional(idString),
    user_id: z.optional(idString),
    userId: z.optional(idString),
  })
  .check(
    rule((s) => (s.session_id ?? s.sessionId) !== undefined, 'session_id missing'),
    rule((s) => (s.task_id ?? s.taskId) !== undefined, 'task_id missing'),
  );

export function toSession(s: z.infer<typeof sessionSchema>): Session {
  const userId = idText(s.user_id ?? s.userId);
  return { sessionId: String(s.session_id ?? s.sessionId), taskId: String(s.task_id ?? s.taskId), ...(userId ? { userId } : {}) };
}

export const claimTokenSchema = z
  .looseObject({
    claim_token: z.optional(nonEmpty),
    claimToken: z.optional(nonEmpty),
    expires_in: z.optional(looseNumber),
    expiresIn: z.optional(looseNumber),
  })
  .check(rule((c) => (c.claim_token ?? c.claimToken) !== undefined, 'claim_token missing'));

export function toClaimToken(c: z.infer<typeof claimTokenSchema>): { claimToken: string; expiresIn?: number } {
  const expiresIn = num(c.expires_in ?? c.expiresIn);
  return { claimToken: (c.claim_token ?? c.claimToken)!, ...(expiresIn !== undefined ? { expiresIn } : {}) };
}

const uploadedFileSchema = z.looseObject({
  filename: z.optional(z.string()),
  file_name: z.optional(z.string()),
  file_type: z.optional(z.string()),
  fileType: z.optional(z.string()),
  cdn_url: z.optional(z.string()),
  cdnUrl: z.optional(z.string()),
  duration: z.optional(z.unknown()),
  width: z.optional(z.unknown()),
  height: z.optional(z.unknown()),
});

export const uploadSchema = z.looseObject({
  files: z.array(uploadedFileSchema),
  session_state_applied: z.optional(z.boolean()),
});

export function toUploadedFiles(u: z.infer<typeof uploadSchema>, fallbackName: string): UploadedFile[] {
  return u.files.map((f) => {
    const cdnUrl = f.cdn_url ?? f.cdnUrl;
    const out: UploadedFile = {
      filename: f.filename ?? f.file_name ?? fallbackName,
      fileType: f.file_type ?? f.fileType ?? 'unknown',
    };
    if (cdnUrl) out.cdnUrl = cdnUrl;
    const duration = finiteNumber(f.duration);
    const width = finiteNumber(f.width);
    const height = finiteNumber(f.height);
    if (duration !== undefined) out.duration = duration;
    if (width !== undefined) out.width = width;
    if (height !== undefined) out.height = height;
    return out;
  });
}

export const creditsSchema = z.looseObject({
  available: looseNumber,
  frozen: z.optional(looseNumber),
  total: z.optional(looseNumber),
});

export function toCredits(c: z.infer<typeof creditsSchema>): Credits {
  const available = Number(c.available);
  const frozen = num(c.frozen) ?? 0;
  // §3.6: total = available + frozen when the server leaves it out.
  return { available, frozen, total: num(c.total) ?? available + frozen };
}

const stateInnerSchema = z.looseObject({
  draft: z.optional(z.unknown()),
  video_infos: z.optional(z.unknown()),
  videoInfos: z.optional(z.unknown()),
  generated_media: z.optional(z.unknown()),
  generatedMedia: z.optional(z.unknown()),
  canvas_config: z.optional(z.unknown()),
  canvasConfig: z.optional(z.unknown()),
});

/** `data` of the state reply (§3.7). `state` may be absent or null on a brand-new session. */
export const stateSchema = z.looseObject({
  session_id: z.optional(idString),
  sessionId: z.optional(idString),
  task_id: z.optional(idString),
  taskId: z.optional(idString),
  task_name: z.optional(z.string()),
  taskName: z.optional(z.string()),
  // A union with a null literal rather than z.nullable: same result, and it reuses zod classes the
  // bundle already holds (z.nullable alone costs about 0.5 KB of the host bundle).
  state: z.optional(z.union([stateInnerSchema, z.literal(null)])),
});

export function toSessionState(d: z.infer<typeof stateSchema>): SessionState {
  // Some replies put the state keys directly into `data`; read them from there when `state` is absent.
  const inner: Record<string, unknown> = d.state ?? (looksLikeState(d) ? (d as Record<string, unknown>) : {});
  const parsedInner = stateInnerSchema.parse(inner);
  const out: SessionState = {
    videoInfos: asArray(parsedInner.video_infos ?? parsedInner.videoInfos),
    generatedMedia: asArray(parsedInner.generated_media ?? parsedInner.generatedMedia),
    raw: { ...inner },
  };
  if (parsedInner.draft !== undefined && parsedInner.draft !== null) out.draft = parsedInner.draft;
  const canvas = parsedInner.canvas_config ?? parsedInner.canvasConfig;
  if (canvas !== undefined) out.canvasConfig = canvas;
  const taskName = d.task_name ?? d.taskName;
  if (taskName !== undefined) out.taskName = taskName;
  const sessionId = idText(d.session_id ?? d.sessionId);
  if (sessionId !== undefined) out.sessionId = sessionId;
  const taskId = idText(d.task_id ?? d.taskId);
  if (taskId !== undefined) out.taskId = taskId;
  return out;
}

function looksLikeState(d: object): boolean {
  return ['draft', 'video_infos', 'videoInfos', 'generated_media', 'generatedMedia'].some((k) => k in d);
}

/** Tolerant on purpose: a list field of the wrong type must not hide the rest of the state. */
function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function finiteNumber(v: unknown): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/** First issue of a failed parse, for the log (never shown raw to the user). */
export function describeIssues(error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> }): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}
