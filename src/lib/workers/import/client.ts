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
/** Callers waiting on the worker; comlink never settles their calls if the worker dies. */
const onCrash = new Set<(error: Error) => void>();

function acquire(): Remote<ImportApi> {
	clearTimeout(idleTimer);
	active += 1;
	if (!remote) {
		const started = new Worker(new URL('./worker.ts', import.meta.url), {
			type: 'module',
			name: 'import'
		});
		const crash = (message: string) => {
			started.terminate();
			if (worker === started) {
				worker = null;
				remote = null;
			}
			for (const reject of onCrash) reject(new Error(message));
		};
		// A chunk that fails to load (offline after an update) or a crash (out of memory).
		started.addEventListener('error', (event) =>
			crash(`the import worker stopped (${event.message || 'it could not start or crashed'})`)
		);
		started.addEventListener('messageerror', () =>
			crash('the import worker sent an unreadable message')
		);
		worker = started;
		remote = wrap<ImportApi>(started);
	}
	return remote;
}

/** Runs `call` against the worker, rejecting if the worker dies before it settles. */
async function guarded<T>(call: (api: Remote<ImportApi>) => Promise<T>): Promise<T> {
	const api = acquire();
	let reject: (error: Error) => void = () => undefined;
	const crashed = new Promise<never>((_, r) => (reject = r));
	onCrash.add(reject);
	try {
		return await Promise.race([call(api), crashed]);
	} finally {
		onCrash.delete(reject);
		release();
	}
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
