import { describe, expect, it } from 'vitest';
import { text } from '../fixtures';
import { parseDelimited } from '../../import/delimited';
import { imageCsvFormat, imageJsonlFormat } from './imageTable';
import {
	detectionSnapshot,
	multiLabelSnapshot,
	singleLabelSnapshot,
	writeAll
} from './imageFixtures';

const csv = (files: Map<string, Uint8Array>, split: string) => {
	const table = parseDelimited(text(files.get(`${split}.csv`)), ',');
	expect(table.errors).toEqual([]);
	return table;
};
const jsonl = (files: Map<string, Uint8Array>, split: string) =>
	text(files.get(`${split}.jsonl`))
		.trimEnd()
		.split('\n')
		.map((l) => JSON.parse(l));

describe('imageCsvFormat', () => {
	it('single-label: one row per image with the class name, RFC 4180 quoted', async () => {
		const files = await writeAll(imageCsvFormat, singleLabelSnapshot());
		const train = csv(files, 'train');
		expect(train.columns).toEqual(['file', 'width', 'height', 'label']);
		expect(train.rows.map((r) => r.fields)).toEqual([
			{ file: 'images/000001_Zebra_1.png', width: '32', height: '24', label: 'zebra' },
			{ file: 'images/000002_ant.png', width: '40', height: '30', label: 'ant' },
			{ file: 'images/000003_odd.png', width: '20', height: '50', label: 'a<b&"c"' }
		]);
		expect(text(files.get('train.csv'))).toContain(',"a<b&""c"""\r\n');
		expect(text(files.get('classes.txt'))).toBe('zebra\nant\na<b&"c"\n');
		for (const split of ['train', 'validation', 'test'])
			for (const row of csv(files, split).rows) expect(files.has(row.fields.file!)).toBe(true);
		expect([...files.keys()].filter((p) => p.startsWith('images/'))).toHaveLength(6);
	});

	it('multi-label: names joined with ;', async () => {
		const files = await writeAll(imageCsvFormat, multiLabelSnapshot());
		expect(csv(files, 'train').rows.map((r) => r.fields.labels)).toEqual([
			'zebra;a<b&"c"',
			'ant',
			''
		]);
	});

	it('detection: a row per box, an empty row for an image without boxes, extra columns', async () => {
		const files = await writeAll(
			imageCsvFormat,
			detectionSnapshot({ includeScores: true, includeMetadata: true })
		);
		const train = csv(files, 'train');
		expect(train.columns).toEqual([
			'file',
			'width',
			'height',
			'class',
			'x',
			'y',
			'w',
			'h',
			'box_score',
			'name',
			'sha256',
			'status',
			'source',
			'reviewer',
			'updated_at',
			'score',
			'level'
		]);
		expect(
			train.rows.map((r) => [
				r.fields.file,
				r.fields.class,
				r.fields.x,
				r.fields.w,
				r.fields.box_score
			])
		).toEqual([
			['images/000001_one.png', 'zebra', '2', '10', '0.91'],
			['images/000001_one.png', 'a<b&"c"', '0', '32', '0.5'],
			['images/000002_two.png', 'ant', '25.4', '14.6', ''],
			['images/000003_empty.png', '', '', '', '']
		]);
		expect(train.rows[0]!.fields).toMatchObject({ name: 'street/one.png', score: '0.42' });
	});

	it('is deterministic', async () => {
		const a = await writeAll(imageCsvFormat, detectionSnapshot());
		const b = await writeAll(imageCsvFormat, detectionSnapshot());
		for (const [path, bytes] of a) expect(b.get(path), path).toEqual(bytes);
	});
});

describe('imageJsonlFormat', () => {
	it('one object per image: label, labels or boxes', async () => {
		const single = await writeAll(imageJsonlFormat, singleLabelSnapshot());
		expect(jsonl(single, 'validation')).toEqual([
			{ file: 'images/000005_zebra2.png', width: 64, height: 48, label: 'zebra' },
			{ file: 'images/000006_odd2.png', width: 30, height: 30, label: 'a<b&"c"' }
		]);
		const multi = await writeAll(imageJsonlFormat, multiLabelSnapshot());
		expect(jsonl(multi, 'test')[0].labels).toEqual(['zebra', 'ant', 'a<b&"c"']);
		const boxes = await writeAll(imageJsonlFormat, detectionSnapshot({ includeScores: true }));
		expect(jsonl(boxes, 'validation')).toEqual([
			{
				file: 'images/000004_val.png',
				width: 64,
				height: 48,
				boxes: [{ class: 'ant', x: 10.2, y: 12.7, w: 30.5, h: 20.25, score: null }],
				score: null,
				level: null
			}
		]);
		expect(jsonl(boxes, 'train')[2].boxes).toEqual([]);
	});
});
