/// <reference lib="webworker" />
/**
 * The evaluation worker: loads the real models from /shared/models through ModelShip's own
 * raw-ONNX backend (`createBackend` of backends/onnx.ts, the manifests in tests/eval/manifests)
 * with the execution plan the app's inference worker would make, runs the labelled data from
 * /shared/eval through it, and returns plain results; tests/eval/run.mjs scores them.
 */
import { expose } from 'comlink';
import { parseManifest, type ModelManifestInput } from '$lib/domain/models/manifest';
import type { ExecutionInfo, ModelVersionRecord, Prediction } from '$lib/domain/schemas';
import type { ExecutionPlan, LoadedModel, ModelInput } from '$lib/workers/inference/backend';
import { createBackend } from '$lib/workers/inference/backends/onnx';
import { planFrom, probeEnvironment } from '$lib/workers/inference/executionPlan';
import mnistCntk from '../manifests/mnist-cntk.json';
import mnistPytorch from '../manifests/mnist-pytorch-cnn.json';
import mobilenet from '../manifests/mobilenetv2-int8.json';
import nanodet from '../manifests/nanodet-plus-m-416.json';

export type Prefer = ExecutionPlan['prefer'];

const MODELS = {
	'mnist-cntk': { file: 'models/mnist-cntk/mnist.onnx', manifest: mnistCntk },
	'mnist-pytorch-cnn': {
		file: 'models/mnist-pytorch-cnn/cnn_mnist_pytorch.onnx',
		manifest: mnistPytorch
	},
	'mobilenetv2-int8': {
		file: 'models/mobilenetv2-int8/mobilenetv2-12-int8.onnx',
		manifest: mobilenet
	},
	'nanodet-plus-m-416': {
		file: 'models/nanodet-plus-m-416/object_detection_nanodet_2022nov.onnx',
		manifest: nanodet
	}
} as const;
export type ModelName = keyof typeof MODELS;

const shared = (path: string): string => new URL(`/shared/${path}`, self.location.origin).href;

async function fetchBytes(path: string): Promise<Uint8Array> {
	const response = await fetch(shared(path));
	if (!response.ok) throw new Error(`GET /shared/${path}: ${response.status}`);
	return new Uint8Array(await response.arrayBuffer());
}

