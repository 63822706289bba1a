import { describe, expect, it } from 'vitest';
import { collect, fixtureSnapshot, text, type FixtureRecord } from '../fixtures';
import { csvRow } from './csv';
import { hfTextClassificationFormat } from './hfText';
import { textCsvFormat, textJsonlFormat } from './textTable';
import { nerRecords, nerTask, relTask, textClassTask } from './textFixtures';
import { PartBuilder, partPath } from './textShared';

/** An independent RFC 4180 reader. */
function parseCsv(s: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < s.length; i++) {
		const c = s[i];
		if (quoted) {
			if (c === '"' && s[i + 1] === '"') {
				field += '"';
				i++;
			} else if (c === '"') quoted = false;
			else field += c;
		} else if (c === '"') quoted = true;
		else if (c === ',') {
			row.push(field);
			field = '';
		} else if (c === '\r' && s[i + 1] === '\n') {
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
			i++;
		} else field += c;
	}
	expect(field).toBe('');
	return rows;
}

const classRecords: FixtureRecord[] = [
	{
		name: 'a.txt',
		text: 'Goal!, said "he"\nnew line',
		value: { type: 'classes', classIds: ['t-sport'] }
	},
	{
		name: 'b.txt',
		text: ' leading space',
		value: { type: 'classes', classIds: ['t-tech', 't-pol'] },
		split: 'test'
	},
	{ name: 'c.txt', text: 'no class', value: { type: 'classes', classIds: [] } },
	{ name: 'd.txt', text: 'gone class', value: { type: 'classes', classIds: ['deleted', 't-pol'] } }
];

describe('csvRow', () => {
	it('quotes only what needs quoting', () => {
		expect(csvRow(['a,b', 3, null, 'say "hi"', 'x\ny', ' pad', 'plain'])).toBe(
			'"a,b",3,,"say ""hi""","x\ny"," pad",plain\r\n'
		);
		expect(parseCsv(csvRow(['a,b', 'q"q', '\r\n']))).toEqual([['a,b', 'q"q', '\r\n']]);
	});
});

describe('text classification tables', () => {
	it('CSV single-label: id,text,label; texts without a class are left out and reported', async () => {
		const files = await collect(
			textCsvFormat.write(fixtureSnapshot(textClassTask(false), classRecords))
		);
		const rows = parseCsv(text(files.get('train.csv')));
		expect(rows).toEqual([
			['id', 'text', 'label'],
			['1', 'Goal!, said "he"\nnew line', 'sport'],
			['4', 'gone class', 'politics, world']
		]);
		expect(parseCsv(text(files.get('test.csv')))[1]).toEqual(['2', ' leading space', 'tech "AI"']);
		expect(text(files.get('warnings.txt'))).toBe('item 3 (c.txt): no known class: left out\n');
	});

	it('CSV multi-label joins names with |, in class order, with metadata', async () => {
		const snap = fixtureSnapshot(textClassTask(true), classRecords, {
			includeMetadata: true,
			includeScores: true
		});
		const rows = parseCsv(text((await collect(textCsvFormat.write(snap))).get('test.csv')));
		expect(rows[0]).toEqual([
			'id',
			'text',
			'labels',
			'name',
			'sha256',
			'status',
			'source',
			'reviewer',
			'updated_at',
			'score',
			'level'
		]);
		expect(rows[1]?.slice(0, 7)).toEqual([
			'2',
			' leading space',
			'politics, world|tech "AI"',
			'b.txt',
			'2'.padStart(64, '0'),
			'approved',
			'human'
		]);
	});

	it('JSONL single and multi', async () => {
		const single = await collect(
			textJsonlFormat.write(fixtureSnapshot(textClassTask(false), classRecords))
		);
		expect(
			text(single.get('train.jsonl'))
				.trim()
				.split('\n')
				.map((l) => JSON.parse(l))
		).toEqual([
			{ id: '1', text: 'Goal!, said "he"\nnew line', label: 'sport' },
			{ id: '4', text: 'gone class', label: 'politics, world' }
		]);
		const multi = await collect(
			textJsonlFormat.write(fixtureSnapshot(textClassTask(true), classRecords))
		);
		expect(
			text(multi.get('train.jsonl'))
				.trim()
				.split('\n')
				.map((l) => JSON.parse(l).labels)
		).toEqual([['sport'], [], ['politics, world']]);
		expect(multi.has('warnings.txt')).toBe(false);
	});

	it('HF text classification: ids, label map and a card with the class names', async () => {
		const files = await collect(
			hfTextClassificationFormat.write(fixtureSnapshot(textClassTask(false), classRecords))
		);
		expect(
			text(files.get('data/train.jsonl'))
				.trim()
				.split('\n')
				.map((l) => JSON.parse(l))
		).toEqual([
			{ id: '1', text: 'Goal!, said "he"\nnew line', label: 0 },
			{ id: '4', text: 'gone class', label: 1 }
		]);
		expect(JSON.parse(text(files.get('label_map.json'))).id2label).toEqual({
			0: 'sport',
			1: 'politics, world',
			2: 'tech "AI"'
		});
		const readme = text(files.get('README.md'));
		expect(readme).toContain(
			'  - name: label\n    class_label:\n      names:\n        "0": "sport"\n        "1": "politics, world"\n        "2": "tech \\"AI\\""'
		);
		expect(readme).toContain('  - name: train\n    num_examples: 2');
		const multi = await collect(
			hfTextClassificationFormat.write(fixtureSnapshot(textClassTask(true), classRecords))
		);
		expect(JSON.parse(text(multi.get('data/test.jsonl'))).labels).toEqual([1, 2]);
		expect(text(multi.get('README.md'))).toContain(
			'  - name: labels\n    sequence:\n      class_label:'
		);
	});
});

