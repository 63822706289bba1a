/// <reference lib="webworker" />
import {
	applyActivation,
	denormalizeBox,
	keptClassCount,
	nms,
	nmsPerClass,
	toXyxy,
	topK,
	type Detection
} from '$lib/domain/models/decode';
import {
	imageAxes,
	IMAGE_TASKS,
	type BoxesScoresDetection,
	type InputSpec,
	type ModelManifest,
	type NanodetPlusDetection,
	type OutputSpec
} from '$lib/domain/models/manifest';
import { decodeNanodetPlus } from '$lib/domain/models/nanodet';
import {
	boxToSource,
	planResize,
	resampleToTensor,
	toTensor,
	type Rect,
	type ResizePlan
} from '$lib/domain/models/preprocess';
import type { ModelVersionRecord, Prediction, ScoredBox } from '$lib/domain/schemas';
import {
	BackendError,
	imagesOf,
	throwIfAborted,
	type BackendFactory,
	type LoadedModel,
	type ModelInput,
	type RunOptions,
	type VerifiedFiles
} from '../backend';
import {
	configureOrt,
	createSession,
	type Feeds,
	type Ort,
	type OrtSession,
	type OrtTensor
} from '../ortRuntime';

/**
 * Runtime 'onnx': any .onnx file plus a ModelShip manifest (`manifest.ts`). Images are placed
 * in the model input as `planResize` says (stretch, letterbox with the pad colour, centre crop,
 * shortest-edge crop): with the TypeScript filters, the image's pixels are read once from a
 * canvas and `resampleToTensor` resamples and normalises them straight into the batch tensor;
 * with the `canvas` filter, the canvas draws the region and `toTensor` normalises what it
 * reads back. Outputs are decoded as the manifest says (activation and the labels best first,
 * cut to the best `keptClassCount` of them, or boxes + NMS mapped back to the image's
 * pixels). Inputs are batched when the model's first dimension is dynamic.
 *
 * Raw ONNX text models would need a tokenizer the manifest does not describe: those run as
 * Hugging Face folders through transformers.js instead.
 */

/** Images per `session.run` when the batch dimension is dynamic (`config.batchSize` overrides). */
const DEFAULT_BATCH = 8;
const MAX_BATCH = 64;

type ImagePlan = { plan: ResizePlan };

function fail(code: BackendError['code'], message: string): never {
	throw new BackendError(code, message);
}

const listed = (names: readonly string[]): string => names.map((n) => `'${n}'`).join(', ');

function pickModelFile(version: ModelVersionRecord, files: VerifiedFiles): Uint8Array {
	const onnx = version.files.map((f) => f.path).filter((p) => p.toLowerCase().endsWith('.onnx'));
	const chosen = typeof version.config.modelFile === 'string' ? version.config.modelFile : null;
	const path =
		chosen ?? (onnx.length === 1 ? onnx[0] : onnx.find((p) => /(^|\/)model\.onnx$/i.test(p)));
	if (!path) {
		return fail(
			'load-failed',
			onnx.length === 0
				? `version ${version.version} has no .onnx file`
				: `version ${version.version} has several .onnx files (${listed(onnx)}); set config.modelFile`
		);
	}
	const bytes = files.get(path);
	if (!bytes) return fail('load-failed', `the model file '${path}' is missing from the version`);
	return bytes;
}

/** Weights stored beside the graph (`model.onnx_data`) for models over 2 GB. */
function externalData(files: VerifiedFiles): { path: string; data: Uint8Array }[] {
	return [...files].flatMap(([path, data]) =>
		/\.(onnx_data|onnx\.data|data)$/i.test(path)
			? [{ path: path.split('/').pop() as string, data }]
			: []
	);
}

const isDynamic = (dim: number | 'batch' | undefined): boolean =>
	dim === 'batch' || dim === -1 || dim === undefined;

