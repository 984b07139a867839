// The chunk behind loadProjectCore(): the project store and its validated records, source
// anchors and storyboards. Loaded when the Projects list is first read (just after
// activation), not by activate() itself.
export { ProjectListStore } from '../core/projects/projectStore';
export { migrateLegacyProjects, newProjectRecord } from '../core/projects/projectRecord';
export { createAnchor, indexText, locate, rebaseForRename } from '../core/projects/sourceAnchor';
export { findScene, parseStoryboard, sceneAnchor, sceneKeyOfAnchor, scenesWithoutVideo } from '../core/projects/storyboard';
