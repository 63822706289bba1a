/// <reference lib="webworker" />
/**
 * `--profile` for the image path: times, stage by stage and per batch, what ModelShip's
 * inference worker does around `session.run` for an image item — with the same database and
 * domain functions (readInputs' IndexedDB reads and createImageBitmap, the raw-ONNX backend's
 * canvas + resample + toTensor steps, softmax and the sorted label list, the structured clone
 * that carries the answer to the page). The canvas steps mirror `ImagePreprocessor.draw` in
 * backends/onnx.ts (not exported); keep them in step with it. Not a figure, only context.
 */
import { expose } from 'comlink';
import { db } from '$lib/db/database';
import { applyActivation, topK } from '$lib/domain/models/decode';
import type { ModelManifest } from '$lib/domain/models/manifest';
import { planResize, toTensor } from '$lib/domain/models/preprocess';
import { resampleRgba } from '$lib/domain/models/resample';

export type Stages = Record<string, number[]>;

function canvas2d(width: number, height: number): OffscreenCanvasRenderingContext2D {
	const ctx = new OffscreenCanvas(width, height).getContext('2d', {
		willReadFrequently: true,
		alpha: false
	});
	if (!ctx) throw new Error('no 2d context');
	return ctx;
}

const api = {
	async profile(itemIds: number[], batch: number, manifest: ModelManifest): Promise<Stages> {
		const prep = manifest.preprocessing;
		const layout = manifest.inputs[0]?.layout;
		if (!prep || !layout) throw new Error('image manifest without preprocessing');
		const { width, height } = prep.resize;
		const input = canvas2d(width, height);
		let source: OffscreenCanvasRenderingContext2D | null = null;
		const stages: Stages = {};
		const lap = (name: string, since: number): number => {
			const now = performance.now();
			(stages[name] ??= []).push(now - since);
			return now;
		};
		for (let i = 0; i + batch <= itemIds.length; i += batch) {
			const ids = itemIds.slice(i, i + batch);
			let t = performance.now();
			const items = await db().items.bulkGet(ids);
			const blobs = await db().blobs.bulkGet(items.map((item) => item?.sha256 ?? ''));
			t = lap('IndexedDB reads (items + blobs)', t);
			const images = await Promise.all(
				blobs.map((b) => {
					if (!b) throw new Error('missing blob');
					return createImageBitmap(b.blob, { imageOrientation: 'from-image' });
				})
			);
			lap('createImageBitmap (JPEG decode)', t);
			const perImage = width * height * 3;
			const data = new Float32Array(batch * perImage);
			const times = { canvas: 0, resample: 0, put: 0, tensor: 0 };
			for (const [k, image] of images.entries()) {
				let s = performance.now();
				const plan = planResize(image.width, image.height, prep.resize);
				const { source: src, destination: d } = plan;
				input.fillRect(0, 0, width, height);
				if (prep.resize.filter === 'canvas') {
					input.imageSmoothingEnabled = true;
					input.imageSmoothingQuality = 'high';
					input.drawImage(image, src.x, src.y, src.width, src.height, d.x, d.y, d.width, d.height);
					const now = performance.now();
					times.canvas += now - s;
					s = now;
				} else {
					// As ImagePreprocessor.resampled: the whole image onto a canvas (no pre-shrink
					// at these sizes), read back, resampled in TypeScript, put into the input canvas.
					if (source?.canvas.width !== image.width || source.canvas.height !== image.height) {
						source = canvas2d(image.width, image.height);
					}
					source.fillRect(0, 0, image.width, image.height);
					source.imageSmoothingEnabled = true;
					source.imageSmoothingQuality = 'high';
					source.drawImage(image, 0, 0);
					const pixels = source.getImageData(0, 0, image.width, image.height).data;
					let now = performance.now();
					times.canvas += now - s;
					s = now;
					const resampled = resampleRgba(
						pixels,
						image.width,
						image.height,
						src,
						d.width,
						d.height,
						prep.resize.filter
					);
					now = performance.now();
					times.resample += now - s;
					s = now;
					input.putImageData(
						new ImageData(resampled as Uint8ClampedArray<ArrayBuffer>, d.width, d.height),
						d.x,
						d.y
					);
				}
				const rgba = input.getImageData(0, 0, width, height).data;
				let now = performance.now();
				times.put += now - s;
				s = now;
				data.set(toTensor(rgba, width, height, prep, layout), k * perImage);
				now = performance.now();
				times.tensor += now - s;
				image.close();
			}
			(stages['canvas draw + getImageData of the source'] ??= []).push(times.canvas);
			(stages[`resampleRgba (${prep.resize.filter})`] ??= []).push(times.resample);
			(stages['putImageData + getImageData of the input'] ??= []).push(times.put);
			(stages['toTensor + copy into the batch'] ??= []).push(times.tensor);
			t = performance.now();
			const classes = manifest.labels.length;
			const logits = new Float32Array(batch * classes).map((_, j) => Math.sin(j) * 4);
			const predictions = Array.from({ length: batch }, (_, k) => {
				const scores = applyActivation(logits.subarray(k * classes, (k + 1) * classes), 'softmax');
				return { kind: 'classes', classes: topK(scores, scores.length, manifest.labels) };
			});
			t = lap(`softmax + every label sorted (${classes})`, t);
			structuredClone(predictions);
			lap('structured clone of the answer', t);
		}
		return stages;
	}
};

export type ProfileApi = typeof api;
expose(api);
