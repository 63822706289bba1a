import { describe, expect, it } from 'vitest';
import { text } from '../fixtures';
import { hfImageFolderFormat } from './hfImageFolder';
import {
	detectionSnapshot,
	multiLabelSnapshot,
	singleLabelSnapshot,
	writeAll
} from './imageFixtures';

const rows = (files: Map<string, Uint8Array>, split: string) =>
	text(files.get(`data/${split}/metadata.jsonl`))
		.trimEnd()
		.split('\n')
		.map((l) => JSON.parse(l));

const frontMatter = (files: Map<string, Uint8Array>) => {
	const card = text(files.get('README.md'));
	expect(card.startsWith('---\n')).toBe(true);
	return card.slice(4, card.indexOf('\n---\n', 4) + 1);
};

describe('hfImageFolderFormat', () => {
	it('single-label: data/<split>/ images with metadata.jsonl naming the class', async () => {
		const files = await writeAll(hfImageFolderFormat, singleLabelSnapshot());
		expect(rows(files, 'train')).toEqual([
			{ file_name: '000001_Zebra_1.png', label: 'zebra' },
			{ file_name: '000002_ant.png', label: 'ant' },
			{ file_name: '000003_odd.png', label: 'a<b&"c"' }
		]);
		expect(rows(files, 'validation').map((r) => r.label)).toEqual(['zebra', 'a<b&"c"']);
		for (const split of ['train', 'validation', 'test'])
			for (const row of rows(files, split))
				expect(files.has(`data/${split}/${row.file_name}`)).toBe(true);
		const yaml = frontMatter(files);
		expect(yaml).toContain(
			'configs:\n- config_name: default\n  data_files:\n  - split: train\n    path: data/train/**\n  - split: validation\n    path: data/validation/**\n  - split: test\n    path: data/test/**\n'
		);
		expect(yaml).toContain(
			'  - name: label\n    dtype:\n      class_label:\n        names:\n          \'0\': "zebra"\n          \'1\': "ant"\n          \'2\': "a<b&\\"c\\""\n'
		);
	});

	it('multi-label: a labels list; detection: COCO-style objects with class indices', async () => {
		const multi = await writeAll(hfImageFolderFormat, multiLabelSnapshot());
		expect(rows(multi, 'train').map((r) => r.labels)).toEqual([['zebra', 'a<b&"c"'], ['ant'], []]);
		expect(frontMatter(multi)).toContain('  - name: labels\n    sequence:\n      class_label:\n');

		const boxes = await writeAll(hfImageFolderFormat, detectionSnapshot());
		expect(rows(boxes, 'train')[1]).toEqual({
			file_name: '000002_two.png',
			objects: { bbox: [[25.4, 10.6, 14.6, 19.4]], categories: [1] }
		});
		expect(rows(boxes, 'train')[2].objects).toEqual({ bbox: [], categories: [] });
		expect(frontMatter(boxes)).toContain('- object-detection');
	});

	it('declares the metadata and score columns it writes, and is deterministic', async () => {
		const options = { includeMetadata: true, includeScores: true };
		const a = await writeAll(hfImageFolderFormat, singleLabelSnapshot(options));
		const row = rows(a, 'train')[2];
		expect(Object.keys(row)).toEqual([
			'file_name',
			'label',
			'name',
			'sha256',
			'status',
			'source',
			'reviewer',
			'updated_at',
			'score',
			'level'
		]);
		const yaml = frontMatter(a);
		for (const key of Object.keys(row).slice(2)) expect(yaml).toContain(`  - name: ${key}\n`);
		expect(yaml).toContain('  - name: score\n    dtype: float64\n');
		const b = await writeAll(hfImageFolderFormat, singleLabelSnapshot(options));
		for (const [path, bytes] of a) expect(b.get(path), path).toEqual(bytes);
	});
});
