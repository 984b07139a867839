// The chunk behind loadCommandActions(): what the commands that ask questions first do
// (Generate Video from Selection with its options and cost, a Timeline segment's edit or
// removal, Try Offline). They are registered at activation; this loads on the first run.
export { generateFromSelection } from '../commands/generateFromSelection';
export { editSegment, removeSegment } from '../commands/segmentCommands';
export { tryOffline } from '../commands/tryOffline';