/** The manifest must name the model's real inputs and outputs, with compatible shapes. */
function checkAgainstModel(manifest: ModelManifest, session: OrtSession): void {
	const inputs = session.inputNames;
	for (const [i, spec] of manifest.inputs.entries()) {
		if (!inputs.includes(spec.name)) {
			fail(
				'load-failed',
				`inputs[${i}].name '${spec.name}' is not an input of the model; its inputs are ${listed(inputs)}`
			);
		}
		const meta = session.inputMetadata[inputs.indexOf(spec.name)];
		if (meta?.isTensor) {
			const model = meta.shape;
			const clash =
				model.length !== spec.shape.length ||
				model.some((d, k) => {
					const m = spec.shape[k];
					return typeof d === 'number' && d > 0 && typeof m === 'number' && m > 0 && d !== m;
				});
			if (clash) {
				fail(
					'load-failed',
					`inputs[${i}].shape is [${spec.shape.join(', ')}] but the model's '${spec.name}' is [${model.join(', ')}]`
				);
			}
		}
	}
	const missing = inputs.filter((name) => !manifest.inputs.some((s) => s.name === name));
	if (missing.length > 0) {
		fail(
			'load-failed',
			`the model also needs ${listed(missing)}, which the manifest does not describe`
		);
	}
	const outputs = session.outputNames;
	for (const [i, spec] of manifest.outputs.entries()) {
		if (!outputs.includes(spec.name)) {
			fail(
				'load-failed',
				`outputs[${i}].name '${spec.name}' is not an output of the model; its outputs are ${listed(outputs)}`
			);
		}
	}
}

/** Concrete dims for `batch` items: dynamic batch → batch, other dynamic dims → resize size. */
function inputDims(spec: InputSpec, manifest: ModelManifest, batch: number): number[] {
	const resize = manifest.preprocessing?.resize;
	const axes = spec.layout ? imageAxes(spec.layout) : null;
	return spec.shape.map((d, k) => {
		if (k === 0) return batch;
		if (typeof d === 'number' && d > 0) return d;
		if (axes && resize && k === axes.h) return resize.height;
		if (axes && resize && k === axes.w) return resize.width;
		return 1;
	});
}

function makeTensor(ort: Ort, spec: InputSpec, data: Float32Array, dims: number[]): OrtTensor {
	if (spec.dtype === 'float32') return new ort.Tensor('float32', data, dims);
	if (spec.dtype === 'uint8') {
		const bytes = new Uint8Array(data.length);
		for (let i = 0; i < data.length; i++) bytes[i] = Math.round(data[i] as number);
		return new ort.Tensor('uint8', bytes, dims);
	}
	return fail('unsupported', `image input '${spec.name}' of type ${spec.dtype} is not supported`);
}

function floats(tensor: OrtTensor | undefined, name: string): Float32Array {
	if (!tensor) return fail('run-failed', `the model returned no output '${name}'`);
	const data = tensor.data;
	if (data instanceof Float32Array) return data;
	if (Array.isArray(data)) return fail('run-failed', `output '${name}' is not numeric`);
	return Float32Array.from(data as ArrayLike<number | bigint>, Number);
}

/** Item `i` of `count` in a batched output (the whole output when count is 1). */
function slice(data: Float32Array, i: number, count: number): Float32Array {
	const per = data.length / count;
	return data.subarray(i * per, (i + 1) * per);
}

/** Above this reduction the canvas first halves the work (as PIL's `reducing_gap`). */
const PRESHRINK_ABOVE = 4;

class ImagePreprocessor {
	private input: { canvas: OffscreenCanvas; ctx: OffscreenCanvasRenderingContext2D } | null = null;
	private source: { canvas: OffscreenCanvas; ctx: OffscreenCanvasRenderingContext2D } | null = null;

	constructor(private readonly manifest: ModelManifest) {
		const resize = manifest.preprocessing?.resize;
		if (!resize) fail('load-failed', 'image models need preprocessing.resize in the manifest');
		// Only the canvas filter draws into an input-sized canvas.
		if (resize.filter === 'canvas') this.input = canvas2d(resize.width, resize.height);
	}

