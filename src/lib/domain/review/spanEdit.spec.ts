import { describe, expect, it } from 'vitest';
import type { LabelClass, LabelTask } from '../schemas/project';
import {
	addRelation,
	addSpan,
	adjacentWord,
	extendByWord,
	IMPLICIT_ENTITY_CLASS,
	relationClassesFor,
	removeRelation,
	removeSpan,
	segments,
	setSpanClass,
	spanClassesFor,
	spanLanes,
	trimRange,
	wordRangeAt,
	words,
	type Span,
	type SpanValue
} from './spanEdit';

const TEXT = 'Alice works at Acme Corp in Paris.';
const empty = (): SpanValue => ({ spans: [], relations: [] });
const span = (id: string, start: number, end: number, classId = 'per'): Span => ({
	id,
	classId,
	start,
	end
});

describe('addSpan', () => {
	it('trims whitespace, gives a fresh id and keeps spans sorted', () => {
		const a = addSpan(empty(), TEXT, 14, 24, 'org');
		expect(a).toEqual({
			value: { spans: [span('s1', 15, 24, 'org')], relations: [] },
			id: 's1',
			added: true
		});
		const b = addSpan(a!.value, TEXT, 0, 5, 'per');
		expect(b?.id).toBe('s2');
		expect(b?.value.spans.map((s) => s.id)).toEqual(['s2', 's1']);
	});

	it('orders reversed ranges and clamps them to the text', () => {
		const r = addSpan(empty(), TEXT, 33, 28, 'loc');
		expect(r?.value.spans[0]).toMatchObject({ start: 28, end: 33 });
		expect(addSpan(empty(), 'abc', -4, 99, 'x')?.value.spans[0]).toMatchObject({
			start: 0,
			end: 3
		});
	});

	it('refuses an empty or whitespace-only range', () => {
		expect(addSpan(empty(), TEXT, 3, 3, 'per')).toBeNull();
		expect(addSpan(empty(), TEXT, 5, 6, 'per')).toBeNull();
	});

	it('does not duplicate an identical range and class, but allows another class', () => {
		const first = addSpan(empty(), TEXT, 0, 5, 'per')!;
		const again = addSpan(first.value, TEXT, 0, 6, 'per')!;
		expect(again).toEqual({ value: first.value, id: 's1', added: false });
		const other = addSpan(first.value, TEXT, 0, 5, 'org')!;
		expect(other.added).toBe(true);
		expect(other.value.spans).toHaveLength(2);
	});

	it('picks an id not used yet, whatever the existing ids look like', () => {
		const value = { spans: [span('s7', 0, 5), span('x', 6, 11)], relations: [] };
		expect(addSpan(value, TEXT, 15, 19, 'org')?.id).toBe('s8');
		const odd = { spans: [span('s2', 0, 5), span('s1', 6, 11)], relations: [] };
		expect(addSpan(odd, TEXT, 15, 19, 'org')?.id).toBe('s3');
	});

	it('keeps extra fields such as the annotation type', () => {
		const value = { type: 'spans' as const, spans: [], relations: [] };
		expect(addSpan(value, TEXT, 0, 5, 'per')?.value.type).toBe('spans');
	});
});

describe('removeSpan / setSpanClass', () => {
	const value: SpanValue = {
		spans: [span('s1', 0, 5), span('s2', 15, 24, 'org'), span('s3', 28, 33, 'loc')],
		relations: [
			{ head: 's1', tail: 's2', classId: 'works_at' },
			{ head: 's2', tail: 's3', classId: 'located_in' }
		]
	};

	it('drops the span and the relations that use it', () => {
		const out = removeSpan(value, 's2');
		expect(out.spans.map((s) => s.id)).toEqual(['s1', 's3']);
		expect(out.relations).toEqual([]);
		expect(removeSpan(value, 'nope')).toBe(value);
	});

	it('changes the class', () => {
		const out = setSpanClass(value, 's3', 'gpe');
		expect(out.spans[2]).toEqual(span('s3', 28, 33, 'gpe'));
		expect(out.relations).toBe(value.relations);
		expect(setSpanClass(value, 's3', 'loc')).toBe(value);
		expect(setSpanClass(value, 'nope', 'loc')).toBe(value);
	});

	it('merges into an identical span, moving its relations', () => {
		const v: SpanValue = {
			spans: [span('s1', 0, 5, 'per'), span('s2', 0, 5, 'org'), span('s3', 15, 24, 'org')],
			relations: [
				{ head: 's2', tail: 's3', classId: 'r' },
				{ head: 's1', tail: 's3', classId: 'r' },
				{ head: 's2', tail: 's1', classId: 'r' }
			]
		};
		const out = setSpanClass(v, 's2', 'per');
		expect(out.spans.map((s) => s.id)).toEqual(['s1', 's3']);
		expect(out.relations).toEqual([{ head: 's1', tail: 's3', classId: 'r' }]);
	});
});

describe('relations', () => {
	const value: SpanValue = { spans: [span('s1', 0, 5), span('s2', 15, 24, 'org')], relations: [] };

	it('adds a directed relation once', () => {
		const one = addRelation(value, 's1', 's2', 'works_at');
		expect(one.relations).toEqual([{ head: 's1', tail: 's2', classId: 'works_at' }]);
		expect(addRelation(one, 's1', 's2', 'works_at')).toBe(one);
		expect(addRelation(one, 's2', 's1', 'works_at').relations).toHaveLength(2);
		expect(addRelation(one, 's1', 's2', 'founded').relations).toHaveLength(2);
	});

	it('refuses self-relations and unknown spans', () => {
		expect(addRelation(value, 's1', 's1', 'r')).toBe(value);
		expect(addRelation(value, 's1', 's9', 'r')).toBe(value);
	});

	it('removes a relation', () => {
		const one = addRelation(value, 's1', 's2', 'works_at');
		expect(removeRelation(one, { head: 's1', tail: 's2', classId: 'works_at' }).relations).toEqual(
			[]
		);
		expect(removeRelation(one, { head: 's2', tail: 's1', classId: 'works_at' })).toBe(one);
	});
});

