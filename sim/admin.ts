// Test-control API under /__sim/ (no auth; loopback only), for tests running in
// another process such as the VS Code extension host.
import type { RequestContext } from './context';
import { isRecord, parseJson, readBody, sendJson, sendNotFound } from './http';
import { validateSpec } from './scenarios';
import type { ScenarioSpec, SimOptions, SimStats } from './types';
import { isAdkCallIds, isAdkWire } from './wire';

export interface AdminTarget {
  addScenario(s: ScenarioSpec): void;
  clearScenarios(): void;
  listScenarios(): ScenarioSpec[];
  createUserToken(credits?: number): string;
  stats(): SimStats;
  reset(): void;
  setOptions(o: Partial<SimOptions>): void;
  options(): Record<string, unknown>;
}

const OPTION_TYPES: Record<string, 'number' | 'boolean' | 'string' | 'object'> = {
  realistic: 'boolean',
  adkWire: 'string',
  adkCallIds: 'string',
  casing: 'string',
  silentRate: 'number',
  seed: 'number',
  maxUploadBytes: 'number',
  anonymousPerIpLimit: 'number',
  renderPaddingBytes: 'number',
  delays: 'object',
  quiet: 'boolean',
  envelopeErrorsAsHttp: 'boolean',
};

function validateOptions(v: unknown): Partial<SimOptions> | string {
  if (!isRecord(v)) return 'body must be a JSON object';
  for (const [k, val] of Object.entries(v)) {
    const t = OPTION_TYPES[k];
    if (!t) return `unknown or read-only option: ${k}`;
    if (t === 'object' ? !isRecord(val) : typeof val !== t) return `option ${k} must be a ${t}`;
  }
  if (v.casing !== undefined && v.casing !== 'camel' && v.casing !== 'snake') return "casing must be 'camel' or 'snake'";
  if (v.adkWire !== undefined && !isAdkWire(v.adkWire)) return "adkWire must be 'progressive', 'legacy' or 'v0'";
  if (v.adkCallIds !== undefined && !isAdkCallIds(v.adkCallIds)) return "adkCallIds must be 'shared' or 'distinct'";
  return v as Partial<SimOptions>;
}

async function jsonBody(rc: RequestContext): Promise<unknown> {
  const buf = await readBody(rc.req, 1024 * 1024);
  if (buf.length === 0) return {};
  const parsed = parseJson(buf);
  return parsed.ok ? parsed.value : undefined;
}

export async function admin(target: AdminTarget, rc: RequestContext): Promise<void> {
  const route = `${rc.method} ${rc.path}`;
  switch (route) {
    case 'GET /__sim/health':
      return sendJson(rc.res, 200, { ok: true });
    case 'GET /__sim/stats':
      return sendJson(rc.res, 200, target.stats());
    case 'GET /__sim/scenario':
      return sendJson(rc.res, 200, { scenarios: target.listScenarios() });
    case 'POST /__sim/scenario': {
      const body = await jsonBody(rc);
      const specs = Array.isArray(body) ? body : [body];
      const checked = specs.map(validateSpec);
      const bad = checked.find((c): c is string => typeof c === 'string');
      if (bad) return sendJson(rc.res, 400, { ok: false, error: bad });
      for (const s of checked as ScenarioSpec[]) target.addScenario(s);
      return sendJson(rc.res, 200, { ok: true, scenarios: target.listScenarios() });
    }
    case 'DELETE /__sim/scenario':
      target.clearScenarios();
      return sendJson(rc.res, 200, { ok: true });
    case 'POST /__sim/reset':
      target.reset();
      return sendJson(rc.res, 200, { ok: true });
    case 'POST /__sim/user-token': {
      const body = await jsonBody(rc);
      const credits = isRecord(body) && typeof body.credits === 'number' ? body.credits : undefined;
      return sendJson(rc.res, 200, { token: target.createUserToken(credits) });
    }
    case 'GET /__sim/options':
      return sendJson(rc.res, 200, target.options());
    case 'POST /__sim/options': {
      const checked = validateOptions(await jsonBody(rc));
      if (typeof checked === 'string') return sendJson(rc.res, 400, { ok: false, error: checked });
      target.setOptions(checked);
      return sendJson(rc.res, 200, { ok: true, options: target.options() });
    }
    default:
      return sendNotFound(rc.res);
  }
}
