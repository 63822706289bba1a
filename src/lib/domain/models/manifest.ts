import { z } from 'zod';

/**
 * The JSON manifest that makes "any .onnx file" usable: what the model expects (inputs and
 * image preprocessing) and how to read what it returns (activation, box decoding, labels).
 * Users write these by hand or through a form, so unknown keys are rejected (a typo such as
 * `meen` must not silently fall back to a default) and every error names its path.
 */

export const ModelTaskKind = z.enum([
	'image-classification',
	'object-detection',
	'text-classification',
	'token-classification',
	'feature-extraction'
]);
export type ModelTaskKind = z.infer<typeof ModelTaskKind>;

export const IMAGE_TASKS: readonly ModelTaskKind[] = ['image-classification', 'object-detection'];

/** Tasks whose output's last dimension is one score per label. */
const LABELLED_TASKS: readonly ModelTaskKind[] = [
	'image-classification',
	'text-classification',
	'token-classification'
];

const SEMVER =
	/^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;
const TIMESTAMP = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})$/;

/** A timestamp version must also be a real date, or sorting versions by it would mislead. */
function isValidTimestamp(value: string): boolean {
	const m = TIMESTAMP.exec(value);
	if (!m) return false;
	const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [
		number,
		number,
		number,
		number,
		number,
		number
	];
	const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
	return (
		date.getUTCFullYear() === y &&
		date.getUTCMonth() === mo - 1 &&
		date.getUTCDate() === d &&
		h < 24 &&
		mi < 60 &&
		s < 60
	);
}

export const ModelVersion = z
	.string({ error: 'expected a version string' })
	.refine((v) => SEMVER.test(v) || isValidTimestamp(v), {
		error: 'expected semver such as 1.2.0 or 2.1.3-beta, or a timestamp such as 20261129-143022'
	});

/** A dimension is a fixed size, or dynamic: -1 or the symbolic name 'batch'. */
export const Dim = z.custom<number | 'batch'>(
	(v) => v === 'batch' || v === -1 || (typeof v === 'number' && Number.isInteger(v) && v > 0),
	{ error: "expected a positive integer, -1 or 'batch'" }
);
export type Dim = z.infer<typeof Dim>;

export const TensorDType = z.enum(['float32', 'uint8', 'int64']);
export type TensorDType = z.infer<typeof TensorDType>;

export const TensorLayout = z.enum(['NCHW', 'NHWC']);
export type TensorLayout = z.infer<typeof TensorLayout>;

export const InputSpec = z.strictObject({
	name: z.string().min(1, 'input name is empty'),
	shape: z.array(Dim).min(1, 'expected at least one dimension'),
	dtype: TensorDType.default('float32'),
	/** Only meaningful for image inputs; required for them (checked on the manifest). */
	layout: TensorLayout.optional()
});
export type InputSpec = z.infer<typeof InputSpec>;

const Size = z.number().int().positive().max(8192);

export const ResizeSpec = z.strictObject({
	mode: z.enum(['stretch', 'letterbox', 'center-crop', 'shortest-edge-crop']),
	width: Size,
	height: Size,
	/** Value (0..255, before scaling) of the letterbox bars; 114 is YOLO's grey, 0 black. */
	padValue: z.number().min(0).max(255).default(0),
	/**
	 * How pixels are resampled: antialiased separable filters computed in TypeScript (the same
	 * pixels in every browser; PIL / torchvision use bilinear, sharp / libvips lanczos3), or
	 * `canvas`, the browser's own drawImage smoothing (fastest, differs between browsers).
	 */
	filter: z.enum(['bilinear', 'bicubic', 'lanczos3', 'canvas']).default('bilinear'),
	/**
	 * shortest-edge-crop only: the size the shortest edge is scaled to before the centre
	 * crop (ImageNet's 256 → 224). Defaults to the larger of width and height (no margin).
	 */
	shortestEdge: Size.optional()
});
export type ResizeSpec = z.infer<typeof ResizeSpec>;

const PerChannel = z.array(z.number().refine(Number.isFinite, 'expected a finite number'));

export const Preprocessing = z.strictObject({
	resize: ResizeSpec,
	/** Multiplies the 0..255 pixel before mean/std, e.g. 1/255 → 0..1. */
	scale: z.number().positive().default(1),
	/** Per channel, in the tensor's channel order (B,G,R for a BGR model); after `scale`. */
	mean: PerChannel.optional(),
	std: PerChannel.optional(),
	channelOrder: z.enum(['RGB', 'BGR']).default('RGB'),
	/** One luma channel (ITU-R BT.601) for MNIST-like models. */
	grayscale: z.boolean().default(false)
});
export type Preprocessing = z.infer<typeof Preprocessing>;

