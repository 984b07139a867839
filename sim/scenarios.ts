// Armed fault scenarios. Three ways to arm one: Simulator.addScenario(),
// POST /__sim/scenario, or the per-request header `X-Sim-Scenario: name[,name…]`
// (parameters for header scenarios in `X-Sim-Scenario-Params: {json}`).
// An armed scenario fires at the first request it applies to and is used up
// after `times` firings (default 1, -1 = until cleared).
import type { IncomingMessage } from 'node:http';
import { header, isRecord } from './http';
import { SCENARIO_NAMES, type ScenarioName, type ScenarioSpec } from './types';
import { isAdkCallIds } from './wire';

interface Armed {
  spec: ScenarioSpec;
  remaining: number;
}

export interface FiredScenario {
  name: ScenarioName;
  params: Record<string, unknown>;
}

export interface ScenarioContext {
  /** Session the request is about, when known. */
  sessionId?: string;
  /** Scenarios named by this request's X-Sim-Scenario header. */
  fromHeader: FiredScenario[];
}

export function isScenarioName(v: unknown): v is ScenarioName {
  return typeof v === 'string' && (SCENARIO_NAMES as readonly string[]).includes(v);
}

/** Checks the params a scenario reads (the wire and agentError ones), so a typo fails loudly. */
export function validateParams(name: ScenarioName, params: Record<string, unknown>): string | undefined {
  if (name === 'adkProgressive' && params.callIds !== undefined && !isAdkCallIds(params.callIds)) return "adkProgressive: params.callIds must be 'shared' or 'distinct'";
  if (name === 'agentError') {
    if (params.code !== undefined && (typeof params.code !== 'string' || params.code === '')) return 'agentError: params.code must be a non-empty string';
    if (params.message !== undefined && typeof params.message !== 'string') return 'agentError: params.message must be a string';
    if (params.text !== undefined && typeof params.text !== 'boolean') return 'agentError: params.text must be a boolean';
    const max = params.maxLlmCalls;
    if (max !== undefined && !(typeof max === 'number' && Number.isInteger(max) && max > 0)) return 'agentError: params.maxLlmCalls must be a positive integer';
  }
  if ((name === 'streamError' || name === 'streamErrorInvalidJson') && params.message !== undefined && typeof params.message !== 'string') {
    return `${name}: params.message must be a string`;
  }
  return undefined;
}

export function validateSpec(v: unknown): ScenarioSpec | string {
  if (!isRecord(v)) return 'body must be a JSON object';
  if (!isScenarioName(v.name)) return `unknown scenario name; one of: ${SCENARIO_NAMES.join(', ')}`;
  if (v.sessionId !== undefined && typeof v.sessionId !== 'string') return 'sessionId must be a string';
  if (v.times !== undefined && (typeof v.times !== 'number' || !Number.isInteger(v.times))) return 'times must be an integer';
  if (v.params !== undefined && !isRecord(v.params)) return 'params must be an object';
  const bad = validateParams(v.name, v.params ?? {});
  if (bad) return bad;
  return { name: v.name, sessionId: v.sessionId, times: v.times, params: v.params };
}

/** Parses X-Sim-Scenario / X-Sim-Scenario-Params. Unknown names are an error (a test typo must not pass silently). */
export function scenariosFromHeader(req: IncomingMessage): FiredScenario[] | string {
  const raw = header(req, 'x-sim-scenario');
  if (!raw) return [];
  let params: Record<string, unknown> = {};
  const rawParams = header(req, 'x-sim-scenario-params');
  if (rawParams) {
    try {
      const parsed: unknown = JSON.parse(rawParams);
      if (isRecord(parsed)) params = parsed;
    } catch {
      return 'X-Sim-Scenario-Params must be a JSON object';
    }
  }
  const out: FiredScenario[] = [];
  for (const name of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!isScenarioName(name)) return `unknown scenario in X-Sim-Scenario: ${name}`;
    const bad = validateParams(name, params);
    if (bad) return `X-Sim-Scenario-Params: ${bad}`;
    out.push({ name, params });
  }
  return out;
}

export class ScenarioRegistry {
  private armed: Armed[] = [];

  add(spec: ScenarioSpec): void {
    const times = spec.times ?? 1;
    if (times === 0) return;
    this.armed.push({ spec: { ...spec }, remaining: times < 0 ? Infinity : times });
  }

  clear(): void {
    this.armed = [];
  }

  list(): ScenarioSpec[] {
    return this.armed.map((a) => ({ ...a.spec, times: a.remaining === Infinity ? -1 : a.remaining }));
  }

  /**
   * Fires (and uses up) the first scenario among `names` that applies here:
   * the request header wins, then armed scenarios in the order they were added.
   */
  take(names: readonly ScenarioName[], ctx: ScenarioContext, applies: (params: Record<string, unknown>) => boolean = () => true): FiredScenario | undefined {
    const fromHeader = ctx.fromHeader.find((h) => names.includes(h.name) && applies(h.params));
    if (fromHeader) return fromHeader;
    const i = this.armed.findIndex(
      (a) => names.includes(a.spec.name) && (a.spec.sessionId === undefined || a.spec.sessionId === ctx.sessionId) && applies(a.spec.params ?? {}),
    );
    if (i < 0) return undefined;
    const a = this.armed[i];
    a.remaining -= 1;
    if (a.remaining <= 0) this.armed.splice(i, 1);
    return { name: a.spec.name, params: a.spec.params ?? {} };
  }
}
