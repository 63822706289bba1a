/// <reference lib="webworker" />
import type { RawImage } from '@huggingface/transformers';
import { keptClassCount } from '$lib/domain/models/decode';
import { labelsFromConfig, taskFromConfig } from '$lib/domain/models/hfFolder';
import { tokenSpans, type TokenTag } from '$lib/domain/models/tokenSpans';
import {
	InferenceTask,
	type ExecutionInfo,
	type ModelVersionRecord,
	type Prediction,
	type ScoredBox,
	type ScoredLabel
} from '$lib/domain/schemas';
import {
	BackendError,
	imagesOf,
	textsOf,
	throwIfAborted,
	type BackendFactory,
	type ExecutionPlan,
	type LoadedModel,
	type ModelInput,
	type RunOptions,
	type VerifiedFiles
} from '../backend';
import { ortThreads } from '../ortRuntime';
import {
	memoryPath,
	prepareTransformers,
	registerFiles,
	type Transformers
} from '../transformersEnv';

/**
 * Runtime 'transformers': a Hugging Face-layout folder (config.json, tokenizer or
 * preprocessor files, onnx/model*.onnx) run by a transformers.js pipeline. The files come only
 * from the version's verified bytes (see `transformersEnv.ts`); the pipeline's output is mapped
 * to ModelShip's `Prediction`: the labels best first for classification and zero-shot (all of
 * them up to 50, else the best 20: `keptClassCount`), boxes in source pixels, character spans
 * for token classification, a mean-pooled unit vector for embeddings.
 *
 * `version.config` may hold: `task` (else read from config.json's architectures), `dtype`
 * (default `fp32`, i.e. `onnx/model.onnx`; `q8` is `onnx/model_quantized.onnx`), `subfolder`
 * (default `onnx`), `batchSize`, `threshold` (object detection, default 0.5), `multiLabel`
 * (zero-shot text), `hypothesisTemplate`, `pooling` (`mean` or `cls`) and `normalize`.
 */

type Device = 'webgpu' | 'wasm';
type Pipe = ((...args: unknown[]) => Promise<unknown>) & { dispose(): Promise<void> };
type Label = { label: string; score: number };

const DEFAULT_BATCH = 8;
/** Longest image side handed to the pipeline; larger images are scaled down first. */
const MAX_IMAGE_SIDE = 1333;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const num = (v: unknown): number | undefined =>
	typeof v === 'number' && Number.isFinite(v) ? v : undefined;

function describe(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

function readConfig(files: VerifiedFiles): Record<string, unknown> {
	const bytes = files.get('config.json');
	if (!bytes) throw new BackendError('load-failed', 'the version has no config.json');
	try {
		return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
	} catch {
		throw new BackendError('load-failed', 'config.json is not valid JSON');
	}
}

function resolveTask(version: ModelVersionRecord, config: Record<string, unknown>): InferenceTask {
	const fromVersion = InferenceTask.safeParse(version.config.task);
	if (fromVersion.success) return fromVersion.data;
	const fromConfig = taskFromConfig(config);
	if (fromConfig) return fromConfig;
	throw new BackendError(
		'unsupported',
		'cannot tell which task this model does: set config.task or use a known architecture'
	);
}

/** A load error in terms of the version's files, not transformers' internal model id. */
function loadError(error: unknown, dtype: string): BackendError {
	if (error instanceof BackendError) return error;
	const message = describe(error);
	const path = memoryPath(/"([^"]+)"/.exec(message)?.[1] ?? '');
	if (path) {
		const hint = path.endsWith('.onnx') ? ` (dtype '${dtype}' reads this file)` : '';
		return new BackendError('load-failed', `the version has no file ${path}${hint}`);
	}
	return new BackendError('load-failed', `transformers.js could not load the model: ${message}`);
}

// ------------------------------------------------------------------------------- inputs

function toRawImage(t: Transformers, bitmap: ImageBitmap): { image: RawImage; scale: number } {
	const scale = Math.min(1, MAX_IMAGE_SIDE / Math.max(bitmap.width, bitmap.height));
	const width = Math.max(1, Math.round(bitmap.width * scale));
	const height = Math.max(1, Math.round(bitmap.height * scale));
	const canvas = new OffscreenCanvas(width, height);
	const ctx = canvas.getContext('2d', { willReadFrequently: true });
	if (!ctx) throw new BackendError('unsupported', 'OffscreenCanvas 2D is not available');
	ctx.imageSmoothingQuality = 'high';
	ctx.drawImage(bitmap, 0, 0, width, height);
	const { data } = ctx.getImageData(0, 0, width, height);
	return { image: new t.RawImage(data, width, height, 4), scale: width / bitmap.width };
}

