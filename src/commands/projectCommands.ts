// The commands of the Projects view and the lenses, registered at activation; what they
// do (projectCommandHandlers.ts) loads on the first one run (src/lazy/chunks.ts).
import type * as vscode from 'vscode';
import { loadProjectCommands } from '../lazy/chunks';
import type { CommandDeps } from './deps';

export const PROJECT_COMMANDS = [
  'nemoVideo.projects.open',
  'nemoVideo.projects.openChat',
  'nemoVideo.projects.exportAgain',
  'nemoVideo.projects.openVideo',
  'nemoVideo.projects.revealSource',
  'nemoVideo.projects.rename',
  'nemoVideo.projects.openInWeb',
  'nemoVideo.projects.remove',
  'nemoVideo.updateVideo',
  'nemoVideo.generateScene',
  'nemoVideo.generateAllScenes',
] as const;

export type ProjectCommandId = (typeof PROJECT_COMMANDS)[number];

type Register = (id: string, fn: (...args: never[]) => unknown) => vscode.Disposable;

export function registerProjectCommands(d: CommandDeps, register: Register): vscode.Disposable[] {
  let handlers: Promise<ReturnType<Awaited<ReturnType<typeof loadProjectCommands>>['projectCommandHandlers']>> | undefined;
  return PROJECT_COMMANDS.map((id) =>
    register(id, async (...args: never[]) => {
      handlers ??= loadProjectCommands().then((m) => m.projectCommandHandlers(d));
      return (await handlers)[id](...args);
    }),
  );
}
