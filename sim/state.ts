// In-memory backend state: users, tokens, sessions, credits (§3.1–3.3, §3.6, §9).
import { newAnonUserId, newClaimToken, newRegisteredUserId, newSessionId, newTaskId, newUserToken } from './ids';

export const SEVEN_DAYS_MS = 7 * 24 * 3600 * 1000;
export const ANONYMOUS_CREDITS = 100;
export const DEFAULT_USER_CREDITS = 100_000;

export interface User {
  id: string;
  anonymous: boolean;
  available: number;
  frozen: number;
}

export interface TokenRecord {
  token: string;
  userId: string;
  anonymous: boolean;
  expiresAt: number;
  /** Set when a scenario (tokenExpired/unauthorized401) or the clock made it invalid. */
  revoked: boolean;
}

/** `data.state` of the state endpoint (§6), with the documented snake_case keys. */
export interface SessionStateData {
  draft: Record<string, unknown>;
  video_infos: Array<Record<string, unknown>>;
  canvas_config: Record<string, unknown>;
  video_analyses: Record<string, unknown>;
  generated_media: Array<Record<string, unknown>>;
}

export interface SessionRecord {
  sessionId: string;
  taskId: string;
  taskName: string;
  language: string;
  userId: string;
  createdAt: number;
  state: SessionStateData;
  /** Set by the hostileText scenario: texts, names and titles of this session carry payloads. */
  hostile: boolean;
  claim?: { token: string; expiresAt: number };
}

export function emptyState(): SessionStateData {
  return { draft: {}, video_infos: [], canvas_config: {}, video_analyses: {}, generated_media: [] };
}

export class Store {
  readonly users = new Map<string, User>();
  readonly tokens = new Map<string, TokenRecord>();
  readonly sessions = new Map<string, SessionRecord>();
  /** X-Client-Id -> the anonymous user it created (the same user gets a new token after expiry). */
  private readonly clientUsers = new Map<string, { userId: string; token: string }>();
  /** Remote address -> times at which it was issued new anonymous tokens. */
  private readonly ipIssues = new Map<string, number[]>();

  reset(): void {
    this.users.clear();
    this.tokens.clear();
    this.sessions.clear();
    this.clientUsers.clear();
    this.ipIssues.clear();
  }

  /** Valid (known, unexpired, not revoked) token record, else undefined -> 1001. */
  validToken(token: string | undefined, now: number): TokenRecord | undefined {
    if (!token) return undefined;
    const rec = this.tokens.get(token);
    if (!rec || rec.revoked || rec.expiresAt <= now) return undefined;
    return rec;
  }

  revoke(token: string): void {
    const rec = this.tokens.get(token);
    if (rec) rec.revoked = true;
  }

  user(id: string): User {
    const u = this.users.get(id);
    if (!u) throw new Error(`unknown user ${id}`);
    return u;
  }

  /**
   * §3.1: one anonymous token per client per 7 days (a re-request returns the still-valid
   * token); a new one only after expiry; per-IP limit on newly issued tokens.
   */
  anonymousToken(clientId: string, ip: string, now: number, perIpLimit: number): { rec: TokenRecord; user: User } | 'rateLimited' {
    const existing = this.clientUsers.get(clientId);
    if (existing) {
      const rec = this.validToken(existing.token, now);
      if (rec) return { rec, user: this.user(existing.userId) };
    }
    const recent = (this.ipIssues.get(ip) ?? []).filter((t) => now - t < SEVEN_DAYS_MS);
    if (recent.length >= perIpLimit) {
      this.ipIssues.set(ip, recent);
      return 'rateLimited';
    }
    recent.push(now);
    this.ipIssues.set(ip, recent);
    // After expiry the same client keeps its anonymous user (credits, sessions): only the token is new.
    let user = existing ? this.users.get(existing.userId) : undefined;
    if (!user) {
      user = { id: newAnonUserId(), anonymous: true, available: ANONYMOUS_CREDITS, frozen: 0 };
      this.users.set(user.id, user);
    }
    const rec: TokenRecord = { token: newUserToken(), userId: user.id, anonymous: true, expiresAt: now + SEVEN_DAYS_MS, revoked: false };
    this.tokens.set(rec.token, rec);
    this.clientUsers.set(clientId, { userId: user.id, token: rec.token });
    return { rec, user };
  }

  createUserToken(credits: number, now: number): string {
    const user: User = { id: newRegisteredUserId(), anonymous: false, available: credits, frozen: 0 };
    this.users.set(user.id, user);
    const rec: TokenRecord = { token: newUserToken(), userId: user.id, anonymous: false, expiresAt: now + 365 * 24 * 3600 * 1000, revoked: false };
    this.tokens.set(rec.token, rec);
    return rec.token;
  }

  createSession(userId: string, taskName: string, language: string, now: number): SessionRecord {
    let sessionId = newSessionId();
    while (this.sessions.has(sessionId)) sessionId = newSessionId();
    const s: SessionRecord = { sessionId, taskId: newTaskId(), taskName, language, userId, createdAt: now, state: emptyState(), hostile: false };
    this.sessions.set(sessionId, s);
    return s;
  }

  /** The session if it exists and belongs to the user; other users' sessions look absent (1002). */
  sessionOf(userId: string, sessionId: string | undefined): SessionRecord | undefined {
    if (!sessionId) return undefined;
    const s = this.sessions.get(sessionId);
    return s && s.userId === userId ? s : undefined;
  }

  /** A claim token is reusable for 7 days (§3.3), so the same one comes back until then. */
  claimToken(s: SessionRecord, now: number): { token: string; expiresIn: number } {
    if (!s.claim || s.claim.expiresAt <= now) s.claim = { token: newClaimToken(), expiresAt: now + SEVEN_DAYS_MS };
    return { token: s.claim.token, expiresIn: Math.round((s.claim.expiresAt - now) / 1000) };
  }

  // Credits (§3.6, §9): work in progress is frozen, then charged or released.
  freeze(userId: string, amount: number): boolean {
    const u = this.user(userId);
    if (u.available < amount) return false;
    u.available -= amount;
    u.frozen += amount;
    return true;
  }

  charge(userId: string, amount: number): void {
    const u = this.users.get(userId);
    if (u) u.frozen = Math.max(0, u.frozen - amount);
  }

  release(userId: string, amount: number): void {
    const u = this.users.get(userId);
    if (!u) return;
    const back = Math.min(u.frozen, amount);
    u.frozen -= back;
    u.available += back;
  }
}
