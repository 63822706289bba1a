import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoTokenizer, env as transformersEnv } from '@huggingface/transformers';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseManifest, type ModelManifest } from '../src/lib/domain/models/manifest';
import { buildFixtures, DEFAULT_OUT_DIR } from './build-fixtures.mjs';

/**
 * The committed fixture models must load in the runtime the app uses and compute what the
 * build script's plain-JS reference says; otherwise tests built on them would prove nothing.
 */

type GoldenCase = { name: string; pixel: number[]; outputs: Record<string, number[]> };
type Golden = Record<string, { input: string; shape: number[]; cases: GoldenCase[] }>;

const MODELS = ['tiny-image-classifier', 'tiny-detector'] as const;
const golden = JSON.parse(readFileSync(join(DEFAULT_OUT_DIR, 'golden.json'), 'utf8')) as Golden;

// One thread: Node has no cross-origin isolation to speak of, and the models are tiny.
ort.env.wasm.numThreads = 1;

function loadManifest(name: string): ModelManifest {
	const json: unknown = JSON.parse(
		readFileSync(join(DEFAULT_OUT_DIR, name, 'manifest.json'), 'utf8')
	);
	const result = parseManifest(json);
	if (!result.ok) throw new Error(`${name}: ${result.errors.join('; ')}`);
	return result.manifest;
}

/** A solid image after the manifest's preprocessing, in NCHW. */
function solidTensor(manifest: ModelManifest, shape: number[], pixel: number[]): ort.Tensor {
	const prep = manifest.preprocessing;
	if (!prep) throw new Error('image fixture without preprocessing');
	const [, channels = 3, height = 1, width = 1] = shape;
	const plane = height * width;
	const data = new Float32Array(channels * plane);
	for (let c = 0; c < channels; c++) {
		const value = ((pixel[c] ?? 0) * prep.scale - (prep.mean?.[c] ?? 0)) / (prep.std?.[c] ?? 1);
		data.fill(value, c * plane, (c + 1) * plane);
	}
	return new ort.Tensor('float32', data, shape);
}

describe('fixture manifests', () => {
	it.each(MODELS)('%s manifest passes parseManifest', (name) => {
		const manifest = loadManifest(name);
		expect(manifest.name).toBe(name);
		expect(manifest.outputs.map((o) => o.activation)).toEqual(manifest.outputs.map(() => 'none'));
	});

	it('detector overlaps two boxes above the NMS threshold', () => {
		const manifest = loadManifest('tiny-detector');
		const boxes = golden['tiny-detector']?.cases[0]?.outputs.boxes ?? [];
		const [a, b] = [boxes.slice(0, 4), boxes.slice(4, 8)] as [number[], number[]];
		const area = (r: number[]) => (r[2]! - r[0]!) * (r[3]! - r[1]!);
		const iw = Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!);
		const ih = Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!);
		const iou = (iw * ih) / (area(a) + area(b) - iw * ih);
		expect(iou).toBeGreaterThan(manifest.detection?.iouThreshold ?? 1);
	});
});

describe('fixture models in onnxruntime-web', () => {
	const sessions = new Map<string, ort.InferenceSession>();

	beforeAll(async () => {
		for (const name of MODELS) {
			const bytes = readFileSync(join(DEFAULT_OUT_DIR, name, 'model.onnx'));
			sessions.set(name, await ort.InferenceSession.create(new Uint8Array(bytes)));
		}
	});

	afterAll(async () => {
		for (const session of sessions.values()) await session.release();
	});

	const cases = MODELS.flatMap((model) =>
		(golden[model]?.cases ?? []).map((c) => [model, c.name, c] as const)
	);

	it.each(cases)('%s on a solid %s image matches golden.json', async (model, _name, c) => {
		const session = sessions.get(model);
		const spec = golden[model];
		if (!session || !spec) throw new Error(`${model} not loaded`);
		const manifest = loadManifest(model);
		expect(session.inputNames).toEqual(manifest.inputs.map((i) => i.name));
		expect(session.outputNames).toEqual(manifest.outputs.map((o) => o.name));

		const result = await session.run({ [spec.input]: solidTensor(manifest, spec.shape, c.pixel) });
		for (const output of manifest.outputs) {
			const tensor = result[output.name];
			expect(tensor?.dims).toEqual(output.shape);
			const actual = Array.from(tensor?.data as Float32Array);
			const expected = c.outputs[output.name] ?? [];
			expect(actual).toHaveLength(expected.length);
			actual.forEach((x, i) => expect(x).toBeCloseTo(expected[i]!, 5));
		}
	});

	it('classifier picks the colour of a solid image', () => {
		for (const c of golden['tiny-image-classifier']?.cases ?? []) {
			const probs = c.outputs.probs ?? [];
			const best = probs.indexOf(Math.max(...probs));
			expect(loadManifest('tiny-image-classifier').labels[best]).toBe(c.name);
			expect(probs[best]).toBeGreaterThan(0.99);
		}
	});
});

