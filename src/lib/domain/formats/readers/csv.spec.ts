import { describe, expect, it } from 'vitest';
import { readCsv } from './csv';
import { filesOf, png } from './testFiles';

describe('readCsv', () => {
	it('reads image classification, multi-label with |, repeated rows and classes.txt order', async () => {
		const ds = await readCsv(
			filesOf({
				'classes.txt': 'dog\ncat\n',
				'train.csv':
					'filename,labels\nimages/a.png,cat|dog\nimages/b.png,\n../x.png,cat\nimages/missing.png,cat\n',
				'val.csv': 'filename,labels\nimages/c.png,cat;bird\n',
				'images/a.png': png(2, 2),
				'images/b.png': png(2, 2),
				'images/c.png': png(2, 2)
			})
		);
		expect(ds).toMatchObject({
			format: 'csv',
			taskKind: 'image-classification',
			multiLabel: true,
			classes: ['dog', 'cat', 'bird']
		});
		expect(ds.records.map((r) => [r.name, r.split, r.label])).toEqual([
			['images/a.png', 'train', { type: 'classes', names: ['cat', 'dog'] }],
			['images/b.png', 'train', { type: 'classes', names: [] }],
			['images/c.png', 'validation', { type: 'classes', names: ['cat', 'bird'] }]
		]);
		expect(ds.warnings).toEqual([
			'train.csv: line 4: refused image reference "../x.png" (absolute or outside the dataset)',
			'1 image named in the CSV files is missing from the files'
		]);
	});

	it('reads our detection rows and corner columns', async () => {
		const ours = await readCsv(
			filesOf({
				'test.csv':
					'file,width,height,class,x,y,w,h\nimages/a.png,4,4,cat,1,1,2,2\nimages/a.png,4,4,dog,0,0,1,1\nimages/b.png,4,4,,,,,\n',
				'images/a.png': png(4, 4),
				'images/b.png': png(4, 4)
			})
		);
		expect(ours).toMatchObject({ taskKind: 'object-detection', classes: ['cat', 'dog'] });
		expect(ours.records.map((r) => [r.name, r.split, r.width, r.label])).toEqual([
			[
				'images/a.png',
				'test',
				4,
				{
					type: 'boxes',
					boxes: [
						{ name: 'cat', x: 1, y: 1, w: 2, h: 2 },
						{ name: 'dog', x: 0, y: 0, w: 1, h: 1 }
					]
				}
			],
			['images/b.png', 'test', 4, { type: 'boxes', boxes: [] }]
		]);
		const corners = await readCsv(
			filesOf({
				'b.csv': 'image,label,xmin,ymin,xmax,ymax,split\na.png,cat,1,2,5,6,val\n',
				'a.png': png(8, 8)
			})
		);
		expect(corners.records).toEqual([
			{
				name: 'a.png',
				kind: 'image',
				text: null,
				split: 'validation',
				width: null,
				height: null,
				label: { type: 'boxes', boxes: [{ name: 'cat', x: 1, y: 2, w: 4, h: 4 }] }
			}
		]);
	});

	it('reads text classification (TSV too) and reports ragged rows', async () => {
		const ds = await readCsv(
			filesOf({ 'train.tsv': 'text\tlabel\nhello, you\tgreet\nbye\tbye\tx\nno label\t\n' })
		);
		expect(ds).toMatchObject({
			taskKind: 'text-classification',
			multiLabel: false,
			classes: ['greet']
		});
		expect(ds.records.map((r) => [r.name, r.text, r.label])).toEqual([
			['train.tsv#2', 'hello, you', { type: 'classes', names: ['greet'] }],
			['train.tsv#4', 'no label', null]
		]);
		expect(ds.warnings).toEqual(['train.tsv: line 3: expected 2 fields, found 3']);
	});

	it('reads our span tables with relations', async () => {
		const ds = await readCsv(
			filesOf({
				'train.csv':
					'text_id,span_id,start,end,label,span_text\n1,T1,0,3,PER,Ana\n1,T2,13,17,ORG,Acme\n',
				'train_texts.csv': 'id,text\n1,Ana works at Acme\n',
				'train_relations.csv': 'text_id,head,tail,label\n1,T1,T2,works_for\n'
			})
		);
		expect(ds).toMatchObject({
			taskKind: 'relations',
			classes: ['PER', 'ORG'],
			relationTypes: ['works_for']
		});
		expect(ds.records).toEqual([
			{
				name: 'train_texts.csv#2',
				kind: 'text',
				text: 'Ana works at Acme',
				split: 'train',
				width: null,
				height: null,
				label: {
					type: 'spans',
					spans: [
						{ id: 'T1', name: 'PER', start: 0, end: 3 },
						{ id: 'T2', name: 'ORG', start: 13, end: 17 }
					],
					relations: [{ head: 'T1', tail: 'T2', name: 'works_for' }]
				}
			}
		]);
	});

	it('names the file when no columns fit', async () => {
		await expect(readCsv(filesOf({ 'x.csv': 'a,b\n1,2\n' }))).rejects.toThrow(
			'x.csv: no file or text column with a label column (columns: a, b)'
		);
	});
});
