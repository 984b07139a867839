// Moved to src/chatPanel/transcript.ts; kept for bench/src/streamText.ts only (see README.md here).
export { Transcript } from '../chatPanel/transcript';