	/** Draws one image as planned and writes its normalised pixels into `out` at `offset`. */
	draw(image: ImageBitmap, out: Float32Array, offset: number): ImagePlan {
		const prep = this.manifest.preprocessing;
		const layout = this.manifest.inputs[0]?.layout;
		if (!prep || !layout)
			return fail('load-failed', 'image models need a layout and preprocessing');
		const { width, height, filter } = prep.resize;
		const plan = planResize(image.width, image.height, prep.resize);
		const pad = Math.round(plan.padValue);
		const { source: s, destination: d } = plan;
		if (filter === 'canvas') {
			const { ctx } = (this.input ??= canvas2d(width, height));
			ctx.fillStyle = `rgb(${pad}, ${pad}, ${pad})`;
			ctx.fillRect(0, 0, width, height);
			ctx.imageSmoothingEnabled = true;
			ctx.imageSmoothingQuality = 'high';
			ctx.drawImage(image, s.x, s.y, s.width, s.height, d.x, d.y, d.width, d.height);
			const rgba = ctx.getImageData(0, 0, width, height).data;
			out.set(toTensor(rgba, width, height, prep, layout), offset);
		} else {
			// The same numbers as resampleRgba onto an input filled with the pad colour, then
			// toTensor, without the RGBA input image in between.
			const src = this.pixels(image, plan, pad);
			const target = { width, height, destination: d, pad };
			resampleToTensor(
				src.rgba,
				src.width,
				src.height,
				src.region,
				target,
				filter,
				prep,
				layout,
				out,
				offset
			);
		}
		return { plan };
	}

	/** The image's own pixels (opaque, over the pad colour) and the planned region in them. */
	private pixels(
		image: ImageBitmap,
		plan: ResizePlan,
		pad: number
	): { rgba: Uint8ClampedArray; width: number; height: number; region: Rect } {
		const { source: s, destination: d } = plan;
		// Very large reductions: let the canvas shrink to twice the target first, so a 24 MP
		// photo does not cost seconds of convolution; the filter then does the final step.
		const reduction = Math.max(s.width / d.width, s.height / d.height);
		const k = reduction > PRESHRINK_ABOVE ? 2 / reduction : 1;
		const w = Math.max(1, Math.round(image.width * k));
		const h = Math.max(1, Math.round(image.height * k));
		if (!this.source || this.source.canvas.width !== w || this.source.canvas.height !== h) {
			this.source = canvas2d(w, h);
		}
		const { ctx } = this.source;
		// Transparent pixels show the pad colour, as on the canvas path.
		ctx.fillStyle = `rgb(${pad}, ${pad}, ${pad})`;
		ctx.fillRect(0, 0, w, h);
		ctx.imageSmoothingEnabled = true;
		ctx.imageSmoothingQuality = 'high';
		ctx.drawImage(image, 0, 0, w, h);
		const rgba = ctx.getImageData(0, 0, w, h).data;
		const fx = w / image.width;
		const fy = h / image.height;
		const region = { x: s.x * fx, y: s.y * fy, width: s.width * fx, height: s.height * fy };
		return { rgba, width: w, height: h, region };
	}
}

function canvas2d(width: number, height: number) {
	const canvas = new OffscreenCanvas(width, height);
	const ctx = canvas.getContext('2d', { willReadFrequently: true, alpha: false });
	if (!ctx)
		return fail('load-failed', 'this browser cannot draw images off-screen (no 2d context)');
	return { canvas, ctx };
}

interface Decoders {
	/** One prediction per item of a batch. */
	decode(outputs: Record<string, OrtTensor>, plans: readonly ImagePlan[]): Prediction[];
}

function classification(manifest: ModelManifest): Decoders {
	const spec = manifest.outputs[0] as OutputSpec;
	return {
		decode(outputs, plans) {
			const data = floats(outputs[spec.name], spec.name);
			return plans.map((_, i) => {
				const scores = applyActivation(slice(data, i, plans.length), spec.activation);
				const kept = keptClassCount(scores.length);
				return { kind: 'classes', classes: topK(scores, kept, manifest.labels) };
			});
		}
	};
}

function toBoxes(
	candidates: Detection[],
	det: { iouThreshold: number; maxDetections: number; classAgnosticNms: boolean },
	plan: ResizePlan,
	labels: readonly string[]
): Prediction {
	const kept = det.classAgnosticNms
		? nms(candidates, det.iouThreshold, det.maxDetections)
		: nmsPerClass(candidates, det.iouThreshold, det.maxDetections);
	const boxes: ScoredBox[] = kept.map((d) => ({
		box: boxToSource(d.box, plan),
		label: labels[d.classIndex] ?? String(d.classIndex),
		classIndex: d.classIndex,
		score: d.score
	}));
	return { kind: 'boxes', boxes };
}

