/// <reference lib="webworker" />
/**
 * `--profile` for the image path: times, stage by stage and per batch, what ModelShip's
 * inference worker does around `session.run` for an image item — with the same database and
 * domain functions (readInputs' IndexedDB reads and createImageBitmap, the raw-ONNX backend's
 * canvas read of the image and resampleToTensor, softmax and the kept labels best first, the
 * structured clone that carries the answer to the page). The canvas steps mirror
 * `ImagePreprocessor.draw` in backends/onnx.ts (not exported); keep them in step with it. Not a figure, only context.
 */
import { expose } from 'comlink';
import { db } from '$lib/db/database';
import { applyActivation, keptClassCount, topK } from '$lib/domain/models/decode';
import type { ModelManifest } from '$lib/domain/models/manifest';
import { planResize, resampleToTensor, toTensor } from '$lib/domain/models/preprocess';

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
			const times = { canvas: 0, resample: 0, tensor: 0 };
			for (const [k, image] of images.entries()) {
				let s = performance.now();
				const plan = planResize(image.width, image.height, prep.resize);
				const { source: src, destination: d } = plan;
				if (prep.resize.filter === 'canvas') {
					input.fillRect(0, 0, width, height);
					input.imageSmoothingEnabled = true;
					input.imageSmoothingQuality = 'high';
					input.drawImage(image, src.x, src.y, src.width, src.height, d.x, d.y, d.width, d.height);
					const rgba = input.getImageData(0, 0, width, height).data;
					let now = performance.now();
					times.canvas += now - s;
					s = now;
					data.set(toTensor(rgba, width, height, prep, layout), k * perImage);
					now = performance.now();
					times.tensor += now - s;
				} else {
					// As ImagePreprocessor.pixels: the whole image onto a canvas (no pre-shrink at
					// these sizes), read back, then resampled and normalised into the batch.
					if (source?.canvas.width !== image.width || source.canvas.height !== image.height) {
						source = canvas2d(image.width, image.height);
					}
					source.fillRect(0, 0, image.width, image.height);
					source.imageSmoothingEnabled = true;
					source.imageSmoothingQuality = 'high';
					source.drawImage(image, 0, 0);
					const pixels = source.getImageData(0, 0, image.width, image.height).data;
					const now = performance.now();
					times.canvas += now - s;
					s = now;
					const target = { width, height, destination: d, pad: Math.round(plan.padValue) };
					resampleToTensor(
						pixels,
						image.width,
						image.height,
						src,
						target,
						prep.resize.filter,
						prep,
						layout,
						data,
						k * perImage
					);
					times.resample += performance.now() - s;
				}
				image.close();
			}
			(stages['canvas draw + getImageData of the source'] ??= []).push(times.canvas);
			if (prep.resize.filter === 'canvas') {
				(stages['toTensor + copy into the batch'] ??= []).push(times.tensor);
			} else {
				const name = `resampleToTensor (${prep.resize.filter}, into the batch)`;
				(stages[name] ??= []).push(times.resample);
			}
			t = performance.now();
			const classes = manifest.labels.length;
			const logits = new Float32Array(batch * classes).map((_, j) => Math.sin(j) * 4);
			const kept = keptClassCount(classes);
			const predictions = Array.from({ length: batch }, (_, k) => {
				const scores = applyActivation(logits.subarray(k * classes, (k + 1) * classes), 'softmax');
				return { kind: 'classes', classes: topK(scores, kept, manifest.labels) };
			});
			t = lap(`softmax + the best ${kept} of ${classes} labels`, t);
			structuredClone(predictions);
			lap('structured clone of the answer', t);
		}
		return stages;
	}
};

export type ProfileApi = typeof api;
expose(api);
