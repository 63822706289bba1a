import { describe, expect, it } from 'vitest';
import { readImageFolder } from './imageFolder';
import { filesOf, png } from './testFiles';

const info = {
	format: 'imagefolder',
	exported_by: 'ModelShip',
	classes: [
		{ index: 1, name: 'ant', folder: '01_ant' },
		{ index: 0, name: 'zebra', folder: '00_zebra' }
	]
};

describe('readImageFolder', () => {
	it('maps class folders to names in index order, splits from the top folder', async () => {
		const ds = await readImageFolder(
			filesOf({
				'export/dataset_info.json': JSON.stringify(info),
				'export/train/00_zebra/000001_a.png': png(2, 2),
				'export/test/01_ant/000002_b.png': png(2, 2),
				'export/train/99_other/000003_c.png': png(2, 2),
				'export/loose.png': png(2, 2),
				'export/README.md': '# x'
			})
		);
		expect(ds).toMatchObject({
			format: 'imagefolder',
			taskKind: 'image-classification',
			multiLabel: false,
			classes: ['zebra', 'ant']
		});
		expect(ds.records.map((r) => [r.name, r.split, r.label]).sort()).toEqual([
			['export/test/01_ant/000002_b.png', 'test', { type: 'classes', names: ['ant'] }],
			['export/train/00_zebra/000001_a.png', 'train', { type: 'classes', names: ['zebra'] }]
		]);
		expect([...ds.warnings].sort()).toEqual([
			'1 image in train/99_other/, a folder export/dataset_info.json does not list, skipped',
			'1 image outside <split>/<class>/ folders skipped (first: export/loose.png)'
		]);
	});

	it('throws naming the file and key', async () => {
		const files = (value: unknown) =>
			filesOf({ 'dataset_info.json': JSON.stringify(value), 'train/a/1.png': png(1, 1) });
		await expect(
			readImageFolder(files({ format: 'imagefolder', classes: [{ name: 'a' }] }))
		).rejects.toThrow(/^dataset_info\.json: classes\[0\]\.folder: /);
		await expect(
			readImageFolder(
				files({
					format: 'imagefolder',
					classes: [
						{ name: 'a', folder: 'a' },
						{ name: 'b', folder: 'a' }
					]
				})
			)
		).rejects.toThrow('dataset_info.json: classes[1].folder: "a" repeats');
		await expect(readImageFolder(filesOf({ 'cat/1.png': png(1, 1) }))).rejects.toThrow(
			/no dataset_info\.json/
		);
	});
});
