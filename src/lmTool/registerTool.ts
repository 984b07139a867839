// Registers the `nemo_generate_video` tool at activation (agent mode lists it from
// then on); the tool object it is given loads the tool's code on first use.
import * as vscode from 'vscode';
import type { NemoLog } from '../log';
import type { GenerateVideoInput } from './toolInput';

export const GENERATE_TOOL_NAME = 'nemo_generate_video';

/** Registers the tool where VS Code has the language-model tool API; elsewhere the extension works without it. */
export function registerGenerateVideoTool(tool: vscode.LanguageModelTool<GenerateVideoInput>, log: NemoLog): vscode.Disposable | undefined {
  const lm = (vscode as { lm?: Partial<typeof vscode.lm> }).lm;
  if (typeof lm?.registerTool !== 'function') {
    log.info('This VS Code has no language-model tool API: the nemo_generate_video tool is not available here.');
    return undefined;
  }
  try {
    return lm.registerTool(GENERATE_TOOL_NAME, tool);
  } catch (e) {
    log.failure('Could not register the nemo_generate_video tool', e);
    return undefined;
  }
}
