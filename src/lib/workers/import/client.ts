import { proxy } from 'comlink';
import { workerHandle } from '../workerHandle';
import { ImportMessage, type ImportOptions } from '$lib/domain/schemas';
import type { ImportSource } from './importRunner';
import type { DatasetPreview, ImportApi, TablePreview } from './worker';
import type { ReaderId } from '$lib/domain/formats/readers/dataset';

export type { DatasetPreview, TablePreview };

const { guarded } = workerHandle<ImportApi>(
	() => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'import' }),
	'import'
);

export async function previewTable(file: File): Promise<TablePreview> {
	return guarded<TablePreview>((api) => api.previewTable(file, file.name));
}

/**
 * Runs an import in the worker. Aborting the signal asks the worker to stop after the file
 * in hand; items already stored stay. Rejects if the worker dies mid-way.
 */
export async function runImport(
	jobId: number,
	sources: ImportSource[],
	options: ImportOptions,
	onMessage: (message: ImportMessage) => void,
	signal?: AbortSignal
): Promise<void> {
	await guarded(async (api) => {
		const onAbort = () => void api.cancel(jobId);
		signal?.addEventListener('abort', onAbort);
		try {
			const run = api.run(
				jobId,
				sources,
				options,
				proxy((raw: unknown) => onMessage(ImportMessage.parse(raw)))
			);
			// An abort that came before the listener existed still counts.
			if (signal?.aborted) onAbort();
			await run;
		} finally {
			signal?.removeEventListener('abort', onAbort);
		}
	});
}

/** Reads picked files as a labelled dataset (no images decoded) for the import page. */
export async function previewDataset(
	sources: ImportSource[],
	format: ReaderId | null = null
): Promise<DatasetPreview> {
	return guarded<DatasetPreview>((api) => api.previewDataset(sources, format));
}
