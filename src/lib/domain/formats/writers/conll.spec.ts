import { describe, expect, it } from 'vitest';
import { collect, fixtureSnapshot, text } from '../fixtures';
import { isValidSequence } from './bioTags';
import { conllFormat, DOCSTART } from './conll';
import { hfTokenClassificationFormat } from './hfText';
import { nerRecords, nerTask, relTask } from './textFixtures';
import type { TagScheme } from '../snapshot';

type Sentence = string[][];

/** Documents → sentences → [token, tag] from a CoNLL file, parsed independently. */
function parseConll(file: string): Sentence[][] {
	const docs: Sentence[][] = [];
	let sentence: Sentence = [];
	const flush = () => {
		if (sentence.length) docs[docs.length - 1]?.push(sentence);
		sentence = [];
	};
	for (const line of file.split('\n')) {
		if (line === DOCSTART) {
			flush();
			docs.push([]);
		} else if (line === '') flush();
		else {
			const cols = line.split(' ');
			expect(cols).toHaveLength(4);
			expect(cols.slice(1, 3)).toEqual(['-X-', '_']);
			sentence.push([cols[0] as string, cols[3] as string]);
		}
	}
	flush();
	return docs;
}

describe('conllFormat', () => {
	it.each(['BIO', 'BILOU', 'IO'] as TagScheme[])(
		'writes valid %s documents per split',
		async (tagScheme) => {
			const snap = fixtureSnapshot(nerTask, nerRecords, { tagScheme, format: 'conll' });
			const files = await collect(conllFormat.write(snap));
			expect([...files.keys()].sort()).toEqual([
				'labels.txt',
				'test.conll',
				'train.conll',
				'validation.conll',
				'warnings.txt'
			]);
			const labels = text(files.get('labels.txt')).trim().split('\n');
			expect(labels[0]).toBe('O');
			expect(labels).toContain(tagScheme === 'IO' ? 'I-Org_name' : 'B-Org_name');
			const train = text(files.get('train.conll'));
			expect(train.startsWith(`${DOCSTART}\n\n`)).toBe(true);
			const docs = parseConll(train);
			expect(docs).toHaveLength(3);
			for (const file of ['train.conll', 'validation.conll', 'test.conll'])
				for (const doc of parseConll(text(files.get(file))))
					for (const sentence of doc) {
						const tags = sentence.map((t) => t[1] as string);
						expect(isValidSequence(tags, tagScheme)).toBe(true);
						for (const t of tags) expect(labels).toContain(t);
					}
			// Document 1: Ada Lovelace … London.
			const first = (docs[0] as Sentence[])[0] as Sentence;
			expect(first.map((t) => t[0])).toEqual([
				'Ada',
				'Lovelace',
				'was',
				'born',
				'in',
				'London',
				'.'
			]);
			if (tagScheme === 'BILOU')
				expect(first.map((t) => t[1])).toEqual(['B-PER', 'L-PER', 'O', 'O', 'O', 'U-LOC', 'O']);
			// Overlap in e.txt: the longer ORG span wins, the LOC and the unknown class are reported.
			const overlap = (docs[2] as Sentence[])[0] as Sentence;
			expect(overlap.find((t) => t[0] === 'New')?.[1]).toMatch(/-Org_name$/);
			expect(text(files.get('warnings.txt'))).toMatch(
				/item 5 \(e\.txt\): 1 overlapping span left out/
			);
		}
	);

	it('splits sentences at line breaks, restarting an entity that crosses one', async () => {
		const snap = fixtureSnapshot(nerTask, nerRecords, { format: 'conll' });
		const files = await collect(conllFormat.write(snap));
		const [doc] = parseConll(text(files.get('validation.conll')));
		expect(doc).toHaveLength(2);
		const [s1, s2] = doc as Sentence[];
		expect((s1 as Sentence).slice(-1)[0]).toEqual(['.', 'B-LOC']);
		expect((s2 as Sentence)[0]).toEqual(['She', 'B-LOC']);
		expect((s1 as Sentence).find((t) => t[0] === '👩‍💻')).toEqual(['👩‍💻', 'O']);
	});

	it('cuts CJK tokens at span edges and is deterministic', async () => {
		const snap = fixtureSnapshot(nerTask, nerRecords, { format: 'conll' });
		const a = await collect(conllFormat.write(snap));
		const b = await collect(conllFormat.write(snap));
		expect(a).toEqual(b);
		const [doc] = parseConll(text(a.get('test.conll')));
		const tokens = (doc as Sentence[]).flat();
		expect(tokens.slice(0, 2)).toEqual([
			['東', 'B-LOC'],
			['京', 'I-LOC']
		]);
		expect(tokens).toContainEqual(['田', 'B-PER']);
		expect(tokens).toContainEqual(['Zoë', 'B-PER']);
	});

	it('writes an empty document for a text with no tokens', async () => {
		const snap = fixtureSnapshot(nerTask, [
			{ name: 'x', text: '  \n ', value: { type: 'spans', spans: [], relations: [] } }
		]);
		const files = await collect(conllFormat.write(snap));
		expect(text(files.get('train.conll'))).toBe(`${DOCSTART}\n\n`);
		expect(files.has('warnings.txt')).toBe(false);
	});
});

