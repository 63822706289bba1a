import type {
	ExecutionInfo,
	InferenceTask,
	ModelVersionRecord,
	Prediction
} from '$lib/domain/schemas';

/**
 * The one interface every runtime adapter implements (onnx + manifest, transformers.js,
 * fastText, wink, TF.js), so jobs, the try-it panel and benchmarks never care which runs.
 * Adapters live in `backends/`, are imported lazily by `loadBackend`, and run inside the
 * inference worker only.
 */

/** An image arrives decoded (EXIF orientation applied); a text as a string. */
export type ModelInput = { kind: 'image'; image: ImageBitmap } | { kind: 'text'; text: string };

export interface RunOptions {
	signal?: AbortSignal;
	/** Zero-shot tasks: the label task's class names. */
	candidateLabels?: readonly string[];
}

export interface LoadedModel {
	readonly task: InferenceTask;
	/** Output labels in index order (empty for zero-shot and embeddings). */
	readonly labels: readonly string[];
	readonly execution: ExecutionInfo;
	/** One prediction per input, same order. Throws `BackendError` on failure. */
	run(inputs: readonly ModelInput[], options?: RunOptions): Promise<Prediction[]>;
	dispose(): Promise<void>;
}

/** A version's files after their SHA-256 was checked: path → bytes. */
export type VerifiedFiles = ReadonlyMap<string, Uint8Array>;

/** What the worker decided about the device before loading (see `executionPlan.ts`). */
export interface ExecutionPlan {
	/** WebGPU adapter found (the probe still decides per model whether it is faster). */
	webgpu: boolean;
	/** `crossOriginIsolated`: threaded WASM needs SharedArrayBuffer. */
	isolated: boolean;
	/** WASM threads to use: 1 unless isolated. */
	threads: number;
	/** Force a device (benchmarks and the diagnostics panel); `auto` lets the probe pick. */
	prefer: 'auto' | 'webgpu' | 'wasm';
}

export type BackendFactory = (
	version: ModelVersionRecord,
	files: VerifiedFiles,
	plan: ExecutionPlan
) => Promise<LoadedModel>;

/** Thrown inside adapters; the worker turns it into `{ ok: false, error }` data. */
export class BackendError extends Error {
	constructor(
		readonly code: 'load-failed' | 'unsupported' | 'bad-input' | 'run-failed' | 'cancelled',
		message: string
	) {
		super(message);
		this.name = 'BackendError';
	}
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
	if (signal?.aborted) throw new BackendError('cancelled', 'cancelled');
}

/** A batch's texts; an image in it is a `bad-input` error naming the model. */
export function textsOf(inputs: readonly ModelInput[], model: string): string[] {
	return inputs.map((input, i) => {
		if (input.kind !== 'text') {
			throw new BackendError('bad-input', `input ${i} is an image, but ${model} takes texts`);
		}
		return input.text;
	});
}

/** A batch's images; a text in it is a `bad-input` error naming the model. */
export function imagesOf(inputs: readonly ModelInput[], model: string): ImageBitmap[] {
	return inputs.map((input, i) => {
		if (input.kind !== 'image') {
			throw new BackendError('bad-input', `input ${i} is a text, but ${model} takes images`);
		}
		return input.image;
	});
}
