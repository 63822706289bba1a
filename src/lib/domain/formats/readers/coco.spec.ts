import { describe, expect, it } from 'vitest';
import { readCoco } from './coco';
import { filesOf, png } from './testFiles';

const train = {
	images: [
		{ id: 10, file_name: 'a.png', width: 32, height: 24 },
		{ id: 11, file_name: 'gone.png', width: 32, height: 24 },
		{ id: 12, file_name: '../../etc/passwd', width: 1, height: 1 },
		{ id: 13, file_name: 'sub/b.png' }
	],
	annotations: [
		{ id: 1, image_id: 10, category_id: 0, bbox: [1, 2, 3, 4] },
		{ id: 2, image_id: 10, category_id: 1, bbox: [5, 6, 7, 8], iscrowd: 0 },
		{ id: 3, image_id: 99, category_id: 1, bbox: [0, 0, 1, 1] },
		{ id: 4, image_id: 98, category_id: 1, bbox: [0, 0, 1, 1] },
		{ id: 5, image_id: 10, category_id: 7, bbox: [0, 0, 1, 1] }
	],
	// Listed out of id order, 0-based.
	categories: [
		{ id: 1, name: 'dog' },
		{ id: 0, name: 'cat' }
	]
};

describe('readCoco', () => {
	it('reads boxes, orders classes by category id and reports what does not add up', async () => {
		const files = filesOf({
			'annotations/instances_train.json': JSON.stringify(train),
			'annotations/instances_val.json': JSON.stringify({
				images: [{ id: 1, file_name: 'c.png', width: 8, height: 8 }],
				annotations: [],
				categories: [{ id: 0, name: 'cat' }]
			}),
			'images/train/a.png': png(32, 24),
			'images/train/sub/b.png': png(4, 4),
			'images/val/c.png': png(8, 8),
			'etc/passwd': 'root'
		});
		const ds = await readCoco(files);
		expect(ds.format).toBe('coco');
		expect(ds.taskKind).toBe('object-detection');
		expect(ds.classes).toEqual(['cat', 'dog']);
		expect(ds.records).toEqual([
			{
				name: 'images/train/a.png',
				kind: 'image',
				text: null,
				split: 'train',
				width: 32,
				height: 24,
				label: {
					type: 'boxes',
					boxes: [
						{ name: 'cat', x: 1, y: 2, w: 3, h: 4 },
						{ name: 'dog', x: 5, y: 6, w: 7, h: 8 }
					]
				}
			},
			{
				name: 'images/train/sub/b.png',
				kind: 'image',
				text: null,
				split: 'train',
				width: null,
				height: null,
				label: { type: 'boxes', boxes: [] }
			},
			{
				name: 'images/val/c.png',
				kind: 'image',
				text: null,
				split: 'validation',
				width: 8,
				height: 8,
				label: { type: 'boxes', boxes: [] }
			}
		]);
		expect(ds.warnings).toEqual([
			'annotations/instances_train.json: refused image reference "../../etc/passwd" (absolute or outside the dataset)',
			'2 annotations point at image ids that do not exist',
			'1 annotation has a category id that is not in categories',
			'1 image listed in the COCO files is missing from the files'
		]);
	});

	it('finds Roboflow-style files beside the images', async () => {
		const ds = await readCoco(
			filesOf({
				'valid/_annotations.coco.json': JSON.stringify({
					images: [{ id: 0, file_name: 'x.png', width: 2, height: 2 }],
					annotations: [{ image_id: 0, category_id: 1, bbox: [0, 0, 1, 1] }],
					categories: [
						{ id: 0, name: 'objects' },
						{ id: 1, name: 'fish' }
					]
				}),
				'valid/x.png': png(2, 2)
			})
		);
		expect(ds.records[0]).toMatchObject({ name: 'valid/x.png', split: 'validation' });
		expect(ds.classes).toEqual(['objects', 'fish']);
	});

	it('names the file and key of malformed input', async () => {
		const bad = { ...train, images: [{ id: 1 }] };
		await expect(
			readCoco(filesOf({ 'instances_train.json': JSON.stringify(bad) }))
		).rejects.toThrow(/^instances_train\.json: images\[0\]\.file_name: /);
		await expect(readCoco(filesOf({ 'instances_train.json': '{"images": [,]}' }))).rejects.toThrow(
			/^instances_train\.json: invalid JSON at line 1/
		);
		await expect(readCoco(filesOf({ 'x.json': '{"images": []}' }))).rejects.toThrow(
			'x.json: images, annotations or categories is missing'
		);
	});
});