// ---------------------------------------------------------------------------------------------
// Hugging Face-layout fixtures: tokenizer through transformers.js (the class the browser backend
// uses, here from the local folder), graph through onnxruntime-web, both against golden.json.

const HF_DIR = join(DEFAULT_OUT_DIR, 'hf');
type TextCase = { text: string; tokens: string[]; input_ids: number[] };
type HfGolden = {
	'tiny-sentiment': {
		labels: string[];
		cases: (TextCase & { expected: string | null; logits: number[] })[];
	};
	'tiny-ner': {
		labels: string[];
		cases: (TextCase & {
			entities: [string, string][];
			token_labels: string[];
			logits: number[][];
		})[];
	};
	'tiny-colors': {
		labels: string[];
		size: number;
		cases: { name: string; pixel: number[]; logits: number[] }[];
	};
};
const hfGolden = JSON.parse(readFileSync(join(HF_DIR, 'golden.json'), 'utf8')) as HfGolden;
const readJson = (path: string): Record<string, unknown> =>
	JSON.parse(readFileSync(join(HF_DIR, path), 'utf8')) as Record<string, unknown>;

const softmax = (xs: number[]): number[] => {
	const max = Math.max(...xs);
	const exps = xs.map((x) => Math.exp(x - max));
	const total = exps.reduce((a, b) => a + b, 0);
	return exps.map((e) => e / total);
};

function bertFeeds(ids: number[]): Record<string, ort.Tensor> {
	const dims = [1, ids.length];
	const int64 = (values: number[]) =>
		new ort.Tensor('int64', BigInt64Array.from(values, BigInt), dims);
	return {
		input_ids: int64(ids),
		attention_mask: int64(ids.map(() => 1)),
		token_type_ids: int64(ids.map(() => 0))
	};
}