describe('hfTokenClassificationFormat', () => {
	it('writes JSONL rows whose ner_tags map through label_map to valid BIO', async () => {
		const snap = fixtureSnapshot(nerTask, nerRecords, {
			format: 'hf-token-classification',
			includeMetadata: true
		});
		const files = await collect(hfTokenClassificationFormat.write(snap));
		expect([...files.keys()].sort()).toEqual([
			'README.md',
			'data/test.jsonl',
			'data/train.jsonl',
			'data/validation.jsonl',
			'label_map.json',
			'warnings.txt'
		]);
		const map = JSON.parse(text(files.get('label_map.json'))) as {
			id2label: Record<string, string>;
			label2id: Record<string, number>;
		};
		expect(map.id2label).toEqual({
			0: 'O',
			1: 'B-PER',
			2: 'I-PER',
			3: 'B-LOC',
			4: 'I-LOC',
			5: 'B-Org_name',
			6: 'I-Org_name'
		});
		for (const [k, v] of Object.entries(map.id2label)) expect(map.label2id[v]).toBe(Number(k));
		const rows = text(files.get('data/train.jsonl'))
			.trim()
			.split('\n')
			.map(
				(l) =>
					JSON.parse(l) as {
						id: string;
						tokens: string[];
						ner_tags: number[];
						name: string;
						sha256: string;
					}
			);
		expect(rows.map((r) => r.id)).toEqual(['1', '4', '5']);
		expect(rows[0]?.tokens).toEqual(['Ada', 'Lovelace', 'was', 'born', 'in', 'London', '.']);
		expect(rows[0]?.ner_tags).toEqual([1, 2, 0, 0, 0, 3, 0]);
		expect(rows[0]?.name).toBe('docs/a.txt');
		for (const r of rows) {
			expect(r.tokens).toHaveLength(r.ner_tags.length);
			expect(
				isValidSequence(
					r.ner_tags.map((t) => map.id2label[t] as string),
					'BIO'
				)
			).toBe(true);
		}
		const readme = text(files.get('README.md'));
		expect(readme).toContain('  - split: validation\n    path: data/validation.jsonl');
		expect(readme).toContain(
			'  - name: ner_tags\n    sequence:\n      class_label:\n        names:\n          "0": "O"\n          "1": "B-PER"'
		);
		expect(readme).toContain('  - name: sha256\n    dtype: string');
	});

	it('reads entity types from the named-entities task when exporting a relations task', async () => {
		const snap = fixtureSnapshot(relTask, nerRecords.slice(0, 1), {}, [nerTask, relTask]);
		const files = await collect(hfTokenClassificationFormat.write(snap));
		const row = JSON.parse(text(files.get('data/train.jsonl'))) as { ner_tags: number[] };
		expect(row.ner_tags).toEqual([1, 2, 0, 0, 0, 3, 0]);
	});
});
