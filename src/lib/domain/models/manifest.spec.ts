import { describe, expect, it } from 'vitest';
import {
	formatPath,
	imageAxes,
	ModelManifest,
	parseManifest,
	type ModelManifestInput
} from './manifest';

/** The MobileNetV2 int8 model from ../shared/models, as its PROVENANCE.md describes it. */
function mobilenet(): ModelManifestInput {
	return {
		name: 'MobileNetV2 int8',
		version: '1.0.0',
		task: 'image-classification',
		labels: Array.from({ length: 1000 }, (_, i) => `class ${i}`),
		inputs: [{ name: 'input', shape: ['batch', 3, 224, 224], dtype: 'float32', layout: 'NCHW' }],
		preprocessing: {
			resize: { mode: 'shortest-edge-crop', width: 224, height: 224, shortestEdge: 256 },
			scale: 1 / 255,
			mean: [0.485, 0.456, 0.406],
			std: [0.229, 0.224, 0.225],
			channelOrder: 'RGB'
		},
		outputs: [{ name: 'output', shape: [-1, 1000], activation: 'softmax' }]
	};
}

function detector(): ModelManifestInput {
	return {
		name: 'tiny-detector',
		version: '20261129-143022',
		task: 'object-detection',
		labels: ['person', 'car'],
		inputs: [{ name: 'images', shape: [1, 320, 320, 3], layout: 'NHWC' }],
		preprocessing: {
			resize: { mode: 'letterbox', width: 320, height: 320, padValue: 114 },
			scale: 1 / 255
		},
		outputs: [
			{ name: 'boxes', shape: [1, -1, 4] },
			{ name: 'scores', shape: [1, -1, 2], activation: 'sigmoid' }
		],
		detection: {
			boxesOutput: 'boxes',
			scoresOutput: 'scores',
			boxFormat: 'cxcywh',
			coordinates: 'normalized',
			scoreThreshold: 0.3,
			iouThreshold: 0.5,
			maxDetections: 50
		}
	};
}

function errorsOf(json: unknown): string[] {
	const result = parseManifest(json);
	if (result.ok) throw new Error('expected the manifest to be rejected');
	return result.errors;
}

describe('parseManifest: valid manifests', () => {
	it('accepts an ImageNet classifier', () => {
		const result = parseManifest(mobilenet());
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.manifest.preprocessing?.grayscale).toBe(false);
		expect(result.manifest.outputs[0]?.activation).toBe('softmax');
	});

	it('accepts a BGR detector with pixel-unit mean/std (NanoDet style) and fills defaults', () => {
		const m = detector();
		m.preprocessing = {
			resize: { mode: 'letterbox', width: 320, height: 320 },
			mean: [103.53, 116.28, 123.675],
			std: [57.375, 57.12, 58.395],
			channelOrder: 'BGR'
		};
		m.detection = { boxesOutput: 'boxes', scoresOutput: 'scores' };
		const result = parseManifest(m);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.manifest.preprocessing?.scale).toBe(1);
		expect(result.manifest.preprocessing?.resize.padValue).toBe(0);
		expect(result.manifest.detection).toEqual({
			boxesOutput: 'boxes',
			scoresOutput: 'scores',
			boxFormat: 'xyxy',
			coordinates: 'pixels',
			scoreThreshold: 0.25,
			iouThreshold: 0.45,
			maxDetections: 100,
			classAgnosticNms: false
		});
		expect(result.manifest.inputs[0]?.dtype).toBe('float32');
	});

	it('accepts a grayscale MNIST model with one mean/std value', () => {
		const result = parseManifest({
			name: 'mnist-pytorch-cnn',
			version: '2.1.3-beta',
			task: 'image-classification',
			labels: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
			inputs: [{ name: '0', shape: [1, 1, 28, 28], layout: 'NCHW' }],
			preprocessing: {
				resize: { mode: 'stretch', width: 28, height: 28 },
				scale: 1 / 255,
				mean: [0.1307],
				std: [0.3081],
				grayscale: true
			},
			outputs: [{ name: '21', shape: [1, 10], activation: 'softmax' }]
		});
		expect(result.ok).toBe(true);
	});

	it('accepts text models without preprocessing, and embeddings without labels', () => {
		expect(
			parseManifest({
				name: 'sentiment',
				version: '0.1.0+build.7',
				task: 'text-classification',
				labels: ['negative', 'positive'],
				inputs: [
					{ name: 'input_ids', shape: ['batch', -1], dtype: 'int64' },
					{ name: 'attention_mask', shape: ['batch', -1], dtype: 'int64' }
				],
				outputs: [{ name: 'logits', shape: ['batch', 2], activation: 'softmax' }]
			}).ok
		).toBe(true);
		expect(
			parseManifest({
				name: 'embedder',
				version: '3.0.0',
				task: 'feature-extraction',
				inputs: [{ name: 'input_ids', shape: ['batch', -1], dtype: 'int64' }],
				outputs: [{ name: 'embeddings', shape: ['batch', 384] }]
			}).ok
		).toBe(true);
	});

	it('skips the label count check when the output size is dynamic or unknown', () => {
		const m = mobilenet();
		m.labels = ['a', 'b'];
		m.outputs = [{ name: 'output', shape: [1, -1] }];
		expect(parseManifest(m).ok).toBe(true);
		m.outputs = [{ name: 'output' }];
		expect(parseManifest(m).ok).toBe(true);
	});

	it('exports a schema usable directly', () => {
		expect(ModelManifest.safeParse(detector()).success).toBe(true);
	});
});

