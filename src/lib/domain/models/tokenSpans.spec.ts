import { describe, expect, it } from 'vitest';
import { alignTokens, tokenSpans, type TokenTag } from './tokenSpans';

/** Tokens in sequence order with their positions (as the pipeline gives them, [CLS] = 0). */
const tags = (...list: [word: string, entity: string, score?: number][]): TokenTag[] =>
	list.map(([word, entity, score = 0.9], i) => ({ word, entity, score, index: i + 1 }));

describe('alignTokens', () => {
	it('finds lowercased, accent-stripped pieces in the original text', () => {
		const text = 'Zoë met BOB in Paris.';
		const offsets = alignTokens(text, ['zoe', 'met', 'bob', 'in', 'paris', '.']);
		expect(offsets.map((o) => o && text.slice(o[0], o[1]))).toEqual([
			'Zoë',
			'met',
			'BOB',
			'in',
			'Paris',
			'.'
		]);
	});

	it('places word pieces and byte-level BPE words', () => {
		const text = 'Bobby  visited\nYorkshire';
		expect(alignTokens(text, ['bob', '##by', 'visited', 'york', '##shire'])).toEqual([
			[0, 3],
			[3, 5],
			[7, 14],
			[15, 19],
			[19, 24]
		]);
		expect(alignTokens('Hi Parisville', ['Hi', ' Paris', 'ville'])).toEqual([
			[0, 2],
			[3, 8],
			[8, 13]
		]);
	});

	it('counts UTF-16 units: astral characters and decomposed accents keep exact offsets', () => {
		const text = '😀 José e\u0301lan';
		const offsets = alignTokens(text, ['jose', 'elan']);
		expect(offsets).toEqual([
			[3, 7],
			[8, 13]
		]);
		expect(offsets.map((o) => o && text.slice(o[0], o[1]))).toEqual(['José', 'e\u0301lan']);
	});

	it('gives null for a token it cannot place, and keeps going', () => {
		expect(alignTokens('a b', ['a', '', 'zzz', 'b'])).toEqual([[0, 1], null, null, [2, 3]]);
	});
});

describe('tokenSpans', () => {
	it('joins B/I tags into entities with exact offsets and mean scores', () => {
		const text = 'Alice Smith lives in London.';
		const spans = tokenSpans(
			text,
			tags(
				['alice', 'B-PER', 0.9],
				['smith', 'I-PER', 0.7],
				['lives', 'O'],
				['in', 'O'],
				['london', 'B-LOC', 0.95],
				['.', 'O']
			)
		);
		expect(spans).toHaveLength(2);
		expect(spans[0]).toMatchObject({ start: 0, end: 11, label: 'PER', text: 'Alice Smith' });
		expect(spans[0]?.score).toBeCloseTo(0.8, 10);
		expect(spans[1]).toEqual({ start: 21, end: 27, label: 'LOC', score: 0.95, text: 'London' });
	});

	it('B after B of the same type starts a new entity; I after O starts one (IOB1)', () => {
		const text = 'Alice Bob met Carol';
		const spans = tokenSpans(
			text,
			tags(['alice', 'B-PER'], ['bob', 'B-PER'], ['met', 'O'], ['carol', 'I-PER'])
		);
		expect(spans.map((s) => s.text)).toEqual(['Alice', 'Bob', 'Carol']);
	});

	it('I of another type does not continue an entity', () => {
		const spans = tokenSpans('Paris Hilton', tags(['paris', 'B-LOC'], ['hilton', 'I-PER']));
		expect(spans.map((s) => [s.label, s.text])).toEqual([
			['LOC', 'Paris'],
			['PER', 'Hilton']
		]);
	});

	it('word pieces belong to their word: the first piece labels it, disagreeing pieces lower the score', () => {
		const text = 'Bobby went to Yorkshire';
		const spans = tokenSpans(
			text,
			tags(
				['bob', 'B-PER', 0.9],
				['##by', 'O', 0.6],
				['went', 'O'],
				['to', 'O'],
				['york', 'B-LOC', 0.8],
				['##shire', 'I-LOC', 1]
			)
		);
		expect(spans.map((s) => [s.label, s.text, s.start, s.end])).toEqual([
			['PER', 'Bobby', 0, 5],
			['LOC', 'Yorkshire', 14, 23]
		]);
		expect(spans[0]?.score).toBeCloseTo((0.9 + 0.4) / 2, 10);
		expect(spans[1]?.score).toBeCloseTo(0.9, 10);
	});

	it('a word piece tagged B does not split its word', () => {
		const spans = tokenSpans('Bobby', tags(['bob', 'B-PER'], ['##by', 'B-PER']));
		expect(spans.map((s) => s.text)).toEqual(['Bobby']);
	});

	it('byte-level BPE pieces that touch letter to letter form one word', () => {
		const spans = tokenSpans(
			'I saw Parisville today',
			tags(['I', 'O'], [' saw', 'O'], [' Paris', 'B-LOC'], ['ville', 'I-LOC'], [' today', 'O'])
		);
		expect(spans.map((s) => s.text)).toEqual(['Parisville']);
	});

	it('characters of scripts without spaces stay separate words', () => {
		const text = '张三去北京';
		const spans = tokenSpans(
			text,
			tags(['张', 'B-PER'], ['三', 'I-PER'], ['去', 'O'], ['北', 'B-LOC'], ['京', 'I-LOC'])
		);
		expect(spans.map((s) => [s.label, s.text, s.start, s.end])).toEqual([
			['PER', '张三', 0, 2],
			['LOC', '北京', 3, 5]
		]);
	});

	it('handles E- and S- tags (BIOES) and bare types', () => {
		const text = 'New York and Rome and Bob';
		const spans = tokenSpans(
			text,
			tags(
				['new', 'B-LOC'],
				['york', 'E-LOC'],
				['and', 'O'],
				['rome', 'S-LOC'],
				['and', 'O'],
				['bob', 'PER']
			)
		);
		expect(spans.map((s) => [s.label, s.text])).toEqual([
			['LOC', 'New York'],
			['LOC', 'Rome'],
			['PER', 'Bob']
		]);
	});

	it('a gap in token positions (a dropped O or unknown token) ends an entity', () => {
		const text = 'Alice x Smith';
		const spans = tokenSpans(text, [
			{ word: 'alice', entity: 'B-PER', score: 0.9, index: 1 },
			{ word: 'smith', entity: 'I-PER', score: 0.9, index: 3 }
		]);
		expect(spans.map((s) => s.text)).toEqual(['Alice', 'Smith']);
	});

	it('returns no spans for an all-O text or no tokens', () => {
		expect(tokenSpans('the day', tags(['the', 'O'], ['day', 'O']))).toEqual([]);
		expect(tokenSpans('', [])).toEqual([]);
	});

	it('every span is exactly text.slice(start, end)', () => {
		const text = '  Élodie   visited  SÃO PAULO! ';
		const spans = tokenSpans(
			text,
			tags(['elodie', 'B-PER'], ['visited', 'O'], ['sao', 'B-LOC'], ['paulo', 'I-LOC'], ['!', 'O'])
		);
		expect(spans.map((s) => s.text)).toEqual(['Élodie', 'SÃO PAULO']);
		for (const s of spans) expect(text.slice(s.start, s.end)).toBe(s.text);
	});
});