const texts = (inputs: readonly ModelInput[]): string[] => textsOf(inputs, 'this model');

const images = (t: Transformers, inputs: readonly ModelInput[]) =>
	imagesOf(inputs, 'this model').map((image) => toRawImage(t, image));

// ------------------------------------------------------------------------------- outputs

/** Label name → output index; `LABEL_3` style names when config.json has no id2label. */
function indexer(labels: readonly string[]): (label: string) => number {
	const index = new Map(labels.map((l, i) => [l, i]));
	return (label) => index.get(label) ?? Number(/^LABEL_(\d+)$/.exec(label)?.[1] ?? 0);
}

function classes(list: readonly Label[], indexOf: (label: string) => number): Prediction {
	const scored: ScoredLabel[] = list.map((c) => ({
		label: c.label,
		index: indexOf(c.label),
		score: c.score
	}));
	scored.sort((a, b) => b.score - a.score);
	return { kind: 'classes', classes: scored.slice(0, keptClassCount(scored.length)) };
}

/**
 * Every pipeline gets an array of inputs, so it answers with one entry per input (a single
 * label instead of a list only for text classification with `top_k` 1).
 */
function perInput<T>(output: unknown, count: number): T[] {
	const list = output as T[];
	if (!Array.isArray(list) || list.length !== count) {
		throw new BackendError('run-failed', `expected ${count} outputs from the pipeline`);
	}
	return list;
}

interface Runner {
	batch: number;
	run(pipe: Pipe, inputs: readonly ModelInput[], options: RunOptions): Promise<Prediction[]>;
	/** A small input for the WebGPU-vs-WASM probe. */
	probe(t: Transformers): ModelInput[];
}

function probeImage(): ModelInput[] {
	const canvas = new OffscreenCanvas(64, 64);
	const ctx = canvas.getContext('2d');
	if (ctx) {
		ctx.fillStyle = '#808080';
		ctx.fillRect(0, 0, 64, 64);
	}
	return [{ kind: 'image', image: canvas.transferToImageBitmap() }];
}

const probeText = (): ModelInput[] => [
	{ kind: 'text', text: 'A short sentence to time the model.' }
];

function candidates(options: RunOptions): string[] {
	const labels = [...(options.candidateLabels ?? [])];
	if (labels.length === 0) {
		throw new BackendError(
			'bad-input',
			'zero-shot models need the label task’s classes as candidates'
		);
	}
	return labels;
}

