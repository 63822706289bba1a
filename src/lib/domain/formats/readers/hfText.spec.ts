import { describe, expect, it } from 'vitest';
import { readHfText } from './hfText';
import { filesOf } from './testFiles';

const tagMap = JSON.stringify({
	id2label: { '0': 'O', '1': 'B-PER', '2': 'I-PER', '3': 'B-LOC', '4': 'I-LOC' },
	label2id: {}
});

describe('readHfText', () => {
	it('rebuilds token-classification texts and spans from BIO tag ids', async () => {
		const ds = await readHfText(
			filesOf({
				'label_map.json': tagMap,
				'data/train-00000-of-00002.jsonl':
					'{"id": "7", "tokens": ["Ada", "Lovelace", "in", "London"], "ner_tags": [1, 2, 0, 3]}\n',
				'data/train-00001-of-00002.jsonl': '{"id": "8", "tokens": ["x"], "ner_tags": [4]}\n',
				'data/test.jsonl':
					'{"id": "9", "tokens": ["a"], "ner_tags": [9]}\n{"tokens": ["a", "b"], "ner_tags": [0]}\nnot json\n'
			})
		);
		expect(ds.format).toBe('hf-token-classification');
		expect(ds.taskKind).toBe('named-entities');
		expect(ds.classes).toEqual(['PER', 'LOC']);
		expect(ds.records.map((r) => [r.name, r.split, r.text])).toEqual([
			['data/train-00000-of-00002.jsonl#7', 'train', 'Ada Lovelace in London'],
			['data/train-00001-of-00002.jsonl#8', 'train', 'x']
		]);
		expect(ds.records[0]?.label).toEqual({
			type: 'spans',
			spans: [
				{ id: 'T1', name: 'PER', start: 0, end: 12 },
				{ id: 'T2', name: 'LOC', start: 16, end: 22 }
			],
			relations: []
		});
		const warnings = ds.warnings.join('\n');
		expect(warnings).toMatch(/data\/test\.jsonl: line 1: ner_tags\[0\]: tag id 9 is not in/);
		expect(warnings).toMatch(/data\/test\.jsonl: line 2: ner_tags: 1 tags for 2 tokens/);
		expect(warnings).toMatch(/data\/test\.jsonl: line 3: invalid JSON/);
		expect(warnings).toMatch(/I- after O .*data\/train-00001-of-00002\.jsonl line 1/);
	});

	it('reads text classification, single- and multi-label', async () => {
		const map = JSON.stringify({ id2label: { '0': 'pos', '1': 'neg' } });
		const single = await readHfText(
			filesOf({
				'label_map.json': map,
				'data/validation.jsonl':
					'{"id": "1", "text": "good", "label": 0}\n{"id": "2", "text": "?", "label": 5}\n'
			})
		);
		expect(single).toMatchObject({
			format: 'hf-text-classification',
			multiLabel: false,
			classes: ['pos', 'neg']
		});
		expect(single.records.map((r) => [r.split, r.text, r.label])).toEqual([
			['validation', 'good', { type: 'classes', names: ['pos'] }],
			['validation', '?', null]
		]);
		expect(single.warnings[0]).toMatch(/1 class id not in label_map\.json .*line 2/);
		const multi = await readHfText(
			filesOf({
				'label_map.json': map,
				'data/train.jsonl':
					'{"id": "1", "text": "a", "labels": [1, 0]}\n{"id": "2", "text": "b", "labels": []}\n'
			})
		);
		expect(multi.multiLabel).toBe(true);
		expect(multi.records.map((r) => r.label)).toEqual([
			{ type: 'classes', names: ['neg', 'pos'] },
			{ type: 'classes', names: [] }
		]);
	});

	it('throws naming the file and key or line', async () => {
		await expect(
			readHfText(filesOf({ 'label_map.json': '{"id2label": {"1": "x"}}', 'data/train.jsonl': '' }))
		).rejects.toThrow('label_map.json: id2label: class id 0 is missing');
		await expect(
			readHfText(filesOf({ 'label_map.json': '{"id2label": []}', 'data/train.jsonl': '' }))
		).rejects.toThrow(/^label_map\.json: id2label: /);
		await expect(
			readHfText(
				filesOf({
					'label_map.json': '{"id2label": {"0": "x"}}',
					'data/train.jsonl': '{"text": 3}\n'
				})
			)
		).rejects.toThrow(/^data\/train\.jsonl: line 1: text: /);
	});
});
