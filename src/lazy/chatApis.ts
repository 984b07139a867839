// The chunk behind loadChatApis(): the `@nemo` handler and the language-model tool.
export { createNemoChatHandler } from '../participant/nemoParticipant';
export { createGenerateVideoTool } from '../lmTool/generateVideoTool';