function boxesScores(manifest: ModelManifest, det: BoxesScoresDetection): Decoders {
	const scoresSpec = manifest.outputs.find((o) => o.name === det.scoresOutput);
	const activation = scoresSpec?.activation ?? 'none';
	return {
		decode(outputs, plans) {
			const allBoxes = floats(outputs[det.boxesOutput], det.boxesOutput);
			const allScores = floats(outputs[det.scoresOutput], det.scoresOutput);
			return plans.map(({ plan }, i) => {
				const boxes = slice(allBoxes, i, plans.length);
				const raw = slice(allScores, i, plans.length);
				const n = boxes.length / 4;
				const classes = n > 0 ? raw.length / n : 0;
				if (!Number.isInteger(n) || !Number.isInteger(classes)) {
					fail(
						'run-failed',
						`'${det.boxesOutput}' (${boxes.length} values) and '${det.scoresOutput}' (${raw.length}) do not describe the same boxes`
					);
				}
				const candidates: Detection[] = [];
				for (let b = 0; b < n; b++) {
					const row = raw.subarray(b * classes, (b + 1) * classes);
					const scores = activation === 'none' ? row : applyActivation(row, activation);
					let box: Detection['box'] | undefined;
					for (let c = 0; c < classes; c++) {
						const score = scores[c] as number;
						if (!(score >= det.scoreThreshold)) continue;
						if (!box) {
							const q = boxes.subarray(b * 4, b * 4 + 4);
							box = toXyxy(
								[q[0], q[1], q[2], q[3]] as [number, number, number, number],
								det.boxFormat
							);
							if (det.coordinates === 'normalized')
								box = denormalizeBox(box, plan.inputWidth, plan.inputHeight);
						}
						candidates.push({ box: [...box], score, classIndex: c });
					}
				}
				return toBoxes(candidates, det, plan, manifest.labels);
			});
		}
	};
}

function nanodetPlus(manifest: ModelManifest, det: NanodetPlusDetection): Decoders {
	return {
		decode(outputs, plans) {
			const levels = det.levels.map((l) => ({
				stride: l.stride,
				scores: floats(outputs[l.scoresOutput], l.scoresOutput),
				distribution: floats(outputs[l.distributionOutput], l.distributionOutput)
			}));
			return plans.map(({ plan }, i) => {
				let candidates: Detection[];
				try {
					candidates = decodeNanodetPlus(
						levels.map((l) => ({
							stride: l.stride,
							scores: slice(l.scores, i, plans.length),
							distribution: slice(l.distribution, i, plans.length)
						})),
						{
							inputWidth: plan.inputWidth,
							inputHeight: plan.inputHeight,
							classes: manifest.labels.length,
							regMax: det.regMax,
							gridPoint: det.gridPoint,
							scoreThreshold: det.scoreThreshold
						}
					);
				} catch (error) {
					return fail('run-failed', `NanoDet-Plus decoding: ${(error as Error).message}`);
				}
				return toBoxes(candidates, det, plan, manifest.labels);
			});
		}
	};
}

function decoders(manifest: ModelManifest): Decoders {
	if (manifest.task === 'image-classification') return classification(manifest);
	if (manifest.task === 'object-detection') {
		const det = manifest.detection;
		if (!det) return fail('load-failed', 'object-detection models need detection settings');
		return det.decoder === 'nanodet-plus' ? nanodetPlus(manifest, det) : boxesScores(manifest, det);
	}
	return fail(
		'unsupported',
		`raw ONNX ${manifest.task} models need a tokenizer, which a manifest cannot describe; ` +
			'import the model as a Hugging Face folder (transformers.js) instead'
	);
}

