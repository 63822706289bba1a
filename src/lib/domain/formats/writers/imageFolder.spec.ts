import { describe, expect, it } from 'vitest';
import { text } from '../fixtures';
import { parseDelimited } from '../../import/delimited';
import { imageFolderFormat } from './imageFolder';
import {
	detectionSnapshot,
	imageTask,
	multiLabelSnapshot,
	singleLabelSnapshot,
	writeAll
} from './imageFixtures';

const FOLDERS = ['00_zebra', '01_ant', '02_a_b_c_'];

describe('imageFolderFormat', () => {
	it('puts each image under <split>/<class folder>/, folders sorting in class order', async () => {
		const snapshot = singleLabelSnapshot();
		const files = await writeAll(imageFolderFormat, snapshot);
		const images = [...files.keys()].filter((p) => p.endsWith('.png'));
		expect(images).toEqual([
			'train/00_zebra/000001_Zebra_1.png',
			'train/01_ant/000002_ant.png',
			'train/02_a_b_c_/000003_odd.png',
			'validation/00_zebra/000005_zebra2.png',
			'validation/02_a_b_c_/000006_odd2.png',
			'test/01_ant/000007_ant2.png'
		]);
		expect([...FOLDERS].sort()).toEqual(FOLDERS);
		const stored = await snapshot.readBytes(snapshot.records[1]!.item);
		expect(files.get('train/01_ant/000002_ant.png')).toEqual(stored);
	});

	it('describes classes, counts and missing classes per split in dataset_info.json', async () => {
		const files = await writeAll(imageFolderFormat, singleLabelSnapshot());
		const info = JSON.parse(text(files.get('dataset_info.json')));
		expect(info.classes).toEqual([
			{ index: 0, name: 'zebra', folder: '00_zebra' },
			{ index: 1, name: 'ant', folder: '01_ant' },
			{ index: 2, name: 'a<b&"c"', folder: '02_a_b_c_' }
		]);
		expect(Object.keys(info.splits)).toEqual(['train', 'validation', 'test']);
		expect(info.splits.train).toEqual({
			images: 3,
			per_class: { '00_zebra': 1, '01_ant': 1, '02_a_b_c_': 1 },
			missing_classes: []
		});
		expect(info.splits.validation.missing_classes).toEqual(['01_ant']);
		expect(info.splits.test.missing_classes).toEqual(['00_zebra', '02_a_b_c_']);
		expect(info.skipped_without_class).toBe(2);
		expect(info.project).toBe('Fixture project');
		expect(info.created_at).toBe(new Date(1_700_000_200_000).toISOString());
		expect(text(files.get('load_dataset.py'))).toContain('class_names=FOLDERS');
		const readme = text(files.get('README.md'));
		expect(readme).toContain('`validation`, `test` lack some classes');
	});

	it('only emits splits that have images', async () => {
		const snapshot = singleLabelSnapshot();
		const onlyTrain = { ...snapshot, records: snapshot.records.filter((r) => r.split === 'train') };
		const files = await writeAll(imageFolderFormat, onlyTrain);
		expect([...files.keys()].some((p) => /^(validation|test)\//.test(p))).toBe(false);
		expect(Object.keys(JSON.parse(text(files.get('dataset_info.json'))).splits)).toEqual(['train']);
	});

	it('is deterministic', async () => {
		const a = await writeAll(imageFolderFormat, singleLabelSnapshot({ includeMetadata: true }));
		const b = await writeAll(imageFolderFormat, singleLabelSnapshot({ includeMetadata: true }));
		expect([...a.keys()]).toEqual([...b.keys()]);
		for (const [path, bytes] of a) expect(b.get(path), path).toEqual(bytes);
	});

	it('writes metadata.csv only when metadata or scores are asked for', async () => {
		expect((await writeAll(imageFolderFormat, singleLabelSnapshot())).has('metadata.csv')).toBe(
			false
		);
		const files = await writeAll(
			imageFolderFormat,
			singleLabelSnapshot({ includeMetadata: true, includeScores: true })
		);
		const table = parseDelimited(text(files.get('metadata.csv')), ',');
		expect(table.errors).toEqual([]);
		expect(table.columns).toEqual([
			'file',
			'split',
			'name',
			'sha256',
			'status',
			'source',
			'reviewer',
			'updated_at',
			'score',
			'level'
		]);
		expect(table.rows).toHaveLength(6);
		expect(table.rows[2]!.fields).toMatchObject({
			file: 'train/02_a_b_c_/000003_odd.png',
			name: 'odd.png',
			reviewer: 'ana',
			score: '0.7'
		});
	});

	it('refuses multi-label and detection tasks', async () => {
		await expect(writeAll(imageFolderFormat, multiLabelSnapshot())).rejects.toThrow(/one class/);
		await expect(writeAll(imageFolderFormat, detectionSnapshot())).rejects.toThrow(
			/object-detection/
		);
		expect(imageTask('image-classification').classes).toHaveLength(3);
	});
});
