import { proxy, transfer, wrap, type Remote } from 'comlink';
import type { AutoLabelJob, InferenceError, Result } from '$lib/domain/schemas';
import type {
	EnvironmentReport,
	HubRequest,
	InferenceApi,
	LoadReport,
	RunOptions,
	RunReport,
	WireInput
} from './worker';
import { poolSize } from './executionPlan';

export type { EnvironmentReport, HubRequest, LoadReport, RunReport, WireInput };

/**
 * The page's door to inference: a small pool of workers started on first use, each call
 * cancellable with an AbortSignal, idle workers terminated (CONVENTIONS.md #5). A crashed
 * worker fails its calls with `worker-crashed` instead of leaving them hanging.
 */

const IDLE_MS = 60_000;

interface Slot {
	worker: Worker;
	remote: Remote<InferenceApi>;
	active: number;
	onCrash: Set<(error: InferenceError) => void>;
}

const slots: (Slot | null)[] = [];
let idleTimer: ReturnType<typeof setTimeout> | undefined;
let nextCall = 0;

function size(): number {
	const memory = (navigator as unknown as { deviceMemory?: number }).deviceMemory ?? null;
	return poolSize(navigator.hardwareConcurrency || 1, memory);
}

function start(index: number): Slot {
	const worker = new Worker(new URL('./worker.ts', import.meta.url), {
		type: 'module',
		name: `inference-${index}`
	});
	const slot: Slot = { worker, remote: wrap<InferenceApi>(worker), active: 0, onCrash: new Set() };
	const crash = (message: string) => {
		worker.terminate();
		if (slots[index] === slot) slots[index] = null;
		for (const reject of slot.onCrash) reject({ code: 'worker-crashed', message });
	};
	worker.addEventListener('error', (event) =>
		crash(
			`the inference worker stopped (${event.message || 'it could not start or ran out of memory'})`
		)
	);
	worker.addEventListener('messageerror', () =>
		crash('the inference worker sent an unreadable message')
	);
	slots[index] = slot;
	return slot;
}

/** The least busy worker, starting one when a slot is free. */
function pick(): Slot {
	clearTimeout(idleTimer);
	const n = size();
	let best: Slot | null = null;
	for (let i = 0; i < n; i++) {
		const slot = slots[i];
		if (!slot) return start(i);
		if (!best || slot.active < best.active) best = slot;
	}
	return best ?? start(0);
}

function scheduleIdle(): void {
	if (slots.some((s) => s && s.active > 0)) return;
	clearTimeout(idleTimer);
	idleTimer = setTimeout(terminateAll, IDLE_MS);
}

/** Frees every worker (and the models they hold) now. */
export function terminateAll(): void {
	for (const [i, slot] of slots.entries()) {
		slot?.worker.terminate();
		slots[i] = null;
	}
}

async function guarded<T>(
	call: (api: Remote<InferenceApi>) => Promise<Result<T>>,
	slot: Slot = pick()
): Promise<Result<T>> {
	slot.active += 1;
	let fail: (error: InferenceError) => void = () => undefined;
	const crashed = new Promise<Result<T>>((resolve) => {
		fail = (error) => resolve({ ok: false, error });
	});
	slot.onCrash.add(fail);
	try {
		return await Promise.race([call(slot.remote), crashed]);
	} finally {
		slot.onCrash.delete(fail);
		slot.active -= 1;
		scheduleIdle();
	}
}

/** Wires an AbortSignal to the worker's cancel for one call. */
async function cancellable<T>(
	signal: AbortSignal | undefined,
	call: (api: Remote<InferenceApi>, callId: string) => Promise<Result<T>>
): Promise<Result<T>> {
	if (signal?.aborted) return { ok: false, error: { code: 'cancelled', message: 'cancelled' } };
	const callId = `c${++nextCall}`;
	return guarded(async (api) => {
		const onAbort = () => void api.cancel(callId);
		signal?.addEventListener('abort', onAbort, { once: true });
		try {
			return await call(api, callId);
		} finally {
			signal?.removeEventListener('abort', onAbort);
		}
	});
}

export async function environment(): Promise<EnvironmentReport> {
	const slot = pick();
	slot.active += 1;
	try {
		return await slot.remote.environment();
	} finally {
		slot.active -= 1;
		scheduleIdle();
	}
}

export async function loadModel(
	versionId: string,
	placement: Pick<RunOptions, 'prefer' | 'threads'> = {}
): Promise<Result<LoadReport>> {
	return guarded((api) => api.load(versionId, placement));
}

export interface RunRequest extends RunOptions {
	signal?: AbortSignal;
}

/** Runs one batch; image bytes are transferred, not copied. */
export async function runModel(
	versionId: string,
	inputs: WireInput[],
	{ signal, ...options }: RunRequest = {}
): Promise<Result<RunReport>> {
	const buffers = inputs.flatMap((i) => (i.kind === 'image' ? [i.bytes] : []));
	return cancellable(signal, (api, callId) =>
		api.run(callId, versionId, transfer(inputs, buffers), options)
	);
}

export async function downloadModel(
	request: HubRequest,
	onProgress: (loaded: number, total: number, file: string) => void,
	signal?: AbortSignal
): Promise<Result<{ versionId: string }>> {
	return cancellable(signal, (api, callId) => api.download(callId, request, proxy(onProgress)));
}

/** Drops a version from every worker's memory (after delete or re-import). */
export async function unloadModel(versionId: string): Promise<void> {
	await Promise.all(slots.map((slot) => slot?.remote.unload(versionId)));
}

/**
 * Runs an auto-label job in a worker until it completes, pauses, is cancelled or fails
 * (progress is on the job record). Aborting the signal pauses it after the current batch.
 */
export async function runAutoLabel(
	jobId: number,
	signal?: AbortSignal
): Promise<Result<{ status: AutoLabelJob['status'] }>> {
	return cancellable(signal, (api, callId) => api.autolabel(callId, jobId));
}
