// The chunk behind loadProjectCommands(): what the Projects view's and the lenses' commands do.
export { projectCommandHandlers } from '../commands/projectCommandHandlers';
