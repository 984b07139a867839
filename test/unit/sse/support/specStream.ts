// The example stream of docs/protocol.md §4.7, pasted verbatim (including its comment,
// heartbeat object and empty `data:` keep-alives), plus the failing ending shown
// right after it. Shared by the framing, fuzz and conversation tests.
import type { AgentEvent } from '../../../../src/core/sse/events';

/** §4.7 verbatim: camelCase keys (ADK >= 1.0), `streaming: true` partial chunks. */
export const SPEC_STREAM_CAMEL = `data: {"content":{"parts":[{"text":"Got it! I'll generate a 10-second city timelapse,"}],"role":"model"},"partial":true,"invocationId":"e-3f6d7765-5287-419e-9991-5fffa1a75565","author":"nemo_agent","actions":{"stateDelta":{},"artifactDelta":{},"requestedAuthConfigs":{},"requestedToolConfirmations":{}},"id":"9b2c4e1a-0d7f-4d52-9a51-6c1b2f7f1a01","timestamp":1773423600.512}

data: {"content":{"parts":[{"text":" then add lo-fi music and a title."}],"role":"model"},"partial":true,"invocationId":"e-3f6d7765-5287-419e-9991-5fffa1a75565","author":"nemo_agent","actions":{"stateDelta":{},"artifactDelta":{},"requestedAuthConfigs":{},"requestedToolConfirmations":{}},"id":"9b2c4e1a-0d7f-4d52-9a51-6c1b2f7f1a02","timestamp":1773423600.512}

data: {"content":{"parts":[{"text":"Got it! I'll generate a 10-second city timelapse, then add lo-fi music and a title."}],"role":"model"},"invocationId":"e-3f6d7765-5287-419e-9991-5fffa1a75565","author":"nemo_agent","actions":{"stateDelta":{},"artifactDelta":{},"requestedAuthConfigs":{},"requestedToolConfirmations":{}},"id":"9b2c4e1a-0d7f-4d52-9a51-6c1b2f7f1a03","timestamp":1773423600.512}

data: {"content":{"parts":[{"functionCall":{"id":"adk-7f0c2a8e-6a53-4f0e-9a56-2d1f0b9b3c11","args":{"prompt":"city skyline timelapse at dusk","duration":10,"aspect_ratio":"16:9"},"name":"generate_video_with_seedance"}}],"role":"model"},"invocationId":"e-3f6d7765-5287-419e-9991-5fffa1a75565","author":"nemo_agent","actions":{"stateDelta":{},"artifactDelta":{},"requestedAuthConfigs":{},"requestedToolConfirmations":{}},"longRunningToolIds":[],"id":"0c7a5d33-1e0e-4b8f-8d0f-8f3d2c1b9e04","timestamp":1773423600.512}

: keep-alive

data: {"type":"heartbeat"}

data:

data: {"content":{"parts":[{"functionResponse":{"id":"adk-7f0c2a8e-6a53-4f0e-9a56-2d1f0b9b3c11","name":"generate_video_with_seedance","response":{"status":"success","video_url":"https://static1.nemovideo.ai/gen/abc.mp4","duration":10}}}],"role":"user"},"invocationId":"e-3f6d7765-5287-419e-9991-5fffa1a75565","author":"nemo_agent","actions":{"stateDelta":{"generated_media":[{"type":"video","url":"https://static1.nemovideo.ai/gen/abc.mp4"}]},"artifactDelta":{},"requestedAuthConfigs":{},"requestedToolConfirmations":{}},"id":"5d1e8f20-7b6a-4c3e-b1a2-3e4f5a6b7c05","timestamp":1773423784.377}

data: {"content":{"parts":[{"text":"✅ Your 10-second city timelapse"}],"role":"model"},"partial":true,"invocationId":"e-3f6d7765-5287-419e-9991-5fffa1a75565","author":"nemo_agent","actions":{"stateDelta":{},"artifactDelta":{},"requestedAuthConfigs":{},"requestedToolConfirmations":{}},"id":"a1b2c3d4-0000-4000-8000-000000000006","timestamp":1773423785.101}

data: {"content":{"parts":[{"text":" is ready. Preview it in the timeline, or click Export to save it."}],"role":"model"},"partial":true,"invocationId":"e-3f6d7765-5287-419e-9991-5fffa1a75565","author":"nemo_agent","actions":{"stateDelta":{},"artifactDelta":{},"requestedAuthConfigs":{},"requestedToolConfirmations":{}},"id":"a1b2c3d4-0000-4000-8000-000000000007","timestamp":1773423785.101}

data: {"content":{"parts":[{"text":"✅ Your 10-second city timelapse is ready. Preview it in the timeline, or click Export to save it."}],"role":"model"},"invocationId":"e-3f6d7765-5287-419e-9991-5fffa1a75565","author":"nemo_agent","actions":{"stateDelta":{},"artifactDelta":{},"requestedAuthConfigs":{},"requestedToolConfirmations":{}},"usageMetadata":{"promptTokenCount":5210,"candidatesTokenCount":31,"totalTokenCount":5241},"id":"a1b2c3d4-0000-4000-8000-000000000008","timestamp":1773423785.101}

`;

