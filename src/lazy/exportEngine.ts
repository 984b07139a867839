// The chunk behind loadExportEngine(): what an export does (the target, the render and the
// download under a progress notification, placing the file; export/exportRun.ts) and the
// render-job store its jobs are kept in.
export { chooseExportTarget, exportVideo, finishLeftExports } from '../export/exportRun';
export { RenderJobFileStore } from '../export/renderJobFileStore';
