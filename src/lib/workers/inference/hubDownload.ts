/// <reference lib="webworker" />
import { labelsFromConfig } from '$lib/domain/models/hfFolder';
import type { InferenceErrorCode, InferenceTask, RuntimeConfig } from '$lib/domain/schemas';
import type { ExecutionPlan } from './backend';

/**
 * Downloads a model from a Hugging Face-style hub inside the inference worker. transformers.js
 * itself decides which files the task's pipeline needs (config, tokenizer or preprocessor,
 * the weights for the dtype): a pipeline is built against the hub with a capturing cache, so
 * exactly the files it fetched are kept, and building it proves they load. The caller stores
 * them as a registry version; from then on the model runs offline from those bytes.
 */

export interface HubDownloadRequest {
	/** e.g. `Xenova/vit-base-patch16-224`. */
	hubId: string;
	task: InferenceTask;
	/** The hub's base URL, e.g. `https://huggingface.co` (tests: the local mock hub). */
	hubUrl: string;
	/** transformers.js dtype: `fp32` (onnx/model.onnx), `q8` (onnx/model_quantized.onnx), … */
	dtype?: string;
	/** Bytes of all files so far, their expected total (0 while unknown), the current file. */
	onProgress?: (loadedBytes: number, totalBytes: number, file: string) => void;
	signal?: AbortSignal;
	/** Where the check load runs: the worker's plan (ORT fixes its threads at its first session). */
	plan: ExecutionPlan;
}

export interface HubDownload {
	/** Relative path (`config.json`, `onnx/model_quantized.onnx`) → bytes. */
	files: Map<string, Uint8Array>;
	/** config.json's id2label in index order (empty for zero-shot tasks and embeddings). */
	labels: string[];
	/** What the transformers backend needs to load the files again: `task`, `dtype`. */
	config: RuntimeConfig;
}

/** A download failure with the registry's error code (`offline`, `download-failed`, `cancelled`). */
export class HubDownloadError extends Error {
	constructor(
		readonly code: Extract<InferenceErrorCode, 'offline' | 'download-failed' | 'cancelled'>,
		message: string
	) {
		super(message);
		this.name = 'HubDownloadError';
	}
}

type Progress = { status: string; file?: string; loaded?: number; total?: number };

function toDownloadError(error: unknown, request: HubDownloadRequest): HubDownloadError {
	if (error instanceof HubDownloadError) return error;
	const message = error instanceof Error ? error.message : String(error);
	const name = error instanceof Error ? error.name : '';
	if (request.signal?.aborted || name === 'AbortError') {
		return new HubDownloadError('cancelled', 'download cancelled');
	}
	// fetch rejects with a TypeError when the host cannot be reached at all.
	if (error instanceof TypeError || /failed to fetch|network/i.test(message)) {
		return new HubDownloadError(
			'offline',
			`The model hub at ${request.hubUrl} could not be reached (offline?): ${message}`
		);
	}
	if (name === 'ModelFileNotFoundError') {
		return new HubDownloadError(
			'download-failed',
			`${request.hubId} is not on the hub at ${request.hubUrl}, or a file it needs is missing: ${message}`
		);
	}
	return new HubDownloadError('download-failed', `Downloading ${request.hubId} failed: ${message}`);
}

/**
 * Example:
 * ```ts
 * const { files, labels } = await downloadFromHub({
 *   hubId: 'modelship-fixtures/tiny-sentiment', task: 'text-classification',
 *   hubUrl: 'http://127.0.0.1:8090', onProgress: (done, total) => console.log(done, total)
 * });
 * // files: config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx
 * ```
 */
export async function downloadFromHub(request: HubDownloadRequest): Promise<HubDownload> {
	const { hubId, task, hubUrl, signal, onProgress } = request;
	const dtype = request.dtype ?? 'fp32';
	if (signal?.aborted) throw new HubDownloadError('cancelled', 'download cancelled');
	if (typeof navigator !== 'undefined' && navigator.onLine === false) {
		throw new HubDownloadError(
			'offline',
			`The model hub at ${hubUrl} could not be reached: this device is offline.`
		);
	}
	const { prepareTransformers, withCapture } = await import('./transformersEnv');
	const t = await prepareTransformers(request.plan);

	let total = { loaded: 0, total: 0 };
	const progress = (info: Progress) => {
		if (info.status === 'progress_total') {
			total = { loaded: info.loaded ?? 0, total: info.total ?? 0 };
		} else if (info.status === 'progress' && info.file) {
			onProgress?.(total.loaded, Math.max(total.total, total.loaded), info.file);
		}
	};

	try {
		const files = await withCapture(hubId, hubUrl, signal, async (captured) => {
			const pipe = await t.pipeline(task, hubId, {
				device: 'wasm',
				dtype: dtype as never,
				progress_callback: progress as never
			});
			await (pipe as unknown as { dispose(): Promise<void> }).dispose();
			return captured;
		});
		if (signal?.aborted) throw new HubDownloadError('cancelled', 'download cancelled');
		const configBytes = files.get('config.json');
		if (!configBytes) throw new HubDownloadError('download-failed', `${hubId} has no config.json`);
		const config = JSON.parse(new TextDecoder().decode(configBytes)) as Record<string, unknown>;
		const labelled = ![
			'zero-shot-classification',
			'zero-shot-image-classification',
			'feature-extraction'
		].includes(task);
		const { labels, problem } = labelled ? labelsFromConfig(config) : { labels: [], problem: null };
		if (problem) throw new HubDownloadError('download-failed', `${hubId}: ${problem}`);
		const bytes = [...files.values()].reduce((sum, f) => sum + f.byteLength, 0);
		onProgress?.(bytes, bytes, '');
		return { files, labels, config: { task, dtype } };
	} catch (error) {
		throw toDownloadError(error, request);
	}
}
