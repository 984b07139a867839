// A NemoApi double for the conversation tests: /run_sse returns a stream the
// test writes byte by byte, state() answers from a script, and every call is
// counted (the main claim under test: the message is POSTed exactly once).
import type { NemoApi, SessionState } from '../../../../src/core/api/types';
import { abortError } from '../../../../src/core/clock';
import { ControlledStream } from '../../sse/support/streams';

export function makeState(draft: unknown, videoInfos: unknown[] = []): SessionState {
  return { draft, videoInfos, generatedMedia: [], raw: { draft, video_infos: videoInfos } };
}

export const VIDEO_TRACK = { tt: 0, sg: [{ s: 0, d: 10_000, m: { name: 'city timelapse', url: 'https://cdn.example/v.mp4' } }] };
export const BGM_TRACK = { tt: 1, sg: [{ s: 0, d: 10_000, m: { name: 'Lo-fi', volume: 0.35 } }] };
export const TITLE_TRACK = { tt: 7, sg: [{ s: 0, d: 3_000, m: { text: 'Paradise Found' } }] };

export const EMPTY_STATE = makeState(undefined);
export const VIDEO_STATE = makeState({ t: [VIDEO_TRACK], d: 10_000 });
export const TITLED_STATE = makeState({ t: [VIDEO_TRACK, TITLE_TRACK], d: 10_000 });
export const FULL_STATE = makeState({ t: [VIDEO_TRACK, BGM_TRACK, TITLE_TRACK], d: 10_000 });

type StateAnswer = SessionState | Error;

/** The calls a run makes; `asNemoApi` makes it the NemoApi a run takes. */
export class FakeApi implements Pick<NemoApi, 'tokenIsAnonymous' | 'userId' | 'openRunStream' | 'state'> {
  readonly tokenIsAnonymous = true;
  readonly userId = 'anon_test';
  readonly stream = new ControlledStream();
  /** Every /run_sse POST: the text sent and the signal it got. */
  readonly posts: Array<{ sessionId: string; text: string; signal?: AbortSignal }> = [];
  stateCalls = 0;
  /** What openRunStream does: resolve with the stream (default), throw, or hang until aborted. */
  openBehaviour: 'stream' | 'hang' | Error = 'stream';
  private readonly stateScript: StateAnswer[];

  /** `states` answer the state() calls in order; the last one repeats. */
  constructor(states: StateAnswer[] = [EMPTY_STATE]) {
    this.stateScript = [...states];
  }

  get postCount(): number {
    return this.posts.length;
  }

  async openRunStream(sessionId: string, text: string, signal?: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    this.posts.push({ sessionId, text, signal });
    const behaviour = this.openBehaviour;
    if (behaviour instanceof Error) throw behaviour;
    if (behaviour === 'hang') {
      return new Promise((_resolve, reject) => {
        if (signal?.aborted) return reject(abortError(signal));
        signal?.addEventListener('abort', () => reject(abortError(signal)), { once: true });
      });
    }
    return this.stream.body;
  }

  async state(_sessionId: string, signal?: AbortSignal): Promise<SessionState> {
    this.stateCalls++;
    if (signal?.aborted) throw abortError(signal);
    const answer = this.stateScript.length > 1 ? this.stateScript.shift()! : this.stateScript[0];
    if (answer instanceof Error) throw answer;
    return answer;
  }
}

/** `fake` as a NemoApi: a method a run does not use throws, loud, if it is ever called. */
export function asNemoApi(fake: FakeApi): NemoApi {
  return new Proxy(fake, {
    // Symbols and `then` (nothing here is a promise) are looked up as usual.
    get: (target, name, receiver) => (name in target || typeof name === 'symbol' || name === 'then' ? Reflect.get(target, name, receiver) : () => unused(name)),
  }) as unknown as NemoApi;
}

function unused(name: string): never {
  throw new Error(`FakeApi.${name} must not be called during a run`);
}
