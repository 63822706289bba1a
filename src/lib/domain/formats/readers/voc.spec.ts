import { describe, expect, it } from 'vitest';
import { readVoc } from './voc';
import { filesOf, png } from './testFiles';

const xml = (
	filename: string,
	objects: string,
	size = '<size><width>50</width><height>40</height><depth>3</depth></size>'
) =>
	`<?xml version="1.0"?>\n<annotation>\n<folder>JPEGImages</folder>\n<filename>${filename}</filename>\n${size}\n${objects}\n</annotation>\n`;
const obj = (name: string, [x0, y0, x1, y1]: number[]) =>
	`<object><name>${name}</name><difficult>0</difficult><bndbox><xmin>${x0}</xmin><ymin>${y0}</ymin><xmax>${x1}</xmax><ymax>${y1}</ymax></bndbox></object>`;

describe('readVoc', () => {
	it('reads 1-based corners, escaped names, splits and labels.txt order', async () => {
		const ds = await readVoc(
			filesOf({
				'VOC/labels.txt': '__ignore__\n_background_\nzebra\nR&D "bot"\n',
				'VOC/ImageSets/Main/train.txt': '1\n',
				'VOC/ImageSets/Main/val.txt': '2\n',
				'VOC/ImageSets/Main/trainval.txt': '1\n2\n',
				'VOC/Annotations/1.xml': xml(
					'1.png',
					obj('R&amp;D &quot;bot&quot;', [1, 1, 10, 20]) + obj('cat', [11.0, 5, 20, 6])
				),
				'VOC/Annotations/2.xml': xml('2.png', ''),
				'VOC/Annotations/3.xml': xml('../../etc/passwd', ''),
				'VOC/JPEGImages/1.png': png(50, 40),
				'VOC/JPEGImages/2.png': png(50, 40)
			})
		);
		expect(ds).toMatchObject({
			format: 'voc',
			taskKind: 'object-detection',
			classes: ['zebra', 'R&D "bot"', 'cat']
		});
		expect(ds.records).toEqual([
			{
				name: 'VOC/JPEGImages/1.png',
				kind: 'image',
				text: null,
				split: 'train',
				width: 50,
				height: 40,
				label: {
					type: 'boxes',
					boxes: [
						{ name: 'R&D "bot"', x: 0, y: 0, w: 10, h: 20 },
						{ name: 'cat', x: 10, y: 4, w: 10, h: 2 }
					]
				}
			},
			expect.objectContaining({
				name: 'VOC/JPEGImages/2.png',
				split: 'validation',
				label: { type: 'boxes', boxes: [] }
			})
		]);
		expect(ds.warnings).toEqual([
			'VOC/Annotations/3.xml: refused image reference "../../etc/passwd" (absolute or outside the dataset)',
			'class "cat" (1 object) is not in labels.txt; added'
		]);
	});

	it('reads LabelImg files beside their images by their path', async () => {
		const labelImg = `<annotation><folder>pics</folder><filename>x.png</filename><path>C:\\Users\\me\\pics\\x.png</path>${obj('a', [2, 2, 3, 3])}</annotation>`;
		const ds = await readVoc(filesOf({ 'pics/x.xml': labelImg, 'pics/x.png': png(4, 4) }));
		expect(ds.records).toEqual([
			expect.objectContaining({
				name: 'pics/x.png',
				width: null,
				split: null,
				label: { type: 'boxes', boxes: [{ name: 'a', x: 1, y: 1, w: 2, h: 2 }] }
			})
		]);
	});

	it('names the file and line of broken XML and skips unusable objects', async () => {
		await expect(
			readVoc(filesOf({ 'Annotations/1.xml': '<annotation>\n<object>\n</annotation>' }))
		).rejects.toThrow('Annotations/1.xml: line 3: </annotation> does not close <object>');
		const ds = await readVoc(
			filesOf({
				'Annotations/1.xml': xml('1.png', '<object><name>a</name></object>'),
				'JPEGImages/1.png': png(2, 2)
			})
		);
		expect(ds.warnings).toEqual([
			'Annotations/1.xml: object 1: name or bndbox is missing; skipped'
		]);
	});
});