describe('parseManifest: errors with paths', () => {
	it('says how many mean values are expected', () => {
		const m = mobilenet();
		m.preprocessing!.mean = [0.5, 0.5];
		expect(errorsOf(m)).toEqual([
			'preprocessing.mean: expected 3 numbers (one per channel), got 2'
		]);
	});

	it('expects one value for grayscale and rejects a zero std', () => {
		const m = mobilenet();
		m.inputs = [{ name: 'input', shape: [1, 1, 224, 224], layout: 'NCHW' }];
		m.preprocessing!.grayscale = true;
		m.preprocessing!.std = [0];
		expect(errorsOf(m)).toEqual([
			'preprocessing.mean: expected 1 number (grayscale), got 3',
			'preprocessing.std[0]: std must not be 0'
		]);
	});

	it('checks the label count against the output size', () => {
		const m = mobilenet();
		m.labels = ['cat', 'dog'];
		expect(errorsOf(m)).toEqual([
			'labels: expected 1000 labels (outputs[0] has 1000 scores), got 2'
		]);
	});

	it('checks detection labels, output references and box width', () => {
		const m = detector();
		m.labels = ['person'];
		m.outputs = [
			{ name: 'boxes', shape: [1, -1, 5] },
			{ name: 'scores', shape: [1, -1, 2] }
		];
		m.detection = { boxesOutput: 'boxes', scoresOutput: 'scores' };
		expect(errorsOf(m)).toEqual([
			"labels: expected 2 labels ('scores' has 2 classes), got 1",
			'outputs[0].shape: the boxes output must end in 4 coordinates, got 5'
		]);
		m.labels = ['person', 'car'];
		m.outputs = [{ name: 'boxes' }, { name: 'scores' }];
		m.detection = { boxesOutput: 'boxes', scoresOutput: 'logits' };
		expect(errorsOf(m)).toEqual([
			"detection.scoresOutput: 'logits' is not one of the outputs (boxes, scores)"
		]);
	});

	it('requires detection settings, labels and preprocessing where they apply', () => {
		const m = detector();
		delete m.detection;
		delete m.preprocessing;
		expect(errorsOf(m)).toEqual([
			'preprocessing: required for object-detection models',
			'detection: required for object-detection models'
		]);
		const c = mobilenet();
		c.labels = [];
		expect(errorsOf(c)).toEqual(['labels: required for image-classification models']);
	});

	it('rejects settings that do not apply to the task', () => {
		const errors = errorsOf({
			name: 'sentiment',
			version: '1.0.0',
			task: 'text-classification',
			labels: ['neg', 'pos'],
			inputs: [{ name: 'input_ids', shape: [1, -1], dtype: 'int64' }],
			preprocessing: { resize: { mode: 'stretch', width: 8, height: 8 } },
			outputs: [{ name: 'logits' }],
			detection: { boxesOutput: 'a', scoresOutput: 'b' }
		});
		expect(errors).toEqual([
			'preprocessing: only applies to image models',
			'detection: only applies to object-detection models'
		]);
	});

	it('checks the image input against layout and resize size', () => {
		const m = mobilenet();
		m.inputs = [{ name: 'input', shape: [1, 224, 224, 3], layout: 'NCHW' }];
		expect(errorsOf(m)).toEqual([
			'inputs[0].shape[1]: is 224 but channels is 3',
			'inputs[0].shape[3]: is 3 but preprocessing.resize.width is 224'
		]);
		m.inputs = [{ name: 'input', shape: [1, 3, 224, 224] }];
		expect(errorsOf(m)).toEqual(["inputs[0].layout: required for image inputs ('NCHW' or 'NHWC')"]);
		m.inputs = [{ name: 'input', shape: [3, 224, 224], layout: 'NCHW' }];
		expect(errorsOf(m)).toEqual([
			'inputs[0].shape: expected 4 dimensions for an NCHW image, got 3'
		]);
	});

	it('checks the shortest edge against the crop', () => {
		const m = mobilenet();
		m.preprocessing!.resize = {
			mode: 'shortest-edge-crop',
			width: 224,
			height: 224,
			shortestEdge: 200
		};
		expect(errorsOf(m)).toEqual([
			'preprocessing.resize.shortestEdge: must be at least 224 (the crop must fit)'
		]);
		m.preprocessing!.resize = { mode: 'letterbox', width: 224, height: 224, shortestEdge: 256 };
		expect(errorsOf(m)).toEqual([
			"preprocessing.resize.shortestEdge: only applies to mode 'shortest-edge-crop'"
		]);
	});

	it('accepts semver and real timestamps, rejects other versions', () => {
		for (const version of ['1.2.0', '2.1.3-beta', '0.0.1-rc.1', '20261129-143022']) {
			expect(parseManifest({ ...mobilenet(), version }).ok, version).toBe(true);
		}
		for (const version of [
			'1.2',
			'v1.2.0',
			'01.2.0',
			'20261340-000000',
			'20260230-120000',
			'20261129-246000',
			''
		]) {
			expect(errorsOf({ ...mobilenet(), version }), version).toEqual([
				'version: expected semver such as 1.2.0 or 2.1.3-beta, or a timestamp such as 20261129-143022'
			]);
		}
	});

	it('rejects bad dimensions, dtypes and duplicate names', () => {
		const m = mobilenet();
		m.inputs = [
			{ name: 'input', shape: [0, 3, 224, 224], layout: 'NCHW', dtype: 'float16' as 'float32' }
		];
		m.outputs = [
			{ name: 'output', shape: [1, 1000] },
			{ name: 'output', shape: [1, 1000] }
		];
		const errors = errorsOf(m);
		expect(errors).toHaveLength(2);
		expect(errors[0]).toBe("inputs[0].shape[0]: expected a positive integer, -1 or 'batch'");
		expect(errors[1]).toMatch(/^inputs\[0\]\.dtype: /);
		expect(errors[1]).toContain('float32');
	});

	it('reports duplicate labels and duplicate output names', () => {
		const m = mobilenet();
		m.labels = ['a', 'b', 'a'];
		m.outputs = [{ name: 'out' }, { name: 'out' }];
		expect(errorsOf(m)).toEqual([
			"labels[2]: duplicate label 'a'",
			"outputs[1].name: duplicate output name 'out'"
		]);
	});

	it('rejects unknown keys so typos do not fall back to defaults', () => {
		const m = mobilenet() as Record<string, unknown>;
		(m.preprocessing as Record<string, unknown>).meen = [0.5, 0.5, 0.5];
		const errors = errorsOf(m);
		expect(errors).toHaveLength(1);
		expect(errors[0]).toMatch(/^preprocessing: .*meen/);
	});

	it('lists every structural problem at once', () => {
		const errors = errorsOf({
			name: '',
			version: '1.0.0',
			task: 'segmentation',
			inputs: [],
			outputs: []
		});
		expect(errors).toHaveLength(4);
		expect(errors[0]).toBe('name: model name is empty');
		expect(errors[1]).toMatch(/^task: /);
		expect(errors[2]).toBe('inputs: expected at least one input');
		expect(errors[3]).toBe('outputs: expected at least one output');
	});

	it('rejects things that are not objects', () => {
		for (const json of [null, 'manifest', 42, []]) {
			const errors = errorsOf(json);
			expect(errors).toHaveLength(1);
			expect(errors[0]).toMatch(/^\(manifest\): /);
		}
	});
});

