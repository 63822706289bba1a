import { describe, expect, it } from 'vitest';
import { readDarknet, readYolo } from './yolo';
import { filesOf, jpeg, png } from './testFiles';

describe('readYolo', () => {
	it('reads a names list, de-normalises with each image size and maps val to validation', async () => {
		const ds = await readYolo(
			filesOf({
				'data.yaml': 'path: .\ntrain: images/train\nval: images/val\nnc: 2\nnames: [cat, dog]\n',
				'images/train/a.png': png(100, 50),
				'labels/train/a.txt': '0 0.5 0.5 0.2 0.4\n1 0.1 0.1 0.2 0.2 0.93\n',
				'images/val/b.png': png(10, 10),
				'images/val/c.png': png(10, 10),
				'labels/val/c.txt': '5 0.5 0.5 0.1 0.1\nnot a line\n'
			})
		);
		expect(ds).toMatchObject({
			format: 'yolo',
			taskKind: 'object-detection',
			classes: ['cat', 'dog']
		});
		expect(ds.records).toEqual([
			{
				name: 'images/train/a.png',
				kind: 'image',
				text: null,
				split: 'train',
				width: 100,
				height: 50,
				label: {
					type: 'boxes',
					boxes: [
						{ name: 'cat', x: 40, y: 15, w: 20, h: 20 },
						{ name: 'dog', x: 0, y: 0, w: 20, h: 10 }
					]
				}
			},
			// No label file: an image without objects.
			expect.objectContaining({
				name: 'images/val/b.png',
				split: 'validation',
				label: { type: 'boxes', boxes: [] }
			}),
			expect.objectContaining({ name: 'images/val/c.png', label: { type: 'boxes', boxes: [] } })
		]);
		expect(ds.warnings).toEqual([
			'labels/val/c.txt: line 2: expected "class x_center y_center width height"',
			'1 label line with a class index outside the class list skipped'
		]);
	});

	it('reads a names map inside a folder, Roboflow ../ paths, polygons and EXIF-rotated JPEGs', async () => {
		const ds = await readYolo(
			filesOf({
				'export/data.yaml': 'train: ../train/images\nnames:\n  0: person\n  2: car\n',
				'export/train/images/p.jpg': jpeg(40, 20, 6),
				'export/train/labels/p.txt': '2 0.5 0.5 0.5 0.5\n0 0.1 0.1 0.3 0.1 0.3 0.3 0.1 0.3\n'
			})
		);
		expect(ds.classes).toEqual(['person', 'class_1', 'car']);
		expect(ds.records).toEqual([
			{
				name: 'export/train/images/p.jpg',
				kind: 'image',
				text: null,
				split: 'train',
				width: 20,
				height: 40,
				label: {
					type: 'boxes',
					boxes: [
						{ name: 'car', x: 5, y: 10, w: 10, h: 20 },
						{ name: 'person', x: 2, y: 4, w: 4, h: 8 }
					]
				}
			}
		]);
		expect(ds.warnings).toContain(
			'export/data.yaml: names has gaps; missing indices are named class_<index>'
		);
		expect(ds.warnings).toContain('1 segmentation polygon read as its bounding box');
	});

	it('skips the labels of images whose size cannot be read', async () => {
		const ds = await readYolo(
			filesOf({
				'data.yaml': 'names: [a]\ntrain: images/train\n',
				'images/train/x.jpg': 'not a jpeg',
				'labels/train/x.txt': '0 .5 .5 .1 .1'
			})
		);
		expect(ds.records[0]).toMatchObject({ width: null, label: null });
		expect(ds.warnings[0]).toMatch(/^1 image whose size could not be read/);
	});

	it('names the missing key', async () => {
		await expect(readYolo(filesOf({ 'data.yaml': 'train: images/train\n' }))).rejects.toThrow(
			'data.yaml: names is missing'
		);
		await expect(readYolo(filesOf({ 'data.yaml': 'names: {x: a}\n' }))).rejects.toThrow(
			'data.yaml: names: key "x" is not a class index'
		);
	});
});

describe('readDarknet', () => {
	it('reads obj.data, obj.names, train.txt lists with absolute paths and labels beside images', async () => {
		const ds = await readDarknet(
			filesOf({
				'data/obj.data':
					'classes = 2\ntrain = data/train.txt\nvalid = data/valid.txt\nnames = data/obj.names\nbackup = backup/\n',
				'data/obj.names': 'cat\ndog\n',
				'data/train.txt': '/home/me/darknet/data/obj/1.png\ndata/obj/2.png\n../../etc/passwd\n',
				'data/valid.txt': 'data/obj/3.png\n',
				'data/obj/1.png': png(10, 10),
				'data/obj/1.txt': '1 0.5 0.5 1 1\n',
				'data/obj/2.png': png(10, 10),
				'data/obj/3.png': png(20, 10),
				'data/obj/3.txt': '0 0.25 0.5 0.5 1\n'
			})
		);
		expect(ds.format).toBe('darknet');
		expect(ds.classes).toEqual(['cat', 'dog']);
		expect(ds.records.map((r) => [r.name, r.split, r.label])).toEqual([
			[
				'data/obj/1.png',
				'train',
				{ type: 'boxes', boxes: [{ name: 'dog', x: 0, y: 0, w: 10, h: 10 }] }
			],
			['data/obj/2.png', 'train', { type: 'boxes', boxes: [] }],
			[
				'data/obj/3.png',
				'validation',
				{ type: 'boxes', boxes: [{ name: 'cat', x: 0, y: 0, w: 10, h: 10 }] }
			]
		]);
		expect(ds.warnings).toEqual([
			'data/train.txt: refused image reference "../../etc/passwd" (outside the dataset)'
		]);
	});

	it('reads classes.txt with every image when there are no lists', async () => {
		const ds = await readDarknet(
			filesOf({ 'classes.txt': 'a\n', 'x.png': png(4, 4), 'x.txt': '0 0.5 0.5 0.5 0.5' })
		);
		expect(ds.records).toEqual([
			expect.objectContaining({
				name: 'x.png',
				split: null,
				label: { type: 'boxes', boxes: [{ name: 'a', x: 1, y: 1, w: 2, h: 2 }] }
			})
		]);
	});
});
