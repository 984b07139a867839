// What activation registers for `@nemo` and the language-model tool: stand-ins that
// load the real handler and tool (loadChatApis) on their first call and then pass
// every call through, so VS Code knows both from the start at the cost of a few lines.
import type * as vscode from 'vscode';
import type { GenerateVideoInput } from '../lmTool/toolInput';
import type { ToolDeps } from '../lmTool/generateVideoTool';
import type { ParticipantDeps } from '../participant/nemoParticipant';
import { loadChatApis } from './chunks';

export function lazyChatHandler(deps: ParticipantDeps): vscode.ChatRequestHandler {
  let handler: Promise<vscode.ChatRequestHandler> | undefined;
  return async (request, context, stream, token) => {
    handler ??= loadChatApis().then((m) => m.createNemoChatHandler(deps));
    return (await handler)(request, context, stream, token);
  };
}

export function lazyGenerateVideoTool(deps: ToolDeps): vscode.LanguageModelTool<GenerateVideoInput> {
  let tool: Promise<vscode.LanguageModelTool<GenerateVideoInput>> | undefined;
  const real = () => (tool ??= loadChatApis().then((m) => m.createGenerateVideoTool(deps)));
  return {
    prepareInvocation: async (options, token) => (await real()).prepareInvocation?.(options, token),
    invoke: async (options, token) => (await real()).invoke(options, token),
  };
}
