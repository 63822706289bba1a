import { describe, expect, it } from 'vitest';
import { text } from '../fixtures';
import { pytorchFormat } from './pytorch';
import {
	detectionSnapshot,
	multiLabelSnapshot,
	singleLabelSnapshot,
	writeAll
} from './imageFixtures';

type Item = {
	id: number;
	file: string;
	split: string;
	width: number;
	height: number;
	label?: number;
	labels?: number[];
	boxes?: { class: number; x: number; y: number; w: number; h: number; score?: number | null }[];
	extra?: Record<string, unknown>;
};

async function annotations(snapshot: Parameters<typeof pytorchFormat.write>[0]) {
	const files = await writeAll(pytorchFormat, snapshot);
	const json = JSON.parse(text(files.get('annotations.json')));
	return { files, json, items: json.items as Item[] };
}

describe('pytorchFormat', () => {
	it('single-label: one class index per image, images beside, unlabelled items left out', async () => {
		const { files, json, items } = await annotations(singleLabelSnapshot());
		expect(json).toMatchObject({
			kind: 'image-classification',
			multi_label: false,
			classes: ['zebra', 'ant', 'a<b&"c"'],
			splits: ['train', 'validation', 'test']
		});
		expect(items.map((i) => [i.id, i.split, i.label])).toEqual([
			[1, 'train', 0],
			[2, 'train', 1],
			[3, 'train', 2],
			[5, 'validation', 0],
			[6, 'validation', 2],
			[7, 'test', 1]
		]);
		for (const item of items) expect(files.has(item.file)).toBe(true);
		expect(items[0]).toMatchObject({ file: 'images/000001_Zebra_1.png', width: 32, height: 24 });
		expect([...files.keys()].filter((p) => p.startsWith('images/'))).toHaveLength(6);
		expect(text(files.get('requirements.txt'))).toMatch(
			/^torch[>=\d.]*\ntorchvision[>=\d.]*\npillow/m
		);
		expect(text(files.get('dataset.py'))).toContain('ImageOps.exif_transpose');
	});

	it('multi-label: sorted, de-duplicated known class indices; empty lists kept', async () => {
		const { json, items } = await annotations(multiLabelSnapshot());
		expect(json.multi_label).toBe(true);
		expect(items.map((i) => i.labels)).toEqual([[0, 2], [1], [], [1], [0, 1, 2]]);
	});

	it('detection: clipped pixel boxes with class indices, dropped unknown and empty boxes', async () => {
		const { items } = await annotations(detectionSnapshot({ includeScores: true }));
		expect(items.map((i) => i.boxes)).toEqual([
			[
				{ class: 0, x: 2, y: 3, w: 10, h: 8, score: 0.91 },
				{ class: 2, x: 0, y: 0, w: 32, h: 24, score: 0.5 }
			],
			[{ class: 1, x: 25.4, y: 10.6, w: 14.6, h: 19.4, score: null }],
			[],
			[{ class: 1, x: 10.2, y: 12.7, w: 30.5, h: 20.25, score: null }],
			[
				{ class: 2, x: 1, y: 1, w: 14, h: 14, score: null },
				{ class: 0, x: 0.4, y: 0.6, w: 3, h: 3, score: null }
			]
		]);
		expect(items[0]!.extra).toEqual({ score: 0.42, level: null });
	});

	it('adds metadata under extra, and is deterministic', async () => {
		const a = await annotations(detectionSnapshot({ includeMetadata: true }));
		expect(a.items[1]!.extra).toMatchObject({
			name: 'two.png',
			status: 'approved',
			source: 'human'
		});
		const b = await annotations(detectionSnapshot({ includeMetadata: true }));
		expect([...a.files.keys()]).toEqual([...b.files.keys()]);
		for (const [path, bytes] of a.files) expect(b.files.get(path), path).toEqual(bytes);
	});
});
