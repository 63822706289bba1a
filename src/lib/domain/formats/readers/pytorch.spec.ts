import { describe, expect, it } from 'vitest';
import { readPytorch } from './pytorch';
import { filesOf, png } from './testFiles';

const images = { 'images/a.png': png(4, 4), 'images/b.png': png(4, 4), 'dataset.py': '' };

describe('readPytorch', () => {
	it('reads detection boxes by class index', async () => {
		const doc = {
			format: 'modelship-pytorch',
			kind: 'object-detection',
			multi_label: false,
			classes: ['cat', 'dog'],
			items: [
				{
					id: 1,
					file: 'images/a.png',
					split: 'train',
					width: 4,
					height: 4,
					boxes: [
						{ class: 1, x: 0.5, y: 1, w: 2, h: 3 },
						{ class: 7, x: 0, y: 0, w: 1, h: 1 }
					]
				},
				{ id: 2, file: 'images/gone.png', split: 'test', width: 4, height: 4, boxes: [] },
				{ id: 3, file: '../x.png', split: 'test', width: 4, height: 4, boxes: [] }
			]
		};
		const ds = await readPytorch(filesOf({ ...images, 'annotations.json': JSON.stringify(doc) }));
		expect(ds).toMatchObject({
			format: 'pytorch',
			taskKind: 'object-detection',
			classes: ['cat', 'dog']
		});
		expect(ds.records).toEqual([
			{
				name: 'images/a.png',
				kind: 'image',
				text: null,
				split: 'train',
				width: 4,
				height: 4,
				label: { type: 'boxes', boxes: [{ name: 'dog', x: 0.5, y: 1, w: 2, h: 3 }] }
			}
		]);
		expect(ds.warnings).toEqual([
			'annotations.json: items[2].file: "../x.png" points outside the dataset; skipped',
			'1 label with a class index not in classes skipped (first: annotations.json: items[0].boxes[1].class)',
			'1 image missing from the files skipped (first: annotations.json: items[1].file)'
		]);
	});

	it('reads single- and multi-label classes', async () => {
		const base = { format: 'modelship-pytorch', kind: 'image-classification', classes: ['a', 'b'] };
		const single = await readPytorch(
			filesOf({
				...images,
				'annotations.json': JSON.stringify({
					...base,
					multi_label: false,
					items: [{ file: 'images/a.png', split: 'validation', label: 1 }]
				})
			})
		);
		expect(single.multiLabel).toBe(false);
		expect(single.records[0]).toMatchObject({
			split: 'validation',
			width: null,
			label: { type: 'classes', names: ['b'] }
		});
		const multi = await readPytorch(
			filesOf({
				...images,
				'annotations.json': JSON.stringify({
					...base,
					multi_label: true,
					items: [
						{ file: 'images/a.png', split: 'train', labels: [0, 1] },
						{ file: 'images/b.png', split: 'train', labels: [] }
					]
				})
			})
		);
		expect(multi.multiLabel).toBe(true);
		expect(multi.records.map((r) => r.label)).toEqual([
			{ type: 'classes', names: ['a', 'b'] },
			{ type: 'classes', names: [] }
		]);
	});

	it('throws naming the file and key', async () => {
		await expect(
			readPytorch(
				filesOf({
					...images,
					'annotations.json': JSON.stringify({
						format: 'modelship-pytorch',
						classes: [],
						items: [{ split: 'train' }]
					})
				})
			)
		).rejects.toThrow(/^annotations\.json: items\[0\]\.file: /);
		await expect(readPytorch(filesOf({ 'annotations.json': '{"images": []}' }))).rejects.toThrow(
			/no annotations\.json of a ModelShip PyTorch export/
		);
	});
});