export const OutputSpec = z.strictObject({
	name: z.string().min(1, 'output name is empty'),
	shape: z.array(Dim).min(1, 'expected at least one dimension').optional(),
	/** `none` for raw logits or already-activated scores. */
	activation: z.enum(['softmax', 'sigmoid', 'none']).default('none')
});
export type OutputSpec = z.infer<typeof OutputSpec>;

const Unit = z.number().min(0).max(1);

/** Thresholds and NMS, the same for every decoder. */
const DetectionCommon = {
	scoreThreshold: Unit.default(0.25),
	iouThreshold: Unit.default(0.45),
	maxDetections: z.number().int().positive().default(100),
	classAgnosticNms: z.boolean().default(false)
};

/** The common export: one output of boxes and one of per-class scores (DETR, SSD, YOLO-NAS…). */
export const BoxesScoresDetection = z.strictObject({
	/** Optional so manifests written before there were other decoders still parse. */
	decoder: z.literal('boxes-scores').optional(),
	/** Output holding boxes `[.., N, 4]` and output holding per-class scores `[.., N, classes]`. */
	boxesOutput: z.string().min(1),
	scoresOutput: z.string().min(1),
	boxFormat: z.enum(['xyxy', 'xywh', 'cxcywh']).default('xyxy'),
	/** Normalised boxes are fractions of the model input, pixel boxes are input pixels. */
	coordinates: z.enum(['normalized', 'pixels']).default('pixels'),
	...DetectionCommon
});
export type BoxesScoresDetection = z.infer<typeof BoxesScoresDetection>;

export const NanodetLevel = z.strictObject({
	stride: z.number().int().positive().max(1024),
	/** Per-class scores `[1, cells, classes]`, already sigmoid-activated. */
	scoresOutput: z.string().min(1),
	/** Box side distributions `[1, cells, 4 × (regMax + 1)]`: left, top, right, bottom. */
	distributionOutput: z.string().min(1)
});
export type NanodetLevel = z.infer<typeof NanodetLevel>;

/**
 * NanoDet-Plus (and GFL-style heads): per stride, a grid of cells row-major over the input,
 * each with class scores and a discrete distribution (regMax + 1 bins) per box side. See
 * `nanodet.ts` for the decoding.
 */
export const NanodetPlusDetection = z.strictObject({
	decoder: z.literal('nanodet-plus'),
	levels: z.array(NanodetLevel).min(1, 'expected at least one level'),
	regMax: z.number().int().positive().max(64).default(7),
	/**
	 * Where a cell's point lies: `pixel-center` = col·stride + (stride − 1)/2 (OpenCV Zoo's
	 * post-processing, right for its NanoDet-Plus export), `cell-center` = (col + ½)·stride,
	 * `cell-corner` = col·stride.
	 */
	gridPoint: z.enum(['pixel-center', 'cell-center', 'cell-corner']).default('pixel-center'),
	...DetectionCommon
});
export type NanodetPlusDetection = z.infer<typeof NanodetPlusDetection>;

export const DetectionSpec = z.discriminatedUnion(
	'decoder',
	[BoxesScoresDetection, NanodetPlusDetection],
	{
		error: "expected 'boxes-scores' (the default) or 'nanodet-plus'"
	}
);
export type DetectionSpec = z.infer<typeof DetectionSpec>;

const ManifestShape = z.strictObject({
	name: z.string().trim().min(1, 'model name is empty').max(200),
	version: ModelVersion,
	task: ModelTaskKind,
	description: z.string().max(2000).optional(),
	labels: z.array(z.string().min(1, 'label is empty')).default([]),
	inputs: z.array(InputSpec).min(1, 'expected at least one input'),
	preprocessing: Preprocessing.optional(),
	outputs: z.array(OutputSpec).min(1, 'expected at least one output'),
	detection: DetectionSpec.optional()
});
type ManifestShape = z.infer<typeof ManifestShape>;

export function channelCount(prep: Pick<Preprocessing, 'grayscale'>): 1 | 3 {
	return prep.grayscale ? 1 : 3;
}

/** Indices of the channel, height and width dimensions in a 4-d image tensor. */
export function imageAxes(layout: TensorLayout): { c: number; h: number; w: number } {
	return layout === 'NCHW' ? { c: 1, h: 2, w: 3 } : { c: 3, h: 1, w: 2 };
}