function runnerFor(
	t: Transformers,
	task: InferenceTask,
	labels: readonly string[],
	config: ModelVersionRecord['config']
): Runner {
	const indexOf = indexer(labels);
	const batch = Math.max(1, Math.min(64, num(config.batchSize) ?? DEFAULT_BATCH));
	switch (task) {
		case 'text-classification':
			return {
				batch,
				probe: probeText,
				async run(pipe, inputs) {
					const out = await pipe(texts(inputs), {
						top_k: Math.max(1, keptClassCount(labels.length))
					});
					return perInput<Label[] | Label>(out, inputs.length).map((r) =>
						classes(Array.isArray(r) ? r : [r], indexOf)
					);
				}
			};
		case 'image-classification':
			return {
				batch,
				probe: probeImage,
				async run(pipe, inputs) {
					const raw = images(t, inputs).map((i) => i.image);
					const out = await pipe(raw, { top_k: Math.max(1, keptClassCount(labels.length)) });
					return perInput<Label[]>(out, inputs.length).map((r) => classes(r, indexOf));
				}
			};
		case 'zero-shot-image-classification':
			return {
				batch,
				probe: probeImage,
				async run(pipe, inputs, options) {
					const names = candidates(options);
					const at = indexer(names);
					const raw = images(t, inputs).map((i) => i.image);
					const template = str(config.hypothesisTemplate);
					const out = await pipe(raw, names, template ? { hypothesis_template: template } : {});
					return perInput<Label[]>(out, inputs.length).map((r) => classes(r, at));
				}
			};
		case 'zero-shot-classification':
			return {
				batch,
				probe: probeText,
				async run(pipe, inputs, options) {
					const names = candidates(options);
					const at = indexer(names);
					const out = await pipe(texts(inputs), names, {
						multi_label: config.multiLabel === true,
						...(str(config.hypothesisTemplate)
							? { hypothesis_template: config.hypothesisTemplate }
							: {})
					});
					const results = perInput<{ labels: string[]; scores: number[] }>(out, inputs.length);
					return results.map((r) =>
						classes(
							r.labels.map((label, i) => ({ label, score: r.scores[i] ?? 0 })),
							at
						)
					);
				}
			};
		case 'object-detection':
			return {
				// The pipeline takes one image per call.
				batch: 1,
				probe: probeImage,
				async run(pipe, inputs) {
					const threshold = num(config.threshold) ?? 0.5;
					const predictions: Prediction[] = [];
					for (const { image, scale } of images(t, inputs)) {
						const out = (await pipe(image, { threshold, percentage: false })) as {
							label: string;
							score: number;
							box: { xmin: number; ymin: number; xmax: number; ymax: number };
						}[];
						const boxes: ScoredBox[] = out.map((d) => ({
							box: [d.box.xmin / scale, d.box.ymin / scale, d.box.xmax / scale, d.box.ymax / scale],
							label: d.label,
							classIndex: indexOf(d.label),
							score: d.score
						}));
						boxes.sort((a, b) => b.score - a.score);
						predictions.push({ kind: 'boxes', boxes });
					}
					return predictions;
				}
			};
		case 'token-classification':
			return {
				batch,
				probe: probeText,
				async run(pipe, inputs) {
					const list = texts(inputs);
					// Every token, O included: spans need to know where entities stop.
					const out = await pipe(list, { ignore_labels: [] });
					return perInput<TokenTag[]>(out, list.length).map((tokens, i) => ({
						kind: 'spans',
						spans: tokenSpans(list[i] ?? '', tokens)
					}));
				}
			};
		case 'feature-extraction':
			return {
				batch,
				probe: probeText,
				async run(pipe, inputs) {
					const pooling = str(config.pooling) ?? 'mean';
					const out = (await pipe(texts(inputs), {
						pooling,
						normalize: config.normalize !== false
					})) as { data: Float32Array; dims: number[] };
					const width = out.dims.at(-1) ?? 0;
					return inputs.map((_, i) => ({
						kind: 'embedding',
						vector: Float32Array.from(out.data.subarray(i * width, (i + 1) * width))
					}));
				}
			};
	}
}

// ------------------------------------------------------------------------------- loading

async function timeRuns(runner: Runner, pipe: Pipe, t: Transformers): Promise<number> {
	const inputs = runner.probe(t);
	const options: RunOptions = { candidateLabels: ['one', 'two'] };
	try {
		await runner.run(pipe, inputs, options); // warm-up
		const times: number[] = [];
		for (let i = 0; i < 3; i++) {
			const started = performance.now();
			await runner.run(pipe, inputs, options);
			times.push(performance.now() - started);
		}
		return times.sort((a, b) => a - b)[1] as number;
	} finally {
		for (const input of inputs) if (input.kind === 'image') input.image.close();
	}
}

function wasmReason(plan: ExecutionPlan): string {
	const threads = ortThreads();
	if (!plan.isolated) return 'not cross-origin isolated: single-threaded WASM';
	return `WASM with ${threads} thread${threads === 1 ? '' : 's'}`;
}

/**
 * Picks the device: as the plan forces it, or with 'auto' and a WebGPU adapter, both are
 * loaded and a warmed-up probe keeps the faster one.
 */
