import { emptyCounts, ImportOptions, type ImportMessage } from '$lib/domain/schemas';
import { createImportJob, getImportJob, markInterruptedJobs, updateJob } from '$lib/db/jobs';
import { loadSettings, saveSettings } from '$lib/db/settings';
import type { PickedFile } from '$lib/platform/fileSources';
import { requestPersistence } from '$lib/platform/storage';
import { runImport } from '$lib/workers/import/client';

export {
	previewDataset,
	previewTable,
	type DatasetPreview,
	type TablePreview
} from '$lib/workers/import/client';

export type ImportChoices = Omit<ImportOptions, 'projectId' | 'limits'>;

function describe(files: PickedFile[]): string {
	const first = files[0]?.path.split('/')[0] ?? 'files';
	return files.length === 1 ? first : `${first} and ${files.length - 1} more`;
}

/**
 * Runs an import job: validates the choices, asks once for persistent storage, records the
 * job and runs it in the import worker. `onMessage` always ends with exactly one `done`
 * message — synthesised from the job record when the worker could not send it (it crashed,
 * or the import was cancelled before it started).
 */
export async function importFiles(
	projectId: number,
	files: PickedFile[],
	choices: ImportChoices,
	onMessage: (message: ImportMessage) => void,
	onStarted: (jobId: number) => void,
	signal?: AbortSignal
): Promise<void> {
	const settings = await loadSettings();
	const parsed = ImportOptions.safeParse({ ...choices, projectId, limits: settings.limits });
	if (!parsed.success) {
		throw new Error(`Check the import options: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
	}
	const cancelledEarly = () => {
		onMessage({ status: 'done', outcome: 'cancelled', counts: emptyCounts(), stopReason: null });
	};
	if (signal?.aborted) return cancelledEarly();
	if (!settings.persistAsked) {
		await requestPersistence();
		await saveSettings({ persistAsked: true });
	}
	if (signal?.aborted) return cancelledEarly();
	const jobId = await createImportJob(projectId, describe(files));
	// The page holds the job's lock from the moment the job exists: another tab then never
	// mistakes it for an import whose tab was closed (reconcileInterruptedJobs).
	await navigator.locks.request(jobLock(jobId), async () => {
		onStarted(jobId);
		let done = false;
		try {
			await runImport(
				jobId,
				files.map((f) => ({ file: f.file, path: f.path })),
				parsed.data,
				(message) => {
					done ||= message.status === 'done';
					onMessage(message);
				},
				signal
			);
		} catch (error) {
			const message = `The import stopped: ${error instanceof Error ? error.message : String(error)}. Items stored before that are kept.`;
			await updateJob(jobId, { status: 'failed', finishedAt: Date.now(), message });
		}
		if (!done) {
			const job = await getImportJob(jobId);
			onMessage({
				status: 'done',
				outcome: 'stopped',
				counts: job?.counts ?? emptyCounts(),
				stopReason: { code: 'failed', message: job?.message ?? 'The import stopped.' }
			});
		}
	});
}

const jobLock = (jobId: number) => `import-job-${jobId}`;

/** Marks jobs whose worker no longer holds its lock (closed or crashed tab) as interrupted. */
export async function reconcileInterruptedJobs(): Promise<void> {
	const held = new Set(
		((await navigator.locks?.query())?.held ?? []).map((lock) => lock.name ?? '')
	);
	await markInterruptedJobs((jobId) => held.has(jobLock(jobId)));
}