type Issue = { path: (string | number)[]; message: string };

function checkImage(m: ManifestShape, issues: Issue[]): void {
	const prep = m.preprocessing;
	if (!prep) {
		issues.push({ path: ['preprocessing'], message: `required for ${m.task} models` });
		return;
	}
	const channels = channelCount(prep);
	const what = channels === 1 ? '1 number (grayscale)' : '3 numbers (one per channel)';
	for (const key of ['mean', 'std'] as const) {
		const values = prep[key];
		if (values && values.length !== channels) {
			issues.push({
				path: ['preprocessing', key],
				message: `expected ${what}, got ${values.length}`
			});
		}
	}
	prep.std?.forEach((s, i) => {
		if (s === 0) issues.push({ path: ['preprocessing', 'std', i], message: 'std must not be 0' });
	});
	const { resize } = prep;
	if (
		resize.mode === 'shortest-edge-crop' &&
		resize.shortestEdge !== undefined &&
		resize.shortestEdge < Math.max(resize.width, resize.height)
	) {
		issues.push({
			path: ['preprocessing', 'resize', 'shortestEdge'],
			message: `must be at least ${Math.max(resize.width, resize.height)} (the crop must fit)`
		});
	}
	if (resize.shortestEdge !== undefined && resize.mode !== 'shortest-edge-crop') {
		issues.push({
			path: ['preprocessing', 'resize', 'shortestEdge'],
			message: "only applies to mode 'shortest-edge-crop'"
		});
	}

	const input = m.inputs[0];
	if (!input) return;
	if (!input.layout) {
		issues.push({
			path: ['inputs', 0, 'layout'],
			message: "required for image inputs ('NCHW' or 'NHWC')"
		});
		return;
	}
	if (input.shape.length !== 4) {
		issues.push({
			path: ['inputs', 0, 'shape'],
			message: `expected 4 dimensions for an ${input.layout} image, got ${input.shape.length}`
		});
		return;
	}
	const axes = imageAxes(input.layout);
	const expected: [number, number, string][] = [
		[axes.c, channels, 'channels'],
		[axes.h, resize.height, 'preprocessing.resize.height'],
		[axes.w, resize.width, 'preprocessing.resize.width']
	];
	for (const [axis, want, source] of expected) {
		const dim = input.shape[axis];
		if (typeof dim === 'number' && dim > 0 && dim !== want) {
			issues.push({
				path: ['inputs', 0, 'shape', axis],
				message: `is ${dim} but ${source} is ${want}`
			});
		}
	}
}

function checkLabelCount(m: ManifestShape, output: string, issues: Issue[]): void {
	const classes = m.outputs.find((o) => o.name === output)?.shape?.at(-1);
	if (m.labels.length === 0) {
		issues.push({ path: ['labels'], message: 'required for object-detection models' });
	} else if (typeof classes === 'number' && classes > 0 && classes !== m.labels.length) {
		issues.push({
			path: ['labels'],
			message: `expected ${classes} labels ('${output}' has ${classes} classes), got ${m.labels.length}`
		});
	}
}

function checkOutputRef(
	name: string,
	names: readonly string[],
	path: (string | number)[],
	issues: Issue[]
): void {
	if (!names.includes(name)) {
		issues.push({ path, message: `'${name}' is not one of the outputs (${names.join(', ')})` });
	}
}

function checkBoxesScores(
	m: ManifestShape,
	det: BoxesScoresDetection,
	names: readonly string[],
	issues: Issue[]
): void {
	for (const key of ['boxesOutput', 'scoresOutput'] as const) {
		checkOutputRef(det[key], names, ['detection', key], issues);
	}
	checkLabelCount(m, det.scoresOutput, issues);
	const boxes = m.outputs.find((o) => o.name === det.boxesOutput);
	const coords = boxes?.shape?.at(-1);
	if (typeof coords === 'number' && coords > 0 && coords !== 4) {
		const index = m.outputs.indexOf(boxes as OutputSpec);
		issues.push({
			path: ['outputs', index, 'shape'],
			message: `the boxes output must end in 4 coordinates, got ${coords}`
		});
	}
}

