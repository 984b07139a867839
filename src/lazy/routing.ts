// The chunk behind loadRouting(): what typed text means (a client command, an upload by URL, or a message for the agent).
export { routeIntent } from '../core/routing/intent';
export { mediaUrlIn } from '../core/routing/mediaUrl';