describe('segments', () => {
	it('covers the whole text with plain and labelled pieces', () => {
		const segs = segments(TEXT, [span('a', 0, 5), span('b', 15, 24)]);
		expect(segs.map((s) => s.text).join('')).toBe(TEXT);
		expect(segs.map((s) => [s.text, s.spanIds])).toEqual([
			['Alice', ['a']],
			[' works at ', []],
			['Acme Corp', ['b']],
			[' in Paris.', []]
		]);
		expect(segs[2]).toMatchObject({ start: 15, end: 24 });
	});

	it('handles nested and crossing spans, outermost first', () => {
		const text = 'New York City';
		const segs = segments(text, [span('in', 4, 8), span('out', 0, 13), span('x', 6, 11)]);
		expect(segs.map((s) => [s.text, s.spanIds])).toEqual([
			['New ', ['out']],
			['Yo', ['out', 'in']],
			['rk', ['out', 'in', 'x']],
			[' Ci', ['out', 'x']],
			['ty', ['out']]
		]);
	});

	it('clamps spans, ignores empty ones and adds extra cuts', () => {
		const segs = segments('abcdef', [span('a', 4, 99), span('e', 2, 2)], [1]);
		expect(segs.map((s) => [s.text, s.spanIds])).toEqual([
			['a', []],
			['bcd', []],
			['ef', ['a']]
		]);
		expect(segments('', [span('a', 0, 3)])).toEqual([]);
	});
});

describe('spanLanes', () => {
	it('gives overlapping spans different lanes and reuses free ones', () => {
		const lanes = spanLanes([
			span('in', 4, 8),
			span('out', 0, 13),
			span('x', 6, 11),
			span('z', 14, 16)
		]);
		expect(Object.fromEntries(lanes)).toEqual({ out: 0, in: 1, x: 2, z: 0 });
	});
});

describe('words', () => {
	it('splits words, keeping inner apostrophes and single symbols', () => {
		const text = "Don't stop, O'Neil — 3.5%";
		expect(words(text).map((w) => text.slice(w.start, w.end))).toEqual([
			"Don't",
			'stop',
			',',
			"O'Neil",
			'—',
			'3',
			'.',
			'5',
			'%'
		]);
	});

	it('finds the word at an offset, the next one in whitespace, the last at the end', () => {
		expect(wordRangeAt(TEXT, 2)).toEqual({ start: 0, end: 5 });
		expect(wordRangeAt(TEXT, 5)).toEqual({ start: 6, end: 11 });
		expect(wordRangeAt(TEXT, 999)).toEqual({ start: 33, end: 34 });
		expect(wordRangeAt('   ', 0)).toBeNull();
	});

	it('steps to the adjacent word, staying at the edges', () => {
		expect(adjacentWord(TEXT, { start: 0, end: 5 }, 'right')).toEqual({ start: 6, end: 11 });
		expect(adjacentWord(TEXT, { start: 6, end: 11 }, 'left')).toEqual({ start: 0, end: 5 });
		expect(adjacentWord(TEXT, { start: 0, end: 5 }, 'left')).toEqual({ start: 0, end: 5 });
		expect(adjacentWord(TEXT, { start: 33, end: 34 }, 'right')).toEqual({ start: 33, end: 34 });
	});

	it('extends a range by a word either way', () => {
		expect(extendByWord('Ada Lovelace wrote', 0, 3, 'right')).toEqual({ start: 0, end: 12 });
		expect(extendByWord('Ada Lovelace wrote', 4, 12, 'left')).toEqual({ start: 0, end: 12 });
		expect(extendByWord('Ada', 0, 3, 'right')).toEqual({ start: 0, end: 3 });
		expect(extendByWord('', 0, 0, 'left')).toEqual({ start: 0, end: 0 });
	});

	it('trims ranges', () => {
		expect(trimRange('  ab  ', 0, 6)).toEqual({ start: 2, end: 4 });
		expect(trimRange('    ', 0, 4)).toEqual({ start: 4, end: 4 });
	});
});

describe('class sources', () => {
	const cls = (id: string): LabelClass => ({
		id,
		name: id.toUpperCase(),
		color: '#123456',
		key: null
	});
	const task = (id: string, kind: LabelTask['kind'], classes: LabelClass[]): LabelTask => ({
		id,
		name: id,
		kind,
		multiLabel: false,
		classes,
		threshold: 0.8,
		productionModelVersionId: null
	});

	it('a relations task takes span classes from the named-entities tasks', () => {
		const ner = task('ner', 'named-entities', [cls('per'), cls('org')]);
		const ner2 = task('ner2', 'named-entities', [cls('org'), cls('loc')]);
		const rel = task('rel', 'relations', [cls('works_at')]);
		expect(spanClassesFor([ner, rel, ner2], rel).map((c) => c.id)).toEqual(['per', 'org', 'loc']);
		expect(spanClassesFor([ner, rel], ner)).toBe(ner.classes);
		expect(relationClassesFor(rel)).toBe(rel.classes);
		expect(relationClassesFor(ner)).toEqual([]);
	});

	it('falls back to one implicit Entity class', () => {
		const rel = task('rel', 'relations', [cls('knows')]);
		expect(spanClassesFor([rel], rel)).toEqual([IMPLICIT_ENTITY_CLASS]);
		expect(spanClassesFor([rel], task('t', 'text-classification', []))).toEqual([]);
	});
});
