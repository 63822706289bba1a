/**
 * Builds the tiny ONNX fixture models that tests load instead of downloading a model
 * (DESIGN.md, "No test may download from the hub"), plus golden outputs computed here in
 * plain JS from the same weights, so a test can tell whether a runtime executed the graph
 * correctly. Run with `npm run models`; the output is deterministic and committed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { hfFixtureFiles } from './hfFixtures.mjs';
import { DataType, model, node, tensor, valueInfo } from './onnxWriter.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_OUT_DIR = resolve(HERE, '../tests/fixtures/models');

/** Golden values are stored to 5 decimals: the tests compare with toBeCloseTo(x, 5). */
const round5 = (/** @type {number} */ x) => Math.round(x * 1e5) / 1e5;

/** Float32 rounding, so the JS reference sees the same weights the graph stores. */
const f32 = (/** @type {number} */ x) => Math.fround(x);

// ---------------------------------------------------------------------------------------------
// tiny-image-classifier: each class answers to the mean of one colour channel.

const CLS_SIZE = 8;
const CLS_PIXELS = CLS_SIZE * CLS_SIZE;
const CLS_LABELS = ['red', 'green', 'blue'];
/** Gain on a channel's mean: a pure colour gives logits [10, 0, 0] → p ≈ 0.9999. */
const CLS_GAIN = 10;

function classifierWeights() {
	// Gemm B is [192, 3] (K × N, transB = 0); row k is pixel k of the flattened CHW input.
	const weights = new Float32Array(3 * CLS_PIXELS * 3);
	for (let c = 0; c < 3; c++) {
		for (let p = 0; p < CLS_PIXELS; p++)
			weights[(c * CLS_PIXELS + p) * 3 + c] = CLS_GAIN / CLS_PIXELS;
	}
	return { weights, bias: new Float32Array(3) };
}

function buildClassifier() {
	const { weights, bias } = classifierWeights();
	const bytes = model({
		name: 'tiny-image-classifier',
		doc: 'Flatten → Gemm (one class per colour channel mean) → Softmax',
		nodes: [
			node('Flatten', ['pixel_values'], ['flat'], { axis: { int: 1 } }),
			node('Gemm', ['flat', 'W', 'B'], ['logits']),
			// Softmax lives in the graph, so the manifest's activation is 'none'.
			node('Softmax', ['logits'], ['probs'], { axis: { int: -1 } })
		],
		initializers: [tensor('W', [3 * CLS_PIXELS, 3], weights), tensor('B', [3], bias)],
		inputs: [valueInfo('pixel_values', [1, 3, CLS_SIZE, CLS_SIZE])],
		outputs: [valueInfo('probs', [1, 3])]
	});
	const manifest = {
		name: 'tiny-image-classifier',
		version: '1.0.0',
		task: 'image-classification',
		description:
			'Fixture: 8×8 RGB image → red/green/blue by the mean of each colour channel. Softmax is in the graph.',
		labels: CLS_LABELS,
		inputs: [
			{ name: 'pixel_values', shape: [1, 3, CLS_SIZE, CLS_SIZE], dtype: 'float32', layout: 'NCHW' }
		],
		preprocessing: {
			resize: { mode: 'stretch', width: CLS_SIZE, height: CLS_SIZE },
			scale: 1 / 255,
			mean: [0, 0, 0],
			std: [1, 1, 1],
			channelOrder: 'RGB'
		},
		outputs: [{ name: 'probs', shape: [1, 3], activation: 'none' }]
	};
	return { bytes, manifest, weights, bias };
}

/**
 * Plain-JS forward pass of the classifier on a solid-colour image (per-channel values).
 * @param {{ weights: Float32Array, bias: Float32Array }} model
 * @param {number[]} fill
 */
function runClassifier({ weights, bias }, fill) {
	// `?? 0` only satisfies noUncheckedIndexedAccess: every index here is in range.
	const logits = [0, 1, 2].map((k) => {
		let sum = bias[k] ?? 0;
		for (let i = 0; i < 3 * CLS_PIXELS; i++) {
			sum += f32(fill[Math.floor(i / CLS_PIXELS)] ?? 0) * (weights[i * 3 + k] ?? 0);
		}
		return sum;
	});
	const max = Math.max(...logits);
	const exps = logits.map((l) => Math.exp(l - max));
	const total = exps.reduce((a, b) => a + b, 0);
	return exps.map((e) => e / total);
}