function batchCapacity(
	manifest: ModelManifest,
	version: ModelVersionRecord
): { size: number; fixed: boolean } {
	const first = manifest.inputs[0]?.shape[0];
	if (!isDynamic(first)) return { size: first as number, fixed: true };
	const wanted = Number(version.config.batchSize ?? DEFAULT_BATCH);
	const size = Number.isInteger(wanted) && wanted > 0 ? Math.min(wanted, MAX_BATCH) : DEFAULT_BATCH;
	return { size, fixed: false };
}

function probeFeeds(manifest: ModelManifest, batch: number): (ort: Ort) => Feeds {
	return (ort) => {
		const feeds: Feeds = {};
		for (const spec of manifest.inputs) {
			const dims = inputDims(spec, manifest, batch);
			const size = dims.reduce((a, b) => a * b, 1);
			feeds[spec.name] = makeTensor(ort, spec, new Float32Array(size), dims);
		}
		return feeds;
	};
}

export const createBackend: BackendFactory = async (version, files, plan) => {
	const manifest = version.manifest;
	if (!manifest) {
		return fail(
			'load-failed',
			`version ${version.version} has no manifest (runtime 'onnx' needs one)`
		);
	}
	if (!IMAGE_TASKS.includes(manifest.task)) decoders(manifest); // throws 'unsupported' early
	const input = manifest.inputs[0] as InputSpec;
	if (manifest.inputs.length > 1) {
		return fail(
			'unsupported',
			`image models with more than one input are not supported (${listed(manifest.inputs.map((i) => i.name))})`
		);
	}
	const bytes = pickModelFile(version, files);
	const capacity = batchCapacity(manifest, version);
	const external = externalData(files);
	const { session, execution } = await createSession(
		bytes,
		plan,
		probeFeeds(manifest, 1),
		external.length > 0 ? { externalData: external } : {}
	);
	let ort: Ort;
	let decoder: Decoders;
	let pre: ImagePreprocessor;
	try {
		checkAgainstModel(manifest, session);
		decoder = decoders(manifest);
		pre = new ImagePreprocessor(manifest);
		ort = await configureOrt(plan);
	} catch (error) {
		await session.release().catch(() => undefined);
		throw error;
	}
	const dims1 = inputDims(input, manifest, 1);
	const perImage = dims1.reduce((a, b) => a * b, 1);

	const runBatch = async (images: readonly ImageBitmap[]): Promise<Prediction[]> => {
		const rows = capacity.fixed ? capacity.size : images.length;
		const data = new Float32Array(rows * perImage);
		const plans = images.map((image, i) => {
			try {
				return pre.draw(image, data, i * perImage);
			} catch (error) {
				if (error instanceof BackendError) throw error;
				return fail('bad-input', `image ${i} could not be prepared: ${(error as Error).message}`);
			}
		});
		const feeds = { [input.name]: makeTensor(ort, input, data, inputDims(input, manifest, rows)) };
		let outputs: Record<string, OrtTensor>;
		try {
			outputs = await session.run(feeds);
		} catch (error) {
			return fail('run-failed', `onnxruntime: ${(error as Error).message}`);
		}
		try {
			// Rows beyond the images are padding of a fixed batch: decode only the real ones.
			const all = decoder.decode(outputs, rowsOf(plans, rows));
			return all.slice(0, images.length);
		} finally {
			for (const tensor of Object.values(outputs)) tensor.dispose();
		}
	};

	const model: LoadedModel = {
		task: manifest.task,
		labels: manifest.labels,
		execution,
		async run(inputs: readonly ModelInput[], options: RunOptions = {}): Promise<Prediction[]> {
			const images = imagesOf(inputs, manifest.name);
			const out: Prediction[] = [];
			for (let start = 0; start < images.length; start += capacity.size) {
				throwIfAborted(options.signal);
				out.push(...(await runBatch(images.slice(start, start + capacity.size))));
			}
			return out;
		},
		async dispose() {
			await session.release();
		}
	};
	return model;
};

/** Padding rows of a fixed batch reuse the last real plan, so every row decodes. */
function rowsOf(plans: readonly ImagePlan[], rows: number): ImagePlan[] {
	const last = plans.at(-1) as ImagePlan;
	return Array.from({ length: rows }, (_, i) => plans[i] ?? last);
}
