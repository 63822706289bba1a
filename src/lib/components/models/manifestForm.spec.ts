import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '$lib/domain/models/manifest';
import {
	buildManifest,
	defaultManifestForm,
	fieldForPath,
	formFromManifest,
	parseNumber,
	type ManifestFormState
} from './manifestForm';

const fixture = (name: string): unknown =>
	JSON.parse(readFileSync(`tests/fixtures/models/${name}/manifest.json`, 'utf8'));

function tinyClassifierForm(): ManifestFormState {
	return {
		...defaultManifestForm(),
		name: 'tiny-image-classifier',
		labels: 'red\ngreen\nblue\n',
		inputShape: '1, 3, 8, 8',
		resizeWidth: '8',
		resizeHeight: '8',
		scale: '1/255',
		mean: '0, 0, 0',
		std: '1, 1, 1',
		outputName: 'probs',
		outputShape: '1, 3',
		activation: 'none'
	};
}

describe('parseNumber', () => {
	it('reads plain numbers and fractions', () => {
		expect(parseNumber('0.5')).toBe(0.5);
		expect(parseNumber(' 1/255 ')).toBeCloseTo(0.00392156862745098, 12);
		expect(parseNumber('1e-3')).toBe(0.001);
		expect(parseNumber('')).toBeNull();
		expect(parseNumber('half')).toBeNull();
	});
});

describe('buildManifest', () => {
	it('builds the fixture classifier manifest from the form', () => {
		const built = buildManifest(tinyClassifierForm());
		expect(built.fieldErrors).toEqual({});
		expect(built.otherErrors).toEqual([]);
		const expected = parseManifest(fixture('tiny-image-classifier'));
		if (!expected.ok) throw new Error('fixture manifest is invalid');
		expect(built.manifest).toEqual({ ...expected.manifest, description: undefined });
	});

	it('puts each schema error next to its field, with its path', () => {
		const built = buildManifest({
			...tinyClassifierForm(),
			name: ' ',
			version: 'v1',
			labels: 'red\ngreen',
			resizeHeight: '16',
			std: '1, 0, 1'
		});
		expect(built.manifest).toBeNull();
		expect(built.fieldErrors.name).toEqual(['name: model name is empty']);
		expect(built.fieldErrors.version?.[0]).toMatch(/^version: expected semver/);
		expect(built.fieldErrors.labels).toEqual([
			'labels: expected 3 labels (outputs[0] has 3 scores), got 2'
		]);
		expect(built.fieldErrors.inputShape).toEqual([
			'inputs[0].shape[2]: is 8 but preprocessing.resize.height is 16'
		]);
		expect(built.fieldErrors.std).toEqual(['preprocessing.std[1]: std must not be 0']);
	});

	it('reports values it cannot read once, on their field', () => {
		const built = buildManifest({
			...tinyClassifierForm(),
			inputShape: '1, 3, x, 8',
			scale: 'a lot'
		});
		expect(built.fieldErrors.inputShape).toEqual([
			'inputs[0].shape[2]: “x” is not a size (use a number, -1 or batch)'
		]);
		expect(built.fieldErrors.scale).toEqual(['preprocessing.scale: “a lot” is not a number']);
		expect(built.manifest).toBeNull();
	});

	it('builds a detection manifest with boxes and scores outputs', () => {
		const form = formFromManifest(
			(parseManifest(fixture('tiny-detector')) as { ok: true; manifest: never }).manifest
		);
		expect(form).not.toBeNull();
		const built = buildManifest(form as ManifestFormState);
		expect(built.fieldErrors).toEqual({});
		expect(built.manifest?.detection).toMatchObject({
			boxesOutput: 'boxes',
			scoresOutput: 'scores',
			scoreThreshold: 0.5,
			iouThreshold: 0.5
		});
		const wrong = buildManifest({ ...(form as ManifestFormState), scoresShape: '1, 3, 5' });
		expect(wrong.fieldErrors.labels?.[0]).toMatch(/expected 5 labels/);
		const missing = buildManifest({ ...(form as ManifestFormState), labels: '' });
		expect(missing.fieldErrors.labels).toEqual(['labels: required for object-detection models']);
	});

	it('leaves image preprocessing out of a text model', () => {
		const built = buildManifest({
			...defaultManifestForm(),
			name: 'Sentiment',
			task: 'text-classification',
			labels: 'negative\npositive',
			inputName: 'input_ids',
			inputShape: 'batch, 128',
			inputDtype: 'int64',
			outputName: 'logits',
			outputShape: 'batch, 2'
		});
		expect(built.fieldErrors).toEqual({});
		expect(built.json.preprocessing).toBeUndefined();
		expect(built.manifest?.inputs[0]?.layout).toBeUndefined();
	});
});

describe('fieldForPath', () => {
	it('maps manifest paths to form fields', () => {
		expect(fieldForPath(['inputs', 0, 'layout'], 'image-classification')).toBe('layout');
		expect(fieldForPath(['preprocessing', 'resize', 'width'], 'image-classification')).toBe(
			'resizeWidth'
		);
		expect(fieldForPath(['outputs', 1, 'shape'], 'object-detection')).toBe('scoresShape');
		expect(fieldForPath(['detection', 'iouThreshold'], 'object-detection')).toBe('iouThreshold');
		expect(fieldForPath([], 'image-classification')).toBeNull();
	});
});
