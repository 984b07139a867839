// The typed result of classifying one `data:` payload of /run_sse
// (nemo-api.md §4.8). Produced by src/core/sse, consumed by src/core/conversation.

export type AgentEvent =
  | { type: 'heartbeat' }
  /** A complete text part. `partial` chunks are deltas; a later non-partial text replaces them (§4.5). */
  | { type: 'text'; text: string; partial: boolean; author?: string; eventId?: string }
  | { type: 'toolCall'; id?: string; name: string; args: Record<string, unknown> }
  | { type: 'toolResult'; id?: string; name: string; response: unknown }
  /** `errorCode`/`errorMessage` on an event (model or agent error). */
  | { type: 'agentError'; code?: string; message: string }
  /** `data: {"error": …}` (possibly invalid JSON) inside the stream. */
  | { type: 'streamError'; message: string }
  /** A non-empty actions.stateDelta: the timeline probably changed (refresh state after the run). */
  | { type: 'stateHint'; keys: string[] };