// ---------------------------------------------------------------------------------------------
// tiny-detector: three boxes whose position and scores follow the image's channel means.

const DET_SIZE = 16;
const DET_LABELS = ['car', 'person'];
const DET_BOXES = 3;
/**
 * Base boxes (xyxy, input pixels) at a black image. Boxes 0 and 1 overlap with IoU ≈ 0.62,
 * above the 0.5 NMS threshold, so NMS must drop the weaker "car".
 */
const BASE_BOXES = [
	[2, 2, 10, 10],
	[3, 3, 11, 11],
	[9, 1, 14, 13]
];
/** Every coordinate moves by 2 px × the mean brightness (the average of the channel means). */
const BOX_SHIFT = 2;
/** Score logits at a black image, per box: [car, person]. Brightness adds 1 to each. */
const BASE_LOGITS = [
	[2.2, -3],
	[1.4, -3],
	[-2, 1.7]
];
const LOGIT_SHIFT = 1;

function detectorWeights() {
	const boxW = new Float32Array(3 * DET_BOXES * 4).fill(BOX_SHIFT / 3);
	const boxB = Float32Array.from(BASE_BOXES.flat());
	const scoreW = new Float32Array(3 * DET_BOXES * 2).fill(LOGIT_SHIFT / 3);
	const scoreB = Float32Array.from(BASE_LOGITS.flat());
	return { boxW, boxB, scoreW, scoreB };
}

function buildDetector() {
	const w = detectorWeights();
	const bytes = model({
		name: 'tiny-detector',
		doc: 'ReduceMean over space → Gemm → boxes [1,3,4] (xyxy px) and Sigmoid scores [1,3,2]',
		nodes: [
			node('ReduceMean', ['images'], ['channel_means'], {
				axes: { ints: [2, 3] },
				keepdims: { int: 0 }
			}),
			node('Gemm', ['channel_means', 'box_W', 'box_B'], ['boxes_flat']),
			node('Reshape', ['boxes_flat', 'boxes_shape'], ['boxes']),
			node('Gemm', ['channel_means', 'score_W', 'score_B'], ['logits_flat']),
			node('Sigmoid', ['logits_flat'], ['scores_flat']),
			node('Reshape', ['scores_flat', 'scores_shape'], ['scores'])
		],
		initializers: [
			tensor('box_W', [3, DET_BOXES * 4], w.boxW),
			tensor('box_B', [DET_BOXES * 4], w.boxB),
			tensor('boxes_shape', [3], [1, DET_BOXES, 4], DataType.INT64),
			tensor('score_W', [3, DET_BOXES * 2], w.scoreW),
			tensor('score_B', [DET_BOXES * 2], w.scoreB),
			tensor('scores_shape', [3], [1, DET_BOXES, 2], DataType.INT64)
		],
		inputs: [valueInfo('images', [1, 3, DET_SIZE, DET_SIZE])],
		outputs: [valueInfo('boxes', [1, DET_BOXES, 4]), valueInfo('scores', [1, DET_BOXES, 2])]
	});
	const manifest = {
		name: 'tiny-detector',
		version: '1.0.0',
		task: 'object-detection',
		description:
			'Fixture: three boxes that shift with image brightness; boxes 0 and 1 overlap (IoU ≈ 0.62) so NMS keeps one.',
		labels: DET_LABELS,
		inputs: [
			{ name: 'images', shape: [1, 3, DET_SIZE, DET_SIZE], dtype: 'float32', layout: 'NCHW' }
		],
		preprocessing: {
			resize: { mode: 'stretch', width: DET_SIZE, height: DET_SIZE },
			scale: 1 / 255,
			mean: [0, 0, 0],
			std: [1, 1, 1],
			channelOrder: 'RGB'
		},
		outputs: [
			{ name: 'boxes', shape: [1, DET_BOXES, 4], activation: 'none' },
			{ name: 'scores', shape: [1, DET_BOXES, 2], activation: 'none' }
		],
		detection: {
			boxesOutput: 'boxes',
			scoresOutput: 'scores',
			boxFormat: 'xyxy',
			coordinates: 'pixels',
			scoreThreshold: 0.5,
			iouThreshold: 0.5,
			maxDetections: 100,
			classAgnosticNms: false
		}
	};
	return { bytes, manifest, weights: w };
}

