import type { ImportMessage, ImportOptions } from '$lib/domain/schemas';
import { createImportJob, markInterruptedJobs } from '$lib/db/jobs';
import { loadSettings, saveSettings } from '$lib/db/settings';
import type { PickedFile } from '$lib/platform/fileSources';
import { requestPersistence } from '$lib/platform/storage';
import { runImport } from '$lib/workers/import/client';

export { previewTable, type TablePreview } from '$lib/workers/import/client';

export type ImportChoices = Omit<ImportOptions, 'projectId' | 'limits'>;

function describe(files: PickedFile[]): string {
	const first = files[0]?.path.split('/')[0] ?? 'files';
	return files.length === 1 ? first : `${first} and ${files.length - 1} more`;
}

/**
 * Starts an import job: records it, asks once for persistent storage, and runs it in the
 * import worker. Resolves with the job id when the job has finished (or stopped).
 */
export async function importFiles(
	projectId: number,
	files: PickedFile[],
	choices: ImportChoices,
	onMessage: (message: ImportMessage) => void,
	onStarted: (jobId: number) => void,
	signal?: AbortSignal
): Promise<number> {
	const settings = await loadSettings();
	if (!settings.persistAsked) {
		await requestPersistence();
		await saveSettings({ persistAsked: true });
	}
	const jobId = await createImportJob(projectId, describe(files));
	onStarted(jobId);
	await runImport(
		jobId,
		files.map((f) => ({ file: f.file, path: f.path })),
		{ ...choices, projectId, limits: settings.limits },
		onMessage,
		signal
	);
	return jobId;
}

/** Marks jobs whose worker no longer holds its lock (closed or crashed tab) as interrupted. */
export async function reconcileInterruptedJobs(): Promise<void> {
	const held = new Set(
		((await navigator.locks?.query())?.held ?? []).map((lock) => lock.name ?? '')
	);
	await markInterruptedJobs((jobId) => held.has(`import-job-${jobId}`));
}