function checkNanodet(
	m: ManifestShape,
	det: NanodetPlusDetection,
	names: readonly string[],
	issues: Issue[]
): void {
	const strides = det.levels.map((l) => l.stride);
	const resize = m.preprocessing?.resize;
	const bins = 4 * (det.regMax + 1);
	det.levels.forEach((level, i) => {
		const path = ['detection', 'levels', i];
		if (strides.indexOf(level.stride) !== i) {
			issues.push({ path: [...path, 'stride'], message: `duplicate stride ${level.stride}` });
		}
		checkOutputRef(level.scoresOutput, names, [...path, 'scoresOutput'], issues);
		checkOutputRef(level.distributionOutput, names, [...path, 'distributionOutput'], issues);
		const cells = resize
			? Math.ceil(resize.width / level.stride) * Math.ceil(resize.height / level.stride)
			: undefined;
		for (const name of [level.scoresOutput, level.distributionOutput]) {
			const output = m.outputs.find((o) => o.name === name);
			const n = output?.shape?.at(-2);
			if (output && cells !== undefined && typeof n === 'number' && n > 0 && n !== cells) {
				issues.push({
					path: ['outputs', m.outputs.indexOf(output), 'shape'],
					message: `stride ${level.stride} on a ${resize?.width}×${resize?.height} input has ${cells} cells, got ${n}`
				});
			}
		}
		const dist = m.outputs.find((o) => o.name === level.distributionOutput);
		const values = dist?.shape?.at(-1);
		if (dist && typeof values === 'number' && values > 0 && values !== bins) {
			issues.push({
				path: ['outputs', m.outputs.indexOf(dist), 'shape'],
				message: `expected 4 × (regMax + 1) = ${bins} values per cell, got ${values}`
			});
		}
		if (m.labels.length > 0) checkLabelCount(m, level.scoresOutput, issues);
	});
	if (m.labels.length === 0) {
		issues.push({ path: ['labels'], message: 'required for object-detection models' });
	}
}

function checkOutputs(m: ManifestShape, issues: Issue[]): void {
	const names = m.outputs.map((o) => o.name);
	names.forEach((name, i) => {
		if (names.indexOf(name) !== i) {
			issues.push({ path: ['outputs', i, 'name'], message: `duplicate output name '${name}'` });
		}
	});

	if (LABELLED_TASKS.includes(m.task)) {
		if (m.labels.length === 0) {
			issues.push({ path: ['labels'], message: `required for ${m.task} models` });
		}
		const last = m.outputs[0]?.shape?.at(-1);
		if (m.labels.length > 0 && typeof last === 'number' && last > 0 && last !== m.labels.length) {
			issues.push({
				path: ['labels'],
				message: `expected ${last} labels (outputs[0] has ${last} scores), got ${m.labels.length}`
			});
		}
	}

	if (m.task === 'object-detection') {
		const det = m.detection;
		if (!det) {
			issues.push({ path: ['detection'], message: 'required for object-detection models' });
			return;
		}
		if (det.decoder === 'nanodet-plus') checkNanodet(m, det, names, issues);
		else checkBoxesScores(m, det, names, issues);
	} else if (m.detection) {
		issues.push({ path: ['detection'], message: 'only applies to object-detection models' });
	}
}

function crossCheck(m: ManifestShape, ctx: z.RefinementCtx): void {
	const issues: Issue[] = [];
	const seen = new Set<string>();
	m.labels.forEach((label, i) => {
		// Labels become class names on import; two equal names could not be told apart.
		if (seen.has(label))
			issues.push({ path: ['labels', i], message: `duplicate label '${label}'` });
		seen.add(label);
	});
	if (IMAGE_TASKS.includes(m.task)) checkImage(m, issues);
	else if (m.preprocessing) {
		issues.push({ path: ['preprocessing'], message: 'only applies to image models' });
	}
	checkOutputs(m, issues);
	for (const issue of issues) ctx.addIssue({ code: 'custom', ...issue });
}

export const ModelManifest = ManifestShape.superRefine(crossCheck);
export type ModelManifest = z.infer<typeof ModelManifest>;
/** What a manifest file may contain before defaults are filled in. */
export type ModelManifestInput = z.input<typeof ModelManifest>;

/** `inputs[0].shape[2]`: the way a user would point at the field in their JSON. */
export function formatPath(path: readonly PropertyKey[]): string {
	let out = '';
	for (const key of path) {
		if (typeof key === 'number') out += `[${key}]`;
		else out += out ? `.${String(key)}` : String(key);
	}
	return out || '(manifest)';
}

export type ParseManifestResult =
	{ ok: true; manifest: ModelManifest } | { ok: false; errors: string[] };

export function parseManifest(json: unknown): ParseManifestResult {
	const result = ModelManifest.safeParse(json);
	if (result.success) return { ok: true, manifest: result.data };
	return {
		ok: false,
		errors: result.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`)
	};
}
