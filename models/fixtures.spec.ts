import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