describe('Hugging Face-layout fixtures', () => {
	const sessions = new Map<string, ort.InferenceSession>();

	beforeAll(async () => {
		// Local folders only: a test never reaches for the hub.
		transformersEnv.allowRemoteModels = false;
		transformersEnv.localModelPath = `${HF_DIR}/`;
		for (const name of ['tiny-sentiment', 'tiny-ner', 'tiny-colors']) {
			const bytes = readFileSync(join(HF_DIR, name, 'onnx', 'model.onnx'));
			sessions.set(name, await ort.InferenceSession.create(new Uint8Array(bytes)));
		}
	});

	afterAll(async () => {
		for (const session of sessions.values()) await session.release();
	});

	it.each(['tiny-sentiment', 'tiny-ner', 'tiny-colors'])(
		'%s config.json names its labels in index order',
		(name) => {
			const config = readJson(`${name}/config.json`);
			const labels = hfGolden[name as keyof HfGolden].labels;
			expect(config.id2label).toEqual(Object.fromEntries(labels.map((l, i) => [String(i), l])));
			expect(config.model_type).toBe(name === 'tiny-colors' ? 'vit' : 'bert');
		}
	);

	it('each model is small', () => {
		for (const name of ['tiny-sentiment', 'tiny-ner', 'tiny-colors']) {
			const bytes = readFileSync(join(HF_DIR, name, 'onnx', 'model.onnx'));
			expect(bytes.length).toBeLessThan(100_000);
		}
	});

	it.each(['tiny-sentiment', 'tiny-ner'] as const)(
		'%s tokenizer (transformers.js AutoTokenizer) matches the reference WordPiece',
		async (name) => {
			const tokenizer = await AutoTokenizer.from_pretrained(name);
			for (const c of hfGolden[name].cases) {
				const ids = tokenizer.encode(c.text);
				expect(ids, c.text).toEqual(c.input_ids);
			}
			// Word pieces decode with their `##` marker, which span alignment relies on.
			const [bob, by] = tokenizer.encode('Bobby', { add_special_tokens: false });
			expect(tokenizer.decode([bob!])).toBe('bob');
			expect(tokenizer.decode([by!])).toBe('##by');
		}
	);

	it('tiny-sentiment gives golden logits and the right polarity with a clear margin', async () => {
		const session = sessions.get('tiny-sentiment')!;
		const { labels, cases } = hfGolden['tiny-sentiment'];
		for (const c of cases) {
			const { logits } = await session.run(bertFeeds(c.input_ids));
			expect(logits?.dims).toEqual([1, 2]);
			const actual = Array.from(logits?.data as Float32Array);
			actual.forEach((x, i) => expect(x).toBeCloseTo(c.logits[i]!, 5));
			const probs = softmax(actual);
			if (c.expected === null) {
				// No sentiment word: no evidence either way.
				expect(probs[0]).toBeCloseTo(0.5, 5);
			} else {
				expect(labels[probs.indexOf(Math.max(...probs))], c.text).toBe(c.expected);
				expect(Math.max(...probs), c.text).toBeGreaterThan(0.98);
			}
		}
	});

	it('tiny-sentiment pools over the attention mask (padding does not dilute)', async () => {
		const session = sessions.get('tiny-sentiment')!;
		const c = hfGolden['tiny-sentiment'].cases[0]!;
		const ids = [...c.input_ids, 0, 0, 0];
		const mask = [...c.input_ids.map(() => 1), 0, 0, 0];
		const dims = [1, ids.length];
		const int64 = (v: number[]) => new ort.Tensor('int64', BigInt64Array.from(v, BigInt), dims);
		const { logits } = await session.run({
			input_ids: int64(ids),
			attention_mask: int64(mask),
			token_type_ids: int64(ids.map(() => 0))
		});
		Array.from(logits?.data as Float32Array).forEach((x, i) =>
			expect(x).toBeCloseTo(c.logits[i]!, 5)
		);
	});

	it('tiny-ner labels names as PER and cities as LOC, word pieces included', async () => {
		const session = sessions.get('tiny-ner')!;
		const { labels, cases } = hfGolden['tiny-ner'];
		for (const c of cases) {
			const { logits } = await session.run(bertFeeds(c.input_ids));
			expect(logits?.dims).toEqual([1, c.input_ids.length, labels.length]);
			const data = Array.from(logits?.data as Float32Array);
			c.logits.flat().forEach((x, i) => expect(data[i]).toBeCloseTo(x, 5));
			const predicted = c.tokens.map((_, t) => {
				const row = data.slice(t * labels.length, (t + 1) * labels.length);
				expect(Math.max(...softmax(row))).toBeGreaterThan(0.9);
				return labels[row.indexOf(Math.max(...row))];
			});
			expect(predicted).toEqual(c.token_labels);
		}
		const bobby = cases[2]!;
		expect(bobby.tokens.slice(1, 3)).toEqual(['bob', '##by']);
		expect(bobby.token_labels.slice(1, 3)).toEqual(['B-PER', 'I-PER']);
	});

	it('tiny-colors gives golden logits and names the colour of a solid image', async () => {
		const session = sessions.get('tiny-colors')!;
		const { labels, size, cases } = hfGolden['tiny-colors'];
		const prep = readJson('tiny-colors/preprocessor_config.json') as {
			rescale_factor: number;
			image_mean: number[];
			image_std: number[];
			size: { height: number; width: number };
		};
		expect(prep.size).toEqual({ height: size, width: size });
		for (const c of cases) {
			const plane = size * size;
			const data = new Float32Array(3 * plane);
			for (let ch = 0; ch < 3; ch++) {
				const v = (c.pixel[ch]! * prep.rescale_factor - prep.image_mean[ch]!) / prep.image_std[ch]!;
				data.fill(v, ch * plane, (ch + 1) * plane);
			}
			const { logits } = await session.run({
				pixel_values: new ort.Tensor('float32', data, [1, 3, size, size])
			});
			const actual = Array.from(logits?.data as Float32Array);
			actual.forEach((x, i) => expect(x).toBeCloseTo(c.logits[i]!, 5));
			const probs = softmax(actual);
			expect(labels[probs.indexOf(Math.max(...probs))]).toBe(c.name);
			expect(Math.max(...probs)).toBeGreaterThan(0.95);
		}
	});
});

describe('build-fixtures', () => {
	let dir = '';
	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'modelship-fixtures-'));
	});
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it('rebuilds the committed fixtures byte for byte', async () => {
		const paths = await buildFixtures(dir);
		expect(paths.length).toBeGreaterThan(0);
		for (const path of paths) {
			const rebuilt = readFileSync(join(dir, path));
			const committed = readFileSync(join(DEFAULT_OUT_DIR, path));
			expect(rebuilt.equals(committed), path).toBe(true);
		}
	});
});
