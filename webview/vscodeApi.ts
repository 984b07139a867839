// The one handle on the VS Code webview API. acquireVsCodeApi() may be called
// only once per page, so every other module goes through here.
import type { WebviewToHost } from '../src/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): unknown;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** What survives the webview being torn down and rebuilt (reload, or a non-retained hide). */
export interface ViewState {
  draft: string;
  scrollTop: number;
  atBottom: boolean;
}

const api = acquireVsCodeApi();
let state: ViewState = readState(api.getState());

export function postToHost(message: WebviewToHost): void {
  api.postMessage(message);
}

export function viewState(): Readonly<ViewState> {
  return state;
}

export function saveViewState(patch: Partial<ViewState>): void {
  state = { ...state, ...patch };
  api.setState(state);
}

function readState(raw: unknown): ViewState {
  const fallback: ViewState = { draft: '', scrollTop: 0, atBottom: true };
  if (typeof raw !== 'object' || raw === null) return fallback;
  const r = raw as Record<string, unknown>;
  return {
    draft: typeof r.draft === 'string' ? r.draft.slice(0, 20_000) : fallback.draft,
    scrollTop: typeof r.scrollTop === 'number' && Number.isFinite(r.scrollTop) ? r.scrollTop : fallback.scrollTop,
    atBottom: typeof r.atBottom === 'boolean' ? r.atBottom : fallback.atBottom,
  };
}
