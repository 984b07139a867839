// Render proxy endpoints (§3.8–3.11) with the {success,data} envelope, plus the
// simulator's own "CDN" that outputUrl points at (no auth, like a real CDN).
import type { RequestContext, SimContext } from './context';
import { isExportable } from './draft';
import { authGate, faultGate, sessionGate } from './gates';
import { HOSTILE, hostileSentence } from './hostile';
import { BodyTooLargeError, header, isRecord, parseJson, readBody, sendJson, sendRenderError, sendText } from './http';
import { mp4Length, streamMp4 } from './mp4';
import { type RenderJob, viewOf } from './renderJobs';

const ATTRIBUTION = ['x-skill-source', 'x-skill-version', 'x-skill-platform'];
const RENDER_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

function renderBody(ctx: SimContext, job: RenderJob, now: number): Record<string, unknown> {
  const v = viewOf(job, now);
  const data: Record<string, unknown> = { id: job.id, status: v.status, progress: v.progress };
  if (v.status === 'completed') {
    data.outputUrl = job.outputUrl;
    // §16 U4: output.url beside outputUrl so both documented readings work.
    data.output = { url: job.outputUrl, format: 'mp4', size: mp4Length(ctx.fixture, ctx.opts.renderPaddingBytes), ...(job.seconds ? { duration: job.seconds } : {}) };
  }
  data.createdAt = job.createdAt;
  if (v.completedAt !== undefined) data.completedAt = v.completedAt;
  if (v.error) data.error = v.error;
  return { success: true, data };
}

export async function startRender(ctx: SimContext, rc: RequestContext): Promise<void> {
  let body: unknown;
  try {
    const parsed = parseJson(await readBody(rc.req));
    body = parsed.ok ? parsed.value : undefined;
  } catch (e) {
    if (e instanceof BodyTooLargeError) sendRenderError(rc.res, 413, 'Request body too large');
    return;
  }
  const sessionId = isRecord(body) && typeof body.sessionId === 'string' ? body.sessionId : undefined;
  if (faultGate(ctx, rc, sessionId)) return;
  const token = authGate(ctx, rc, sessionId);
  if (!token) return;
  // §2.2 / §16 U11: all three attribution headers, non-empty, or export answers 402.
  const missing = ATTRIBUTION.filter((h) => !header(rc.req, h)?.trim());
  const blocked = ctx.scenarios.take(['exportBlocked'], { sessionId, fromHeader: rc.fromHeader });
  if (missing.length > 0 || blocked) {
    const why = missing.length > 0 ? `missing ${missing.join(', ')}` : 'free plan';
    sendJson(rc.res, 402, { code: 402, data: null, message: `Export is not available (${why}). Register at nemovideo.com to unlock export.` });
    return;
  }
  if (!isRecord(body) || typeof body.id !== 'string' || !RENDER_ID.test(body.id) || typeof body.sessionId !== 'string' || !isRecord(body.draft)) {
    sendRenderError(rc.res, 400, 'Expected {"id":"render_…","sessionId":"…","draft":{…},"output":{…}} (sessionId in camelCase, draft as an object)');
    return;
  }
  const s = sessionGate(ctx, rc, token.userId, body.sessionId);
  if (!s) return;
  const existing = ctx.renders.jobs.get(body.id);
  if (existing) {
    existing.attempts += 1;
    sendRenderError(rc.res, 409, `Duplicate render id: ${body.id}. Use a new id.`);
    return;
  }
  if (!isExportable(body.draft)) {
    sendRenderError(rc.res, 400, 'The draft has no track with segments: nothing to render');
    return;
  }
  const sc = { sessionId: s.sessionId, fromHeader: rc.fromHeader };
  const d = ctx.opts.delays;
  const job: RenderJob = {
    id: body.id,
    sessionId: s.sessionId,
    userId: token.userId,
    createdAt: rc.now,
    durationMs: d.renderMs,
    pendingMs: Math.min(d.renderPendingMs, d.renderMs),
    outputUrl: `${ctx.baseUrl}/cdn/renders/${encodeURIComponent(body.id)}.mp4`,
    seconds: typeof body.draft.d === 'number' ? body.draft.d / 1000 : undefined,
    attempts: 1,
    polls: 0,
    downloads: 0,
    hostile: s.hostile,
  };
  const slow = ctx.scenarios.take(['slowRender'], sc);
  if (slow) job.durationMs = typeof slow.params.ms === 'number' ? slow.params.ms : d.slowRenderMs;
  if (ctx.scenarios.take(['renderFail'], sc)) {
    job.failMessage = `Render failed: Lambda function timed out${s.hostile ? ` ${hostileSentence()}` : ''}`;
  }
  const url = ctx.scenarios.take(['outputUrlUnreachable', 'outputUrl'], sc);
  if (url?.name === 'outputUrlUnreachable') job.outputUrl = `${ctx.unreachableBase}/cdn/renders/${encodeURIComponent(job.id)}.mp4`;
  else if (url?.name === 'outputUrl' && typeof url.params.url === 'string') job.outputUrl = url.params.url;
  ctx.renders.jobs.set(job.id, job);
  sendJson(rc.res, 200, { success: true, data: { id: job.id, status: 'pending', progress: 5 } });
}

