// The chunk behind loadExportEngine(): the render job and the export jobs around it (with the
// download), and the render-job store they keep their jobs in.
export { finishClaimedJobs, runExport } from '../core/jobs/exportJobs';
export { resumeRenderJob, runRenderJob } from '../core/jobs/renderJob';
export { RenderJobFileStore } from '../export/renderJobFileStore';
