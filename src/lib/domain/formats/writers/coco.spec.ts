import { describe, expect, it } from 'vitest';
import { text } from '../fixtures';
import { cocoFormat } from './coco';
import { detectionSnapshot, singleLabelSnapshot, writeAll } from './imageFixtures';

type Coco = {
	info: Record<string, unknown>;
	licenses: { id: number }[];
	images: { id: number; file_name: string; width: number; height: number; license: number }[];
	annotations: {
		id: number;
		image_id: number;
		category_id: number;
		bbox: number[];
		area: number;
		iscrowd: number;
		segmentation: number[][];
		score?: number;
	}[];
	categories: { id: number; name: string; supercategory: string }[];
};

const read = (files: Map<string, Uint8Array>, split: string): Coco =>
	JSON.parse(text(files.get(`annotations/instances_${split}.json`)));

describe('cocoFormat', () => {
	it('writes one instances file and image folder per split, ids from 1 in each', async () => {
		const files = await writeAll(cocoFormat, detectionSnapshot());
		expect([...files.keys()].filter((p) => p.endsWith('.json'))).toEqual([
			'annotations/instances_train.json',
			'annotations/instances_validation.json',
			'annotations/instances_test.json'
		]);
		const train = read(files, 'train');
		expect(train.licenses.map((l) => l.id)).toEqual([1]);
		expect(train.categories).toEqual([
			{ id: 1, name: 'zebra', supercategory: 'object' },
			{ id: 2, name: 'ant', supercategory: 'object' },
			{ id: 3, name: 'a<b&"c"', supercategory: 'object' }
		]);
		expect(train.images.map((i) => [i.id, i.file_name, i.width, i.height, i.license])).toEqual([
			[1, '000001_one.png', 32, 24, 1],
			[2, '000002_two.png', 40, 30, 1],
			[3, '000003_empty.png', 20, 50, 1]
		]);
		for (const image of train.images)
			expect(files.has(`images/train/${image.file_name}`)).toBe(true);
		expect(train.annotations.map((a) => [a.id, a.image_id, a.category_id, a.bbox, a.area])).toEqual(
			[
				[1, 1, 1, [2, 3, 10, 8], 80],
				[2, 1, 3, [0, 0, 32, 24], 768],
				[3, 2, 2, [25.4, 10.6, 14.6, 19.4], 283.24]
			]
		);
		expect(train.annotations[0]!.segmentation).toEqual([[2, 3, 12, 3, 12, 11, 2, 11]]);
		expect(train.annotations.every((a) => a.iscrowd === 0 && a.score === undefined)).toBe(true);
		const test = read(files, 'test');
		expect(test.images.map((i) => i.id)).toEqual([1]);
		expect(test.annotations.map((a) => [a.id, a.image_id, a.category_id])).toEqual([
			[1, 1, 3],
			[2, 1, 1]
		]);
		expect(files.has('images/test/000005_test.png')).toBe(true);
	});

	it('keeps every box inside its image', async () => {
		const files = await writeAll(cocoFormat, detectionSnapshot());
		for (const split of ['train', 'validation', 'test']) {
			const coco = read(files, split);
			const byId = new Map(coco.images.map((i) => [i.id, i]));
			for (const a of coco.annotations) {
				const image = byId.get(a.image_id)!;
				const [x, y, w, h] = a.bbox as [number, number, number, number];
				expect(x >= 0 && y >= 0 && w > 0 && h > 0).toBe(true);
				expect(x + w).toBeLessThanOrEqual(image.width);
				expect(y + h).toBeLessThanOrEqual(image.height);
			}
		}
	});

	it('adds scores and metadata as extra keys when asked, deterministically', async () => {
		const options = { includeScores: true, includeMetadata: true };
		const a = await writeAll(cocoFormat, detectionSnapshot(options));
		const train = read(a, 'train') as Coco & { images: Record<string, unknown>[] };
		expect(train.images[0]).toMatchObject({
			score: 0.42,
			level: null,
			metadata: { name: 'street/one.png', reviewer: 'ana', status: 'approved' }
		});
		expect(train.annotations[0]!.score).toBe(0.91);
		expect(train.annotations[2]!.score).toBeUndefined();
		const b = await writeAll(cocoFormat, detectionSnapshot(options));
		for (const [path, bytes] of a) expect(b.get(path), path).toEqual(bytes);
	});

	it('only takes detection tasks', async () => {
		await expect(writeAll(cocoFormat, singleLabelSnapshot())).rejects.toThrow(/cannot hold/);
	});
});
