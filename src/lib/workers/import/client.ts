import { proxy, wrap, type Remote } from 'comlink';
import { ImportMessage, type ImportOptions } from '$lib/domain/schemas';
import type { ImportSource } from './importRunner';
import type { ImportApi, TablePreview } from './worker';

export type { TablePreview };

/** Idle workers are terminated after this long, freeing their memory (CONVENTIONS.md #5). */
const IDLE_MS = 30_000;

let worker: Worker | null = null;
let remote: Remote<ImportApi> | null = null;
let active = 0;
let idleTimer: ReturnType<typeof setTimeout> | undefined;

function acquire(): Remote<ImportApi> {
	clearTimeout(idleTimer);
	active += 1;
	if (!remote) {
		worker = new Worker(new URL('./worker.ts', import.meta.url), {
			type: 'module',
			name: 'import'
		});
		remote = wrap<ImportApi>(worker);
	}
	return remote;
}

function release(): void {
	active -= 1;
	if (active > 0) return;
	idleTimer = setTimeout(() => {
		worker?.terminate();
		worker = null;
		remote = null;
	}, IDLE_MS);
}

export async function previewTable(file: File): Promise<TablePreview> {
	const api = acquire();
	try {
		return await api.previewTable(file, file.name);
	} finally {
		release();
	}
}

/**
 * Runs an import in the worker. Aborting the signal asks the worker to stop after the file
 * in hand; items already stored stay.
 */
export async function runImport(
	jobId: number,
	sources: ImportSource[],
	options: ImportOptions,
	onMessage: (message: ImportMessage) => void,
	signal?: AbortSignal
): Promise<void> {
	const api = acquire();
	const onAbort = () => void api.cancel(jobId);
	signal?.addEventListener('abort', onAbort);
	try {
		await api.run(
			jobId,
			sources,
			options,
			proxy((raw: unknown) => onMessage(ImportMessage.parse(raw)))
		);
	} finally {
		signal?.removeEventListener('abort', onAbort);
		release();
	}
}
