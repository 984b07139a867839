// The typed result of classifying one `data:` payload of /run_sse
// (docs/protocol.md §4.8). Produced by src/core/sse, consumed by src/core/conversation.

export type AgentEvent =
  | { type: 'heartbeat' }
  /** A complete text part. `partial` chunks are deltas; a later non-partial text replaces them (§4.5). */
  | { type: 'text'; text: string; partial: boolean; author?: string; eventId?: string }
  /**
   * A function call. `partial` ones come from progressive streaming (ADK ≥ 1.22) and are
   * repeated, with another id up to 1.28, by the final event: only the final one counts
   * (docs/adk-wire.md §3.2). `longRunning`: its id is in the event's longRunningToolIds.
   */
  | { type: 'toolCall'; id?: string; name: string; args: Record<string, unknown>; partial?: boolean; longRunning?: boolean }
  | { type: 'toolResult'; id?: string; name: string; response: unknown }
  /** `errorCode`/`errorMessage` on an event (model or agent error). */
  | { type: 'agentError'; code?: string; message: string }
  /** `data: {"error": …}` (possibly invalid JSON) inside the stream. */
  | { type: 'streamError'; message: string }
  /** A non-empty actions.stateDelta: the timeline probably changed (refresh state after the run). */
  | { type: 'stateHint'; keys: string[] };