describe('span tables', () => {
	const snap = () => fixtureSnapshot(relTask, nerRecords, {}, [nerTask, relTask]);

	it('JSONL: doccano-like spans whose code-point offsets reproduce the text', async () => {
		const files = await collect(textJsonlFormat.write(snap()));
		const rows = text(files.get('validation.jsonl'))
			.trim()
			.split('\n')
			.map(
				(l) =>
					JSON.parse(l) as {
						text: string;
						spans: { id: string; start: number; end: number; label: string }[];
						relations: unknown[];
					}
			);
		const [row] = rows;
		expect(row?.spans.map((s) => Array.from(row.text).slice(s.start, s.end).join(''))).toEqual([
			'Grace Hopper',
			'Remington Rand',
			'New York',
			'.\nShe',
			'NYC'
		]);
		expect(row?.relations).toEqual([
			{ head: 's1', tail: 's2', label: 'works_for' },
			{ head: 's1', tail: 's5', label: 'born in' }
		]);
	});

	it('CSV: spans, texts and relations files per split', async () => {
		const files = await collect(textCsvFormat.write(snap()));
		expect([...files.keys()].filter((p) => p.startsWith('validation'))).toEqual([
			'validation.csv',
			'validation_texts.csv',
			'validation_relations.csv'
		]);
		const spans = parseCsv(text(files.get('train.csv')));
		expect(spans[0]).toEqual(['text_id', 'span_id', 'start', 'end', 'label', 'span_text']);
		expect(spans[1]).toEqual(['1', 's1', '0', '12', 'PER', 'Ada Lovelace']);
		const texts = parseCsv(text(files.get('validation_texts.csv')));
		expect(texts[1]).toEqual(['2', nerRecords[1]?.text]);
		const ner = await collect(textCsvFormat.write(fixtureSnapshot(nerTask, nerRecords)));
		expect(ner.has('train_relations.csv')).toBe(false);
	});

	it('is deterministic', async () => {
		expect(await collect(textCsvFormat.write(snap()))).toEqual(
			await collect(textCsvFormat.write(snap()))
		);
	});
});

describe('parts', () => {
	it('cuts big files into Hub-style shards, each with the header', () => {
		const b = new PartBuilder('h\n', 10);
		for (const x of ['aaaa\n', 'bbbb\n', 'cccc\n']) b.add(x);
		expect(b.finish()).toEqual(['h\naaaa\n', 'h\nbbbb\n', 'h\ncccc\n']);
		expect(new PartBuilder('h\n').finish()).toEqual(['h\n']);
		expect(partPath('train', 'jsonl', 1, 3)).toBe('train-00001-of-00003.jsonl');
		expect(partPath('train', 'jsonl', 0, 1)).toBe('train.jsonl');
	});
});