async function gunzip(path: string): Promise<Uint8Array> {
	const response = await fetch(shared(path));
	if (!response.ok || !response.body) throw new Error(`GET /shared/${path}: ${response.status}`);
	const stream = response.body.pipeThrough(new DecompressionStream('gzip'));
	return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function sha256(bytes: Uint8Array): Promise<string> {
	const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
	return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** A registry record as the app would store it after importing the .onnx and its manifest. */
async function load(
	name: ModelName,
	prefer: Prefer,
	patch: (m: ModelManifestInput) => void = () => undefined
): Promise<LoadedModel> {
	const { file, manifest: json } = MODELS[name];
	const input = structuredClone(json) as ModelManifestInput;
	patch(input);
	const parsed = parseManifest(input);
	if (!parsed.ok) throw new Error(`${name} manifest: ${parsed.errors.join('; ')}`);
	const bytes = await fetchBytes(file);
	const hash = await sha256(bytes);
	const path = file.split('/').pop() as string;
	const version: ModelVersionRecord = {
		id: name,
		modelId: name,
		version: parsed.manifest.version,
		files: [{ path, sha256: hash, size: bytes.length }],
		sha256: hash,
		size: bytes.length,
		manifest: parsed.manifest,
		config: {},
		labels: parsed.manifest.labels,
		metrics: {},
		tags: [],
		description: parsed.manifest.description ?? '',
		createdAt: Date.now(),
		stage: 'none'
	};
	const plan: ExecutionPlan = planFrom(await probeEnvironment(), prefer);
	return createBackend(version, new Map([[path, bytes]]), plan);
}

/** `shared/…` or `pixels/…` (images prepared by run.mjs) on this origin. */
const onOrigin = (path: string): string => new URL(`/${path}`, self.location.origin).href;

async function decodeImage(path: string): Promise<ImageBitmap> {
	const response = await fetch(onOrigin(path));
	if (!response.ok) throw new Error(`GET /${path}: ${response.status}`);
	// As the app's inference worker decodes item bytes (readInputs.ts).
	return createImageBitmap(await response.blob(), { imageOrientation: 'from-image' });
}

const asInputs = (images: readonly ImageBitmap[]): ModelInput[] =>
	images.map((image) => ({ kind: 'image', image }));

function classesOf(p: Prediction | undefined) {
	if (p?.kind !== 'classes') throw new Error(`expected classes, got ${p?.kind}`);
	return p.classes;
}

type Box = { classIndex: number; score: number; box: number[] };

export interface Timed {
	execution: ExecutionInfo;
	ms: number;
	items: number;
}

const api = {
	async environment() {
		return probeEnvironment();
	},

	/** Top-1 accuracy on the first `limit` MNIST test digits (all 10,000 by default). */
	async mnist(
		name: 'mnist-cntk' | 'mnist-pytorch-cnn',
		limit: number,
		prefer: Prefer
	): Promise<Timed & { correct: number; total: number; meanTop1: number }> {
		const model = await load(name, prefer);
		const pixels = await gunzip('eval/mnist-test/t10k-images-idx3-ubyte.gz');
		const labels = await gunzip('eval/mnist-test/t10k-labels-idx1-ubyte.gz');
		const view = new DataView(pixels.buffer);
		const count = Math.min(limit, view.getUint32(4), labels.length - 8);
		const rows = view.getUint32(8);
		const cols = view.getUint32(12);
		const size = rows * cols;
		let correct = 0;
		let top1 = 0;
		const started = performance.now();
		const CHUNK = 250;
		for (let start = 0; start < count; start += CHUNK) {
			const n = Math.min(CHUNK, count - start);
			const images = await Promise.all(
				Array.from({ length: n }, (_, k) => {
					const rgba = new Uint8ClampedArray(size * 4);
					const offset = 16 + (start + k) * size;
					for (let p = 0; p < size; p++) {
						const v = pixels[offset + p] as number;
						rgba[p * 4] = v;
						rgba[p * 4 + 1] = v;
						rgba[p * 4 + 2] = v;
						rgba[p * 4 + 3] = 255;
					}
					return createImageBitmap(new ImageData(rgba, cols, rows));
				})
			);
			const predictions = await model.run(asInputs(images));
			images.forEach((image) => image.close());
			predictions.forEach((p, k) => {
				const best = classesOf(p)[0];
				top1 += best?.score ?? 0;
				if (best?.index === labels[8 + start + k]) correct++;
			});
		}
		const ms = performance.now() - started;
		const { execution } = model;
		await model.dispose();
		return { correct, total: count, meanTop1: top1 / count, execution, ms, items: count };
	},

	/**
	 * Top-5 per image-sanity photo. With `pixels`, the photos come already resized the way the
	 * reference predictions were made (run.mjs, sharp) and the model takes them 1:1: that
	 * isolates the resampling from the rest of the pipeline.
	 */
	async mobilenet(
		files: string[],
		prefer: Prefer,
		pixels = false
	): Promise<Timed & { top5: Record<string, { index: number; label: string; score: number }[]> }> {
		const model = await load('mobilenetv2-int8', prefer, (m) => {
			if (pixels && m.preprocessing)
				m.preprocessing.resize = { mode: 'stretch', width: 224, height: 224 };
		});
		const images = await Promise.all(
			files.map((f) =>
				decodeImage(pixels ? `pixels/mobilenet/${f}.png` : `shared/eval/image-sanity/${f}`)
			)
		);
		const started = performance.now();
		const predictions = await model.run(asInputs(images));
		const ms = performance.now() - started;
		images.forEach((image) => image.close());
		const top5 = Object.fromEntries(
			files.map((f, i) => [f, classesOf(predictions[i]).slice(0, 5)])
		);
		const { execution } = model;
		await model.dispose();
		return { top5, execution, ms, items: files.length };
	},

	/**
	 * Detections per COCO image at `scoreThreshold` (0.05 for mAP), in image pixels — or, with
	 * `pixels`, in the pixels of run.mjs's letterboxed 416×416 copies (taken 1:1).
	 */
	async nanodet(
		ids: string[],
		scoreThreshold: number,
		prefer: Prefer,
		pixels = false
	): Promise<
		Timed & {
			images: { id: string; width: number; height: number; boxes: Box[] }[];
		}
	> {
		const model = await load('nanodet-plus-m-416', prefer, (m) => {
			if (m.detection) m.detection.scoreThreshold = scoreThreshold;
			if (pixels && m.preprocessing)
				m.preprocessing.resize = { mode: 'stretch', width: 416, height: 416 };
		});
		const out: { id: string; width: number; height: number; boxes: Box[] }[] = [];
		let ms = 0;
		const CHUNK = 8;
		for (let start = 0; start < ids.length; start += CHUNK) {
			const chunk = ids.slice(start, start + CHUNK);
			const images = await Promise.all(
				chunk.map((id) =>
					decodeImage(
						pixels ? `pixels/nanodet/${id}.png` : `shared/eval/coco128-val/images/${id}.jpg`
					)
				)
			);
			const t = performance.now();
			const predictions = await model.run(asInputs(images));
			ms += performance.now() - t;
			chunk.forEach((id, k) => {
				const p = predictions[k];
				const image = images[k] as ImageBitmap;
				if (p?.kind !== 'boxes') throw new Error(`expected boxes, got ${p?.kind}`);
				out.push({
					id,
					width: image.width,
					height: image.height,
					boxes: p.boxes.map((b) => ({ classIndex: b.classIndex, score: b.score, box: b.box }))
				});
			});
			images.forEach((image) => image.close());
		}
		const { execution } = model;
		await model.dispose();
		return { images: out, execution, ms, items: ids.length };
	},

	/** Only loads a model, to show which backend the probe picks and why. */
	async probe(name: ModelName, prefer: Prefer): Promise<ExecutionInfo> {
		const model = await load(name, prefer);
		const { execution } = model;
		await model.dispose();
		return execution;
	}
};

export type EvalApi = typeof api;

// onnxruntime's thread workers load this bundle again under the name 'em-pthread'.
if (self.name !== 'em-pthread') expose(api);