/** §4.7 "A failing run can end like this instead". */
export const SPEC_ERROR_ENDING = `data: {"error": "Tool generate_video_with_seedance failed: upstream timeout"}

`;

/** The ADK model field names that an ADK 0.x server would send in snake_case. Dict contents (args, response, stateDelta) keep their keys. */
const SNAKE_KEYS: ReadonlyArray<readonly [string, string]> = [
  ['invocationId', 'invocation_id'],
  ['stateDelta', 'state_delta'],
  ['artifactDelta', 'artifact_delta'],
  ['requestedAuthConfigs', 'requested_auth_configs'],
  ['requestedToolConfirmations', 'requested_tool_confirmations'],
  ['functionCall', 'function_call'],
  ['functionResponse', 'function_response'],
  ['longRunningToolIds', 'long_running_tool_ids'],
  ['usageMetadata', 'usage_metadata'],
  ['promptTokenCount', 'prompt_token_count'],
  ['candidatesTokenCount', 'candidates_token_count'],
  ['totalTokenCount', 'total_token_count'],
  ['errorCode', 'error_code'],
  ['errorMessage', 'error_message'],
];

export function toSnakeCase(stream: string): string {
  let out = stream;
  for (const [camel, snake] of SNAKE_KEYS) out = out.split(`"${camel}"`).join(`"${snake}"`);
  return out;
}

/** §4.7 as an ADK 0.x server would send it. */
export const SPEC_STREAM_SNAKE = toSnakeCase(SPEC_STREAM_CAMEL);

const CALL_ID = 'adk-7f0c2a8e-6a53-4f0e-9a56-2d1f0b9b3c11';

/** What the §4.7 stream must classify into, in order. */
export const SPEC_STREAM_EVENTS: AgentEvent[] = [
  { type: 'text', text: "Got it! I'll generate a 10-second city timelapse,", partial: true, author: 'nemo_agent', eventId: '9b2c4e1a-0d7f-4d52-9a51-6c1b2f7f1a01' },
  { type: 'text', text: ' then add lo-fi music and a title.', partial: true, author: 'nemo_agent', eventId: '9b2c4e1a-0d7f-4d52-9a51-6c1b2f7f1a02' },
  { type: 'text', text: "Got it! I'll generate a 10-second city timelapse, then add lo-fi music and a title.", partial: false, author: 'nemo_agent', eventId: '9b2c4e1a-0d7f-4d52-9a51-6c1b2f7f1a03' },
  { type: 'toolCall', id: CALL_ID, name: 'generate_video_with_seedance', args: { prompt: 'city skyline timelapse at dusk', duration: 10, aspect_ratio: '16:9' } },
  { type: 'heartbeat' }, // `: keep-alive`
  { type: 'heartbeat' }, // {"type":"heartbeat"}
  { type: 'heartbeat' }, // empty data:
  { type: 'toolResult', id: CALL_ID, name: 'generate_video_with_seedance', response: { status: 'success', video_url: 'https://static1.nemovideo.ai/gen/abc.mp4', duration: 10 } },
  { type: 'stateHint', keys: ['generated_media'] },
  { type: 'text', text: '✅ Your 10-second city timelapse', partial: true, author: 'nemo_agent', eventId: 'a1b2c3d4-0000-4000-8000-000000000006' },
  { type: 'text', text: ' is ready. Preview it in the timeline, or click Export to save it.', partial: true, author: 'nemo_agent', eventId: 'a1b2c3d4-0000-4000-8000-000000000007' },
  { type: 'text', text: '✅ Your 10-second city timelapse is ready. Preview it in the timeline, or click Export to save it.', partial: false, author: 'nemo_agent', eventId: 'a1b2c3d4-0000-4000-8000-000000000008' },
];
