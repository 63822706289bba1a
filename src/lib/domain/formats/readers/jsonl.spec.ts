import { describe, expect, it } from 'vitest';
import { readJsonl } from './jsonl';
import { filesOf, png } from './testFiles';

describe('readJsonl', () => {
	it('reads doccano span labels and reports malformed lines by number', async () => {
		const ds = await readJsonl(
			filesOf({
				'admin.jsonl': [
					'{"id": 1, "text": "Ana runs", "label": [[0, 3, "PER"]]}',
					'{"id": 2, "text": "oops", "label": [[0, 3, "PER"]]',
					'',
					'{"id": 3, "text": "Bob and Eve", "label": [[0, 3, "PER"], [8, 11, "PER"]]}'
				].join('\n')
			})
		);
		expect(ds).toMatchObject({
			format: 'doccano-jsonl',
			taskKind: 'named-entities',
			classes: ['PER']
		});
		expect(
			ds.records.map((r) => [r.name, r.label?.type === 'spans' ? r.label.spans.length : null])
		).toEqual([
			['admin.jsonl#1', 1],
			['admin.jsonl#4', 2]
		]);
		expect(ds.warnings).toHaveLength(1);
		expect(ds.warnings[0]).toMatch(/^admin\.jsonl: line 2: invalid JSON .*; skipped$/);
	});

	it('reads the doccano relation export', async () => {
		const ds = await readJsonl(
			filesOf({
				'all.jsonl':
					'{"id": 5, "text": "Ana works at Acme", "entities": [{"id": 10, "label": "PER", "start_offset": 0, "end_offset": 3}, {"id": 11, "label": "ORG", "start_offset": 13, "end_offset": 17}], "relations": [{"id": 1, "from_id": 10, "to_id": 11, "type": "works_for"}]}\n'
			})
		);
		expect(ds).toMatchObject({
			taskKind: 'relations',
			classes: ['PER', 'ORG'],
			relationTypes: ['works_for']
		});
		expect(ds.records[0]?.label).toEqual({
			type: 'spans',
			spans: [
				{ id: '10', name: 'PER', start: 0, end: 3 },
				{ id: '11', name: 'ORG', start: 13, end: 17 }
			],
			relations: [{ head: '10', tail: '11', name: 'works_for' }]
		});
	});

	it('reads doccano and text-jsonl classification', async () => {
		const doccano = await readJsonl(
			filesOf({ 'a.jsonl': '{"text": "x", "label": ["pos"]}\n{"text": "y", "label": []}\n' })
		);
		expect(doccano).toMatchObject({
			format: 'doccano-jsonl',
			taskKind: 'text-classification',
			multiLabel: false,
			classes: ['pos']
		});
		expect(doccano.records.map((r) => r.label)).toEqual([
			{ type: 'classes', names: ['pos'] },
			null
		]);
		const ours = await readJsonl(
			filesOf({ 'test.jsonl': '{"id": "1", "text": "x", "labels": ["a", "b"]}\n' })
		);
		expect(ours).toMatchObject({ format: 'text-jsonl', multiLabel: true, classes: ['a', 'b'] });
		expect(ours.records[0]?.split).toBe('test');
		const single = await readJsonl(
			filesOf({ 'test.jsonl': '{"id": "1", "text": "x", "label": "pos"}\n' })
		);
		expect(single.records[0]?.label).toEqual({ type: 'classes', names: ['pos'] });
	});

	it('reads image rows and refuses unsafe file references', async () => {
		const ds = await readJsonl(
			filesOf({
				'train.jsonl':
					'{"file": "images/a.png", "width": 4, "height": 4, "boxes": [{"class": "cat", "x": 1, "y": 1, "w": 2, "h": 2}]}\n{"file": "/etc/passwd", "boxes": []}\n',
				'images/a.png': png(4, 4)
			})
		);
		expect(ds).toMatchObject({
			format: 'image-jsonl',
			taskKind: 'object-detection',
			classes: ['cat']
		});
		expect(ds.records).toEqual([
			{
				name: 'images/a.png',
				kind: 'image',
				text: null,
				split: 'train',
				width: 4,
				height: 4,
				label: { type: 'boxes', boxes: [{ name: 'cat', x: 1, y: 1, w: 2, h: 2 }] }
			}
		]);
		expect(ds.warnings).toEqual([
			'train.jsonl: line 2: refused image reference "/etc/passwd" (absolute or outside the dataset)'
		]);
	});

	it('throws the first error when no line can be read', async () => {
		await expect(readJsonl(filesOf({ 'a.jsonl': '{"label": ["x"]}\n' }))).rejects.toThrow(
			'a.jsonl: line 1: text is missing'
		);
	});
});
