import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { NSFWJS } from 'nsfwjs/core';
import type { Prediction } from '$lib/domain/schemas';
import {
	BackendError,
	imagesOf,
	throwIfAborted,
	type BackendFactory,
	type LoadedModel
} from '../backend';

/**
 * nsfwjs's MobileNetV2 (TF.js layers model) on TF.js's wasm backend: image → Drawing,
 * Hentai, Neutral, Porn, Sexy.
 *
 * - Only `nsfwjs/core` is imported (the package root pulls in all three models' weights as
 *   JavaScript, +41 MB). The weights come from the verified files map: `model.json` and its
 *   shard, decoded at build time from the package (see services/embeddedModels.vite.ts).
 * - The wasm backend, not WebGL: WebGL in a worker runs in software here (0.9–2.5 s per
 *   image against ~0.1 s). Its threaded build hangs under cross-origin isolation, so
 *   `WASM_HAS_MULTITHREAD_SUPPORT` is forced off: one thread, SIMD where available.
 * - Preprocessing is nsfwjs's own (`infer`): RGB / 255, bilinear resize to 224 with aligned
 *   corners. Images larger than MAX_SIDE are first drawn smaller, so a 24-megapixel photo
 *   does not become a 290 MB float tensor; below it the pixels are exactly nsfwjs's.
 */

export const NSFW_LABELS = ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'] as const;
const IMAGE_SIZE = 224;
const MAX_SIDE = 1024;

let backendReady: Promise<void> | undefined;

/** Once per worker: TF.js allows setting the wasm paths only before the backend starts. */
function useWasmBackend(): Promise<void> {
	backendReady ??= (async () => {
		setWasmPaths({
			'tfjs-backend-wasm.wasm': wasmUrl,
			'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
			'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl
		});
		tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
		tf.enableProdMode();
		if (!(await tf.setBackend('wasm'))) throw new Error('TF.js wasm backend did not start');
		await tf.ready();
	})();
	return backendReady;
}

interface WeightsGroup {
	paths: string[];
	weights: tf.io.WeightsManifestEntry[];
}

/** model.json + shards from the files map, in the manifest's order. */
function artifactsFromFiles(
	files: ReadonlyMap<string, Uint8Array>,
	modelJsonPath: string
): tf.io.ModelArtifacts {
	const json = JSON.parse(new TextDecoder().decode(files.get(modelJsonPath))) as tf.io.ModelJSON;
	const folder = modelJsonPath.includes('/')
		? modelJsonPath.slice(0, modelJsonPath.lastIndexOf('/') + 1)
		: '';
	const specs: tf.io.WeightsManifestEntry[] = [];
	const shards: Uint8Array[] = [];
	for (const group of (json.weightsManifest ?? []) as WeightsGroup[]) {
		for (const path of group.paths) {
			const bytes = files.get(folder + path);
			if (!bytes) throw new Error(`weights shard ${folder + path} is missing`);
			shards.push(bytes);
		}
		specs.push(...group.weights);
	}
	const weightData = new Uint8Array(shards.reduce((n, s) => n + s.byteLength, 0));
	let offset = 0;
	for (const shard of shards) {
		weightData.set(shard, offset);
		offset += shard.byteLength;
	}
	return {
		modelTopology: json.modelTopology,
		format: json.format,
		generatedBy: json.generatedBy,
		convertedBy: json.convertedBy,
		weightSpecs: specs,
		weightData: weightData.buffer
	};
}

export const createBackend: BackendFactory = async (version, files) => {
	const started = performance.now();
	const modelJsonPath = version.files.find((f) => f.path.endsWith('model.json'))?.path;
	if (!modelJsonPath || !files.has(modelJsonPath)) {
		throw new BackendError('load-failed', `${version.id}: no TF.js model.json among its files`);
	}
	let nsfw: NSFWJS;
	try {
		await useWasmBackend();
		const artifacts = artifactsFromFiles(files, modelJsonPath);
		nsfw = new NSFWJS(tf.io.fromMemory(artifacts), { size: IMAGE_SIZE });
		await nsfw.load(); // also runs one warm-up prediction
	} catch (error) {
		throw new BackendError('load-failed', `NSFW model did not load: ${String(error)}`);
	}

	const canvas = new OffscreenCanvas(1, 1);
	const context = canvas.getContext('2d', { willReadFrequently: true });
	if (!context) throw new BackendError('unsupported', 'OffscreenCanvas 2D is not available');

	const pixels = (image: ImageBitmap): ImageData => {
		if (image.width === 0 || image.height === 0) {
			throw new BackendError('bad-input', 'the image is empty or was already closed');
		}
		const scale = Math.min(1, MAX_SIDE / Math.max(image.width, image.height));
		canvas.width = Math.max(1, Math.round(image.width * scale));
		canvas.height = Math.max(1, Math.round(image.height * scale));
		context.clearRect(0, 0, canvas.width, canvas.height);
		context.drawImage(image, 0, 0, canvas.width, canvas.height);
		return context.getImageData(0, 0, canvas.width, canvas.height);
	};

	const predictOne = async (image: ImageBitmap): Promise<Prediction> => {
		const input = pixels(image);
		let output: tf.Tensor | undefined;
		try {
			output = nsfw.infer(input);
			const scores = await output.data();
			const classes = NSFW_LABELS.map((label, index) => ({
				label,
				index,
				score: scores[index] ?? 0
			})).sort((a, b) => b.score - a.score);
			return { kind: 'classes', classes };
		} catch (error) {
			throw new BackendError('run-failed', `NSFW prediction failed: ${String(error)}`);
		} finally {
			output?.dispose();
		}
	};

	const loaded: LoadedModel = {
		task: 'image-classification',
		labels: [...NSFW_LABELS],
		execution: {
			backend: 'TF.js wasm',
			device: 'wasm',
			threads: 1,
			reason:
				"TF.js's threaded wasm hangs under cross-origin isolation and its WebGL runs in software in workers: single-threaded wasm (SIMD when supported)",
			loadMs: performance.now() - started
		},
		async run(inputs, options) {
			const out: Prediction[] = [];
			for (const image of imagesOf(inputs, 'the NSFW model')) {
				throwIfAborted(options?.signal);
				out.push(await predictOne(image));
			}
			return out;
		},
		async dispose() {
			nsfw.dispose();
		}
	};
	return loaded;
};
