/// <reference lib="webworker" />
/**
 * The harness worker: loads HF-layout models through the app's real transformers backend
 * (files from memory only) and downloads through the app's real hub download.
 */
import { expose } from 'comlink';
import type { ModelVersionRecord, Prediction } from '$lib/domain/schemas';
import type { ExecutionPlan, LoadedModel, ModelInput } from '$lib/workers/inference/backend';
import { createBackend } from '$lib/workers/inference/backends/transformers';
import { downloadFromHub } from '$lib/workers/inference/hubDownload';

export type HarnessInput =
	| { kind: 'text'; text: string }
	| { kind: 'solid'; rgb: [number, number, number]; width: number; height: number };

export interface LoadOptions {
	task: string;
	dtype?: string;
	prefer?: ExecutionPlan['prefer'];
	threads?: number;
	config?: Record<string, string | number | boolean>;
}

type Plain = Exclude<Prediction, { kind: 'embedding' }> | { kind: 'embedding'; vector: number[] };

const models = new Map<string, LoadedModel>();
const downloads = new Map<string, Map<string, Uint8Array>>();

function plan(prefer: ExecutionPlan['prefer'] = 'auto', threads?: number): ExecutionPlan {
	const isolated = self.crossOriginIsolated === true;
	const cores = navigator.hardwareConcurrency || 1;
	return {
		webgpu: 'gpu' in navigator,
		isolated,
		threads: isolated ? (threads ?? Math.min(4, cores)) : 1,
		prefer
	};
}

function version(options: LoadOptions): ModelVersionRecord {
	return {
		id: 'harness',
		modelId: 'harness',
		version: '1.0.0',
		files: [],
		sha256: '0'.repeat(64),
		size: 0,
		manifest: null,
		config: { task: options.task, dtype: options.dtype ?? 'fp32', ...options.config },
		labels: [],
		metrics: {},
		tags: [],
		description: '',
		createdAt: 0,
		stage: 'none'
	};
}

function toInput(input: HarnessInput): ModelInput {
	if (input.kind === 'text') return input;
	const canvas = new OffscreenCanvas(input.width, input.height);
	const ctx = canvas.getContext('2d')!;
	ctx.fillStyle = `rgb(${input.rgb.join(',')})`;
	ctx.fillRect(0, 0, input.width, input.height);
	return { kind: 'image', image: canvas.transferToImageBitmap() };
}

function plain(p: Prediction): Plain {
	return p.kind === 'embedding' ? { kind: 'embedding', vector: Array.from(p.vector) } : p;
}

const api = {
	async load(key: string, files: Record<string, ArrayBuffer> | null, options: LoadOptions) {
		const map = files
			? new Map(Object.entries(files).map(([k, v]) => [k, new Uint8Array(v)]))
			: downloads.get(key);
		if (!map) throw new Error(`no files for ${key}`);
		await models.get(key)?.dispose();
		const started = performance.now();
		const model = await createBackend(version(options), map, plan(options.prefer, options.threads));
		models.set(key, model);
		return {
			wallMs: performance.now() - started,
			labels: [...model.labels],
			execution: model.execution,
			task: model.task
		};
	},

	async run(key: string, inputs: HarnessInput[], candidateLabels?: string[], repeat = 1) {
		const model = models.get(key);
		if (!model) throw new Error(`${key} is not loaded`);
		let predictions: Prediction[] = [];
		const times: number[] = [];
		for (let r = 0; r < repeat; r++) {
			const modelInputs = inputs.map(toInput);
			const started = performance.now();
			predictions = await model.run(modelInputs, { candidateLabels });
			times.push(performance.now() - started);
			for (const i of modelInputs) if (i.kind === 'image') i.image.close();
		}
		return { predictions: predictions.map(plain), times };
	},

	async cancelled(key: string, inputs: HarnessInput[]) {
		const model = models.get(key);
		if (!model) throw new Error(`${key} is not loaded`);
		const controller = new AbortController();
		controller.abort();
		try {
			await model.run(inputs.map(toInput), { signal: controller.signal });
			return 'ran';
		} catch (error) {
			return (error as { code?: string }).code ?? String(error);
		}
	},

	async download(key: string, hubUrl: string, hubId: string, task: string, dtype = 'fp32') {
		const progress: [number, number, string][] = [];
		const started = performance.now();
		try {
			const result = await downloadFromHub({
				hubId,
				task: task as never,
				hubUrl,
				dtype,
				plan: plan('wasm'),
				onProgress: (loaded, total, file) => progress.push([loaded, total, file])
			});
			downloads.set(key, result.files);
			return {
				ok: true as const,
				wallMs: performance.now() - started,
				files: Object.fromEntries([...result.files].map(([p, b]) => [p, b.byteLength])),
				labels: result.labels,
				config: result.config,
				progress
			};
		} catch (error) {
			const e = error as { code?: string; message?: string; name?: string };
			return {
				ok: false as const,
				code: e.code ?? e.name ?? 'error',
				message: e.message ?? String(error),
				progress
			};
		}
	},

	async dispose(key: string) {
		await models.get(key)?.dispose();
		models.delete(key);
	},

	resources(): string[] {
		return performance.getEntriesByType('resource').map((e) => e.name);
	}
};

export type HarnessApi = typeof api;

// ORT's pthread workers re-run this chunk: only the real worker exposes the API.
if (self.name !== 'em-pthread') expose(api);
