import { describe, expect, it } from 'vitest';
import { readConll } from './conll';
import { filesOf } from './testFiles';

const spansOf = async (text: string, name = 'train.conll') => {
	const ds = await readConll(filesOf({ [name]: text }));
	return {
		ds,
		spans: ds.records.map((r) =>
			r.label?.type === 'spans'
				? r.label.spans.map((s) => `${s.name}:${(r.text ?? '').slice(s.start, s.end)}`)
				: []
		)
	};
};

describe('readConll', () => {
	it('reads BIO documents: tokens joined by spaces, sentences by newlines', async () => {
		const { ds, spans } = await spansOf(
			'-DOCSTART- -X- O O\n\nAna -X- _ B-PER\nMaria -X- _ I-PER\nruns -X- _ O\n\nIn -X- _ O\nNew -X- _ B-LOC\nYork -X- _ I-LOC\n\n-DOCSTART- -X- O O\n\nBob B-PER\n'
		);
		expect(ds).toMatchObject({
			format: 'conll',
			taskKind: 'named-entities',
			classes: ['PER', 'LOC'],
			warnings: []
		});
		expect(ds.records.map((r) => [r.name, r.text, r.split])).toEqual([
			['train.conll#1', 'Ana Maria runs\nIn New York', 'train'],
			['train.conll#2', 'Bob', 'train']
		]);
		expect(ds.records[0]?.label).toEqual({
			type: 'spans',
			spans: [
				{ id: 'T1', name: 'PER', start: 0, end: 9 },
				{ id: 'T2', name: 'LOC', start: 18, end: 26 }
			],
			relations: []
		});
		expect(spans).toEqual([['PER:Ana Maria', 'LOC:New York'], ['PER:Bob']]);
	});

	it('makes one record per sentence without -DOCSTART-, and reads tab columns', async () => {
		const { ds } = await spansOf('A\tB-X\nb\tO\n\nc\tB-X\n', 'eng.testa');
		expect(ds.records.map((r) => [r.name, r.text, r.split])).toEqual([
			['eng.testa#1', 'A b', 'validation'],
			['eng.testa#2', 'c', 'validation']
		]);
	});

	it('reads BILOU and IOBES', async () => {
		expect((await spansOf('a U-X\nb B-Y\nc I-Y\nd L-Y\ne O\n')).spans).toEqual([
			['X:a', 'Y:b c d']
		]);
		expect((await spansOf('a S-X\nb B-Y\nc E-Y\nd S-Y\n')).spans).toEqual([
			['X:a', 'Y:b c', 'Y:d']
		]);
	});

	it('reads IO, merging adjacent tokens of one class, and bare tags', async () => {
		const { ds, spans } = await spansOf('a I-X\nb I-X\nc I-Y\nd O\ne PER\n');
		expect(spans).toEqual([['X:a b', 'Y:c', 'PER:e']]);
		expect(ds.warnings).toEqual([]);
	});

	it('reads I- after O (or another class) in BIO as B-, with a warning', async () => {
		const { ds, spans } = await spansOf('a B-X\nb O\nc I-X\nd I-Y\n');
		expect(spans).toEqual([['X:a', 'X:c', 'Y:d']]);
		expect(ds.warnings).toEqual([
			'2 tags continue an entity that was not begun (I- after O or another class); read as B- (first: train.conll line 3)'
		]);
		const bilou = await spansOf('a L-X\nb U-Y\n');
		expect(bilou.spans).toEqual([['X:a', 'Y:b']]);
		expect(bilou.ds.warnings[0]).toMatch(/^1 tag end an entity that was not begun/);
	});

	it('warns about tokens without a tag and refuses an empty selection', async () => {
		const { ds } = await spansOf('a B-X\nlonely\n');
		expect(ds.warnings).toEqual(['train.conll: line 2: a token without a tag; read as O']);
		await expect(readConll(filesOf({ 'a.csv': '' }))).rejects.toThrow('no CoNLL files');
		expect((await readConll(filesOf({ 'train.txt': 'a B-X\n' }), true)).records).toHaveLength(1);
	});
});