function ownedJob(ctx: SimContext, rc: RequestContext, id: string): RenderJob | undefined {
  const job = ctx.renders.jobs.get(id);
  if (faultGate(ctx, rc, job?.sessionId)) return undefined;
  const token = authGate(ctx, rc, job?.sessionId);
  if (!token) return undefined;
  const owned = ctx.renders.of(token.userId, id);
  if (!owned) sendRenderError(rc.res, 404, `Render not found: ${id}`);
  return owned;
}

export function pollRender(ctx: SimContext, rc: RequestContext, id: string): void {
  const job = ownedJob(ctx, rc, id);
  if (!job) return;
  job.polls += 1;
  sendJson(rc.res, 200, renderBody(ctx, job, rc.now));
}

export function cancelRender(ctx: SimContext, rc: RequestContext, id: string): void {
  const job = ownedJob(ctx, rc, id);
  if (!job) return;
  const v = viewOf(job, rc.now);
  if (v.status === 'completed' || v.status === 'failed') {
    sendRenderError(rc.res, 409, `Render already finished: ${v.status}`);
    return;
  }
  job.cancelledAt = rc.now;
  sendJson(rc.res, 200, { success: true, data: { id: job.id, status: 'failed', cancelled: true } });
}

/** brokenDownload binds to the job on its first download, so the CDN and the fallback are both cut. */
function cutFor(ctx: SimContext, rc: RequestContext, job: RenderJob, via: 'cdn' | 'fallback'): boolean {
  const fired = ctx.scenarios.take(['brokenDownload'], { sessionId: job.sessionId, fromHeader: rc.fromHeader });
  if (fired) job.broken = fired.params.only === 'cdn' || fired.params.only === 'fallback' ? fired.params.only : 'both';
  return job.broken === 'both' || job.broken === via;
}

async function sendFile(ctx: SimContext, rc: RequestContext, job: RenderJob, via: 'cdn' | 'fallback'): Promise<void> {
  job.downloads += 1;
  const length = mp4Length(ctx.fixture, ctx.opts.renderPaddingBytes);
  const cut = cutFor(ctx, rc, job, via);
  const filename = job.hostile ? HOSTILE.pathTraversal : `${job.id}.mp4`;
  rc.res.writeHead(200, {
    'Content-Type': 'video/mp4',
    'Content-Length': String(length),
    'Content-Disposition': `attachment; filename="${filename}"`,
    'Cache-Control': 'no-store',
  });
  if (rc.method === 'HEAD') {
    rc.res.end();
    return;
  }
  await streamMp4(rc.res, ctx.fixture, ctx.opts.renderPaddingBytes, cut ? Math.floor(length / 2) : undefined);
}

/** GET /api/render/proxy/<id>/download (§3.10): the same bytes, behind auth. */
export async function fallbackDownload(ctx: SimContext, rc: RequestContext, id: string): Promise<void> {
  const job = ownedJob(ctx, rc, id);
  if (!job) return;
  if (viewOf(job, rc.now).status !== 'completed') {
    sendRenderError(rc.res, 409, 'Render not completed');
    return;
  }
  await sendFile(ctx, rc, job, 'fallback');
}

/** GET /cdn/renders/<id>.mp4 (no auth), /cdn/gen/*.mp4 and /cdn/uploads/*.mp4 (the plain fixture). */
export async function cdn(ctx: SimContext, rc: RequestContext): Promise<void> {
  if (faultGate(ctx, rc)) return;
  const m = /^\/cdn\/renders\/([^/]+)\.mp4$/.exec(rc.path);
  if (m) {
    const job = ctx.renders.jobs.get(decodeURIComponent(m[1]));
    if (!job || viewOf(job, rc.now).status !== 'completed') {
      sendText(rc.res, 404, 'Not Found');
      return;
    }
    await sendFile(ctx, rc, job, 'cdn');
    return;
  }
  if (/^\/cdn\/(gen|uploads)\/.+\.mp4$/i.test(rc.path)) {
    rc.res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': String(ctx.fixture.length) });
    rc.res.end(rc.method === 'HEAD' ? undefined : ctx.fixture);
    return;
  }
  sendText(rc.res, 404, 'Not Found');
}
