import { describe, expect, it } from 'vitest';
import { readRelationsJson, readSpacyJson } from './textJson';
import { filesOf } from './testFiles';

describe('readSpacyJson', () => {
	it('reads entity triples, ents objects, v2 tuples and code-point offsets', async () => {
		const ds = await readSpacyJson(
			filesOf({
				'train.json': JSON.stringify([
					{ text: 'Ana runs', entities: [[0, 3, 'PER']] },
					{ text: '😀 Bob', ents: [{ start: 2, end: 5, label: 'PER' }] },
					['Paris is big', { entities: [[0, 5, 'LOC']] }],
					{ text: 'bad', entities: [[0, 9, 'PER']] }
				]),
				'README.md': '# x'
			})
		);
		expect(ds).toMatchObject({
			format: 'spacy-json',
			taskKind: 'named-entities',
			classes: ['PER', 'LOC']
		});
		expect(
			ds.records.map((r) => [
				r.name,
				r.split,
				r.label?.type === 'spans' && r.label.spans.map((s) => r.text?.slice(s.start, s.end))
			])
		).toEqual([
			['train.json#1', 'train', ['Ana']],
			['train.json#2', 'train', ['Bob']],
			['train.json#3', 'train', ['Paris']],
			['train.json#4', 'train', []]
		]);
		expect(ds.warnings).toEqual([
			'train.json: [3]: entities[0]: offsets 0–9 are outside the text (3 characters); skipped'
		]);
	});

	it('reads textcat cats (≥ 0.5 is a label) and tells multi-label from single', async () => {
		const single = await readSpacyJson(
			filesOf({
				'dev.json': JSON.stringify([
					{ text: 'a', cats: { pos: 1.0, neg: 0.0 } },
					{ text: 'b', cats: { pos: 0.2, neg: 0.7 } }
				])
			})
		);
		expect(single).toMatchObject({
			taskKind: 'text-classification',
			multiLabel: false,
			classes: ['pos', 'neg']
		});
		expect(single.records.map((r) => r.label)).toEqual([
			{ type: 'classes', names: ['pos'] },
			{ type: 'classes', names: ['neg'] }
		]);
		const multi = await readSpacyJson(
			filesOf({ 'x.json': JSON.stringify([{ text: 'a', cats: { a: 1, b: 0.5 } }]) })
		);
		expect(multi.multiLabel).toBe(true);
	});

	it('names the file and key of malformed rows', async () => {
		await expect(readSpacyJson(filesOf({ 'x.json': '{"text": 1}' }))).rejects.toThrow(
			'x.json: expected a list of texts'
		);
		await expect(
			readSpacyJson(filesOf({ 'x.json': '[{"text": "a", "entities": [[0, "1", "X"]]}]' }))
		).rejects.toThrow(/^x\.json: \[0\]: entities\[0\]/);
	});
});

describe('readRelationsJson', () => {
	it('reads entities with ids, relations, and the type order of schema.json', async () => {
		const ds = await readRelationsJson(
			filesOf({
				'schema.json': JSON.stringify({
					entity_types: ['ORG', 'PER'],
					relation_types: ['founded', 'works_for']
				}),
				'validation.json': JSON.stringify([
					{
						id: '7',
						text: 'Ana works at Acme',
						entities: [
							{ id: 'e1', type: 'PER', start: 0, end: 3, text: 'Ana' },
							{ id: 'e2', type: 'ORG', start: 13, end: 17, text: 'Acme' }
						],
						relations: [
							{ head: 'e1', tail: 'e2', type: 'works_for' },
							{ head: 'e1', tail: 'e9', type: 'works_for' }
						]
					}
				])
			})
		);
		expect(ds).toMatchObject({
			format: 'relations-json',
			taskKind: 'relations',
			classes: ['ORG', 'PER'],
			relationTypes: ['founded', 'works_for']
		});
		expect(ds.records[0]).toEqual({
			name: 'validation.json#1',
			kind: 'text',
			text: 'Ana works at Acme',
			split: 'validation',
			width: null,
			height: null,
			label: {
				type: 'spans',
				spans: [
					{ id: 'e1', name: 'PER', start: 0, end: 3 },
					{ id: 'e2', name: 'ORG', start: 13, end: 17 }
				],
				relations: [{ head: 'e1', tail: 'e2', name: 'works_for' }]
			}
		});
		expect(ds.warnings).toEqual([
			'validation.json: [0]: relations[1]: points at an entity id that does not exist; skipped'
		]);
	});
});
