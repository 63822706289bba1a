import type { ExportOptions } from '$lib/domain/formats/snapshot';
import type { Selection } from '$lib/domain/formats/select';
import type { ImportedProject } from '$lib/services/projectFileService';
import { workerHandle } from '../workerHandle';
import type { ExportApi } from './worker';

const { guarded } = workerHandle<ExportApi>(
	() => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'export' }),
	'export'
);

export const previewInWorker = (
	projectId: number,
	options: ExportOptions
): Promise<Selection['counts']> => guarded((api) => api.preview(projectId, options));

/** Runs an export job to its end (the job record says how it ended). */
export const runExportInWorker = (
	jobId: number,
	saveTo: FileSystemFileHandle | null,
	signal: AbortSignal
): Promise<void> =>
	guarded(async (api) => {
		const onAbort = () => void api.cancel(jobId);
		signal.addEventListener('abort', onAbort);
		try {
			const run = api.run(jobId, saveTo);
			if (signal.aborted) onAbort();
			await run;
		} finally {
			signal.removeEventListener('abort', onAbort);
		}
	});

export const importProjectInWorker = (file: Blob): Promise<ImportedProject> =>
	guarded((api) => api.importProject(file));