/**
 * Plain-JS forward pass of the detector on a solid-colour image.
 * @param {ReturnType<typeof detectorWeights>} weights
 * @param {number[]} fill
 */
function runDetector({ boxW, boxB, scoreW, scoreB }, fill) {
	const means = fill.map(f32);
	/** @type {(W: Float32Array, B: Float32Array, n: number) => number[]} */
	const gemm = (W, B, n) =>
		Array.from(
			{ length: n },
			(_, j) => (B[j] ?? 0) + means.reduce((s, m, c) => s + m * (W[c * n + j] ?? 0), 0)
		);
	const boxes = gemm(boxW, boxB, DET_BOXES * 4);
	const scores = gemm(scoreW, scoreB, DET_BOXES * 2).map((l) => 1 / (1 + Math.exp(-l)));
	return { boxes, scores };
}

// ---------------------------------------------------------------------------------------------

/**
 * JSON as the repo's Prettier would print it, so `npm run lint` (prettier --check .) passes on
 * the committed files. The config is resolved for the committed location, not `outDir`, so a
 * rebuild into a temp dir formats identically.
 * @param {unknown} value
 */
async function formatJson(value) {
	const options = await prettier.resolveConfig(join(DEFAULT_OUT_DIR, 'golden.json'));
	return prettier.format(JSON.stringify(value), { ...options, parser: 'json' });
}

/**
 * A golden case: a solid image of one 0..255 colour. After the manifests' preprocessing
 * (scale 1/255, mean 0, std 1) every pixel of channel c is `pixel[c] / 255`.
 * @param {string} name
 * @param {number[]} pixel
 */
function solid(name, pixel) {
	return { name, pixel, fill: pixel.map((v) => v / 255) };
}

/**
 * Builds every fixture into `outDir` and returns the relative paths written.
 * @param {string} [outDir]
 * @returns {Promise<string[]>}
 */
export async function buildFixtures(outDir = DEFAULT_OUT_DIR) {
	const classifier = buildClassifier();
	const detector = buildDetector();

	const clsCases = [
		solid('red', [255, 0, 0]),
		solid('green', [0, 255, 0]),
		solid('blue', [0, 0, 255])
	];
	const detCases = [solid('mid-grey', [128, 128, 128]), solid('black', [0, 0, 0])];
	const golden = {
		'tiny-image-classifier': {
			input: 'pixel_values',
			shape: [1, 3, CLS_SIZE, CLS_SIZE],
			cases: clsCases.map((c) => ({
				name: c.name,
				pixel: c.pixel,
				outputs: { probs: runClassifier(classifier, c.fill).map(round5) }
			}))
		},
		'tiny-detector': {
			input: 'images',
			shape: [1, 3, DET_SIZE, DET_SIZE],
			cases: detCases.map((c) => {
				const out = runDetector(detector.weights, c.fill);
				return {
					name: c.name,
					pixel: c.pixel,
					outputs: { boxes: out.boxes.map(round5), scores: out.scores.map(round5) }
				};
			})
		}
	};

	/** @type {[string, Uint8Array | string][]} */
	const files = [
		['tiny-image-classifier/model.onnx', classifier.bytes],
		['tiny-image-classifier/manifest.json', await formatJson(classifier.manifest)],
		['tiny-detector/model.onnx', detector.bytes],
		['tiny-detector/manifest.json', await formatJson(detector.manifest)],
		['golden.json', await formatJson(golden)],
		// Hugging Face-layout models for the transformers.js backend (see hfFixtures.mjs).
		...(await hfFixtureFiles(formatJson)).map(
			([path, content]) => /** @type {[string, Uint8Array | string]} */ ([`hf/${path}`, content])
		)
	];
	for (const [path, content] of files) {
		const full = join(outDir, path);
		mkdirSync(dirname(full), { recursive: true });
		writeFileSync(full, content);
	}
	return files.map(([path]) => path);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	for (const path of await buildFixtures()) console.log(join(DEFAULT_OUT_DIR, path));
}
