// The chunk behind loadExportEngine(): the render job and the export jobs around it (with the download).
export { finishClaimedJobs, runExport } from '../core/jobs/exportJobs';
export { resumeRenderJob, runRenderJob } from '../core/jobs/renderJob';