/** NanoDet-Plus 416 from ../shared/models: three strides, scores and box distributions each. */
function nanodet(): ModelManifestInput {
	const levels = [
		{ stride: 8, scoresOutput: '792', distributionOutput: '795' },
		{ stride: 16, scoresOutput: '814', distributionOutput: '817' },
		{ stride: 32, scoresOutput: '836', distributionOutput: '839' }
	];
	return {
		name: 'NanoDet-Plus-m 416',
		version: '1.0.0',
		task: 'object-detection',
		labels: ['person', 'car', 'dog'],
		inputs: [{ name: 'input.1', shape: [1, 3, 416, 416], layout: 'NCHW' }],
		preprocessing: {
			resize: { mode: 'letterbox', width: 416, height: 416 },
			mean: [103.53, 116.28, 123.675],
			std: [57.375, 57.12, 58.395],
			channelOrder: 'BGR'
		},
		outputs: [
			{ name: '792', shape: [1, 2704, 3] },
			{ name: '814', shape: [1, 676, 3] },
			{ name: '836', shape: [1, 169, 3] },
			{ name: '795', shape: [1, 2704, 32] },
			{ name: '817', shape: [1, 676, 32] },
			{ name: '839', shape: [1, 169, 32] }
		],
		detection: { decoder: 'nanodet-plus', levels, iouThreshold: 0.6 }
	};
}

