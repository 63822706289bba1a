import { wrap, type Remote } from 'comlink';

/** Idle workers are terminated after this long, freeing their memory (CONVENTIONS.md #5). */
const IDLE_MS = 30_000;

/**
 * A lazily started comlink worker that is stopped when idle, shared by the import and export
 * clients. `guarded` runs one call and rejects it if the worker dies first: comlink never
 * settles a call whose worker crashed (out of memory, a chunk that failed to load).
 */
export function workerHandle<Api>(
	start: () => Worker,
	label: string
): { guarded<T>(call: (api: Remote<Api>) => Promise<T>): Promise<T> } {
	let worker: Worker | null = null;
	let remote: Remote<Api> | null = null;
	let active = 0;
	let idleTimer: ReturnType<typeof setTimeout> | undefined;
	const onCrash = new Set<(error: Error) => void>();

	function acquire(): Remote<Api> {
		clearTimeout(idleTimer);
		active += 1;
		if (!remote) {
			const started = start();
			const crash = (message: string) => {
				started.terminate();
				if (worker === started) {
					worker = null;
					remote = null;
				}
				for (const reject of onCrash) reject(new Error(message));
			};
			started.addEventListener('error', (event) =>
				crash(`the ${label} worker stopped (${event.message || 'it could not start or crashed'})`)
			);
			started.addEventListener('messageerror', () =>
				crash(`the ${label} worker sent an unreadable message`)
			);
			worker = started;
			remote = wrap<Api>(started);
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

	return {
		async guarded<T>(call: (api: Remote<Api>) => Promise<T>): Promise<T> {
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
	};
}