async function open(
	t: Transformers,
	load: (device: Device) => Promise<Pipe>,
	runner: Runner,
	plan: ExecutionPlan
): Promise<{ pipe: Pipe; device: Device; reason: string }> {
	if (plan.prefer === 'wasm')
		return {
			pipe: await load('wasm'),
			device: 'wasm',
			reason: `WASM requested; ${wasmReason(plan)}`
		};
	if (!plan.webgpu) {
		const why =
			plan.prefer === 'webgpu' ? 'WebGPU requested but no WebGPU adapter' : 'no WebGPU adapter';
		return { pipe: await load('wasm'), device: 'wasm', reason: `${why}; ${wasmReason(plan)}` };
	}
	let gpu: Pipe;
	try {
		gpu = await load('webgpu');
	} catch (error) {
		const reason = `WebGPU could not load this model (${describe(error)}); ${wasmReason(plan)}`;
		return { pipe: await load('wasm'), device: 'wasm', reason };
	}
	if (plan.prefer === 'webgpu') return { pipe: gpu, device: 'webgpu', reason: 'WebGPU requested' };

	const cpu = await load('wasm').catch(async (error: unknown) => {
		await gpu.dispose().catch(() => undefined);
		throw error;
	});
	let gpuMs: number;
	try {
		gpuMs = await timeRuns(runner, gpu, t);
	} catch (error) {
		await gpu.dispose().catch(() => undefined);
		return {
			pipe: cpu,
			device: 'wasm',
			reason: `WebGPU failed in the probe (${describe(error)}); ${wasmReason(plan)}`
		};
	}
	let cpuMs: number;
	try {
		cpuMs = await timeRuns(runner, cpu, t);
	} catch (error) {
		await cpu.dispose().catch(() => undefined);
		return {
			pipe: gpu,
			device: 'webgpu',
			reason: `WASM failed in the probe (${describe(error)}), WebGPU ran`
		};
	}
	const times = `${gpuMs.toFixed(1)} vs ${cpuMs.toFixed(1)} ms`;
	if (gpuMs < cpuMs) {
		await cpu.dispose();
		const ratio = (cpuMs / Math.max(gpuMs, 1e-3)).toFixed(1);
		return {
			pipe: gpu,
			device: 'webgpu',
			reason: `WebGPU ${ratio}× faster than WASM in a warm-up probe (${times})`
		};
	}
	await gpu.dispose();
	const ratio = (gpuMs / Math.max(cpuMs, 1e-3)).toFixed(1);
	return {
		pipe: cpu,
		device: 'wasm',
		reason: `WASM ${ratio}× faster than WebGPU in a warm-up probe (${times}); ${wasmReason(plan)}`
	};
}

/**
 * Example:
 * ```ts
 * const model = await createBackend(version, files, plan);
 * const [p] = await model.run([{ kind: 'text', text: 'I love it' }]);
 * // p → { kind: 'classes', classes: [{ label: 'positive', index: 1, score: 0.99 }, …] }
 * ```
 */
export const createBackend: BackendFactory = async (version, files, plan) => {
	const started = performance.now();
	const config = readConfig(files);
	const task = resolveTask(version, config);
	const zeroShot = task === 'zero-shot-classification' || task === 'zero-shot-image-classification';
	const labels =
		zeroShot || task === 'feature-extraction'
			? []
			: version.labels.length > 0
				? version.labels
				: labelsFromConfig(config).labels;
	const dtype = str(version.config.dtype) ?? 'fp32';
	const subfolder = str(version.config.subfolder) ?? 'onnx';

	const t = await prepareTransformers(plan);
	const { modelId, release } = registerFiles(files);
	const runner = runnerFor(t, task, labels, version.config);
	const load = async (device: Device): Promise<Pipe> => {
		try {
			return (await t.pipeline(task, modelId, {
				device,
				dtype: dtype as never,
				subfolder
			})) as unknown as Pipe;
		} catch (error) {
			throw loadError(error, dtype);
		}
	};

	let opened: Awaited<ReturnType<typeof open>>;
	try {
		opened = await open(t, load, runner, plan);
	} catch (error) {
		release();
		throw loadError(error, dtype);
	}
	const { pipe, device, reason } = opened;
	const execution: ExecutionInfo = {
		backend: `transformers.js ${t.env.version} · onnxruntime-web ${device}`,
		device,
		threads: ortThreads(),
		reason,
		loadMs: performance.now() - started
	};

	let disposed = false;
	const model: LoadedModel = {
		task,
		labels,
		execution,
		async run(inputs, options = {}) {
			if (disposed) throw new BackendError('run-failed', 'the model was unloaded');
			const predictions: Prediction[] = [];
			for (let i = 0; i < inputs.length; i += runner.batch) {
				throwIfAborted(options.signal);
				try {
					predictions.push(...(await runner.run(pipe, inputs.slice(i, i + runner.batch), options)));
				} catch (error) {
					if (error instanceof BackendError) throw error;
					throw new BackendError('run-failed', `transformers.js failed: ${describe(error)}`);
				}
			}
			return predictions;
		},
		async dispose() {
			if (disposed) return;
			disposed = true;
			release();
			await pipe.dispose();
		}
	};
	return model;
};
