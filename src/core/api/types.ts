// Shapes the core client returns after validating the backend's replies
// (src/core/api/schemas.ts holds the zod schemas that produce them).

export interface Session {
  sessionId: string; // decimal string > 2^53: never a number (§2.6)
  taskId: string;
  userId?: string;
}

export interface Credits {
  available: number;
  frozen: number;
  total: number;
}

export interface UploadedFile {
  filename: string;
  fileType: string;
  cdnUrl?: string;
  duration?: number;
  width?: number;
  height?: number;
}

/** `data.state` of /api/state/…/latest, kept loosely typed: the draft is read defensively by core/timeline. */
export interface SessionState {
  draft?: unknown;
  videoInfos: unknown[];
  generatedMedia: unknown[];
  canvasConfig?: unknown;
  taskName?: string;
  /** Envelope siblings of `state` (§6), when the server sends them. */
  sessionId?: string;
  taskId?: string;
  /** The raw `state` object, for diffing. */
  raw: Record<string, unknown>;
}

export type RenderStatusValue = 'pending' | 'processing' | 'completed' | 'failed';

export interface RenderStatus {
  id: string;
  status: RenderStatusValue;
  progress?: number;
  outputUrl?: string;
  error?: string;
}

/** A soft problem that never blocks an upload (the server's 4002 decides, §14 item 1). */
export interface UploadWarning {
  kind: 'large';
  sizeBytes: number;
  thresholdBytes: number;
  message: string;
}

export interface UploadFileOptions {
  signal?: AbortSignal;
  onProgress?: (sentBytes: number, totalBytes: number) => void;
  /** Called (before sending) when the file is above the soft size threshold. */
  onWarning?: (warning: UploadWarning) => void;
}

export interface DownloadProgress {
  receivedBytes: number;
  totalBytes?: number;
}

/** Everything above the HTTP layer talks to the backend through this interface. */
export interface NemoApi {
  /** Makes sure a token is available (user token, stored anonymous token, or a new anonymous one). */
  ensureToken(signal?: AbortSignal): Promise<void>;
  /** True when the active token is an anonymous one (1001 may then be healed silently). */
  readonly tokenIsAnonymous: boolean;
  /** The anonymous user's id (`anon_…`) when known: used for the ?bind= registration link. */
  readonly userId: string | undefined;

  /** `language` (§3.2) defaults to the configured one; pass the language of the user's own text. */
  createSession(taskName: string, signal?: AbortSignal, language?: string): Promise<Session>;
  claimToken(session: Session, signal?: AbortSignal): Promise<{ claimToken: string; expiresIn?: number }>;
  /** Opens /run_sse and returns the event-stream body after checking status and Content-Type (§16 U7). Never retried. */
  openRunStream(sessionId: string, text: string, signal?: AbortSignal): Promise<ReadableStream<Uint8Array>>;
  uploadFile(sessionId: string, filePath: string, opts?: UploadFileOptions): Promise<UploadedFile[]>;
  uploadUrls(sessionId: string, urls: string[], signal?: AbortSignal): Promise<UploadedFile[]>;
  credits(signal?: AbortSignal): Promise<Credits>;
  state(sessionId: string, signal?: AbortSignal): Promise<SessionState>;
  startRender(renderId: string, sessionId: string, draft: unknown, signal?: AbortSignal): Promise<RenderStatus>;
  pollRender(renderId: string, signal?: AbortSignal): Promise<RenderStatus>;
  cancelRender(renderId: string, signal?: AbortSignal): Promise<boolean>;
  /**
   * Streams a file to `destPath` via a temporary sibling and an atomic rename.
   * `auth` is true only for NemoVideo's own fallback path: CDN URLs never get the token.
   */
  download(url: string, destPath: string, opts: { auth: boolean; signal?: AbortSignal; onProgress?: (p: DownloadProgress) => void }): Promise<{ bytes: number }>;
  /** URL of the fallback download (§3.10) on the configured origin. */
  fallbackDownloadUrl(renderId: string): string;
  /** `$WEB/workspace/claim?ct=…` (§10). */
  claimLink(claimToken: string): string;
  /** `$WEB/register?bind=<user_id>` for anonymous users (§10). */
  registerLink(): string;
}