describe('parseManifest: detection decoders', () => {
	it('accepts a NanoDet-Plus manifest and fills its defaults', () => {
		const result = parseManifest(nanodet());
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		const det = result.manifest.detection;
		expect(det?.decoder).toBe('nanodet-plus');
		if (det?.decoder !== 'nanodet-plus') return;
		expect(det.regMax).toBe(7);
		expect(det.gridPoint).toBe('pixel-center');
		expect(det.scoreThreshold).toBe(0.25);
		expect(det.iouThreshold).toBe(0.6);
		expect(det.levels).toHaveLength(3);
	});

	it("still reads 'boxes-scores' when it is named", () => {
		const m = detector();
		m.detection = { decoder: 'boxes-scores', boxesOutput: 'boxes', scoresOutput: 'scores' };
		expect(parseManifest(m).ok).toBe(true);
	});

	it('names an unknown decoder and keys of the other decoder', () => {
		const m = detector();
		m.detection = { decoder: 'yolo', boxesOutput: 'boxes' } as never;
		expect(errorsOf(m)).toEqual([
			"detection.decoder: expected 'boxes-scores' (the default) or 'nanodet-plus'"
		]);
		const n = nanodet();
		n.detection = { decoder: 'nanodet-plus', levels: [], boxesOutput: 'x' } as never;
		const errors = errorsOf(n);
		expect(errors).toContain('detection.levels: expected at least one level');
		expect(errors.some((e) => e.startsWith('detection: ') && e.includes('boxesOutput'))).toBe(true);
	});

	it('checks levels against the outputs, the grid, the bins and the labels', () => {
		const m = nanodet();
		m.outputs = [
			{ name: '792', shape: [1, 2704, 3] },
			{ name: '814', shape: [1, 600, 3] },
			{ name: '836', shape: [1, 169, 2] },
			{ name: '795', shape: [1, 2704, 40] },
			{ name: '817', shape: [1, 676, 32] }
		];
		m.detection = {
			decoder: 'nanodet-plus',
			levels: [
				{ stride: 8, scoresOutput: '792', distributionOutput: '795' },
				{ stride: 16, scoresOutput: '814', distributionOutput: '817' },
				{ stride: 16, scoresOutput: '836', distributionOutput: '839' }
			]
		};
		expect(errorsOf(m)).toEqual([
			'outputs[3].shape: expected 4 × (regMax + 1) = 32 values per cell, got 40',
			'outputs[1].shape: stride 16 on a 416×416 input has 676 cells, got 600',
			'detection.levels[2].stride: duplicate stride 16',
			"detection.levels[2].distributionOutput: '839' is not one of the outputs (792, 814, 836, 795, 817)",
			'outputs[2].shape: stride 16 on a 416×416 input has 676 cells, got 169',
			"labels: expected 2 labels ('836' has 2 classes), got 3"
		]);
	});

	it('takes regMax into account and requires labels', () => {
		const m = nanodet();
		m.labels = [];
		m.detection = { ...(m.detection as object), regMax: 9 } as never;
		expect(errorsOf(m)).toEqual([
			'outputs[3].shape: expected 4 × (regMax + 1) = 40 values per cell, got 32',
			'outputs[4].shape: expected 4 × (regMax + 1) = 40 values per cell, got 32',
			'outputs[5].shape: expected 4 × (regMax + 1) = 40 values per cell, got 32',
			'labels: required for object-detection models'
		]);
	});
});

describe('helpers', () => {
	it('formats paths the way they look in JSON', () => {
		expect(formatPath(['inputs', 0, 'shape', 2])).toBe('inputs[0].shape[2]');
		expect(formatPath(['preprocessing', 'mean'])).toBe('preprocessing.mean');
		expect(formatPath([])).toBe('(manifest)');
	});

	it('locates image axes per layout', () => {
		expect(imageAxes('NCHW')).toEqual({ c: 1, h: 2, w: 3 });
		expect(imageAxes('NHWC')).toEqual({ c: 3, h: 1, w: 2 });
	});
});
