// Moved to src/chatPanel/historyStore.ts; kept for bench/src/streamText.ts only (see README.md here).
export { HistoryStore } from '../chatPanel/historyStore';
