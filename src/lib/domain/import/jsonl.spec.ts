import { describe, it, expect } from 'vitest';
import { parseJsonl } from './jsonl';

describe('parseJsonl', () => {
	it('parses one object per line with 1-based lines', () => {
		expect(
			parseJsonl('{"text":"hi","label":"greet"}\n{"text":"bye","label":"farewell"}\n')
		).toEqual({
			columns: ['text', 'label'],
			rows: [
				{ line: 1, fields: { text: 'hi', label: 'greet' } },
				{ line: 2, fields: { text: 'bye', label: 'farewell' } }
			],
			errors: []
		});
	});

	it('collects the union of keys in first-seen order', () => {
		const result = parseJsonl('{"b":1,"a":2}\n{"c":3,"a":4}\n{"d":5}');
		expect(result.columns).toEqual(['b', 'a', 'c', 'd']);
		expect(result.rows.map((r) => r.fields)).toEqual([
			{ b: '1', a: '2' },
			{ c: '3', a: '4' },
			{ d: '5' }
		]);
	});

	it('turns values into strings', () => {
		const result = parseJsonl(
			'{"s":"text","n":1.5,"i":-3,"t":true,"f":false,"z":null,"o":{"k":[1,"x"]},"a":[1,2],"e":""}'
		);
		expect(result.rows[0]?.fields).toEqual({
			s: 'text',
			n: '1.5',
			i: '-3',
			t: 'true',
			f: 'false',
			z: '',
			o: '{"k":[1,"x"]}',
			a: '[1,2]',
			e: ''
		});
	});

	it('keeps newlines and unicode escaped inside strings', () => {
		const result = parseJsonl('{"text":"line 1\\nline 2 \\u00e9 🐱"}');
		expect(result.rows[0]?.fields.text).toBe('line 1\nline 2 é 🐱');
	});

	it('skips blank and whitespace-only lines but keeps counting them', () => {
		const result = parseJsonl('\n{"a":1}\n   \n\t\n{"a":2}\n\n');
		expect(result.rows.map((r) => r.line)).toEqual([2, 5]);
		expect(result.errors).toEqual([]);
	});

	it('handles CRLF line ends and a BOM', () => {
		const result = parseJsonl('\ufeff{"a":"x"}\r\n{"a":"y"}\r\n');
		expect(result.errors).toEqual([]);
		expect(result.rows).toEqual([
			{ line: 1, fields: { a: 'x' } },
			{ line: 2, fields: { a: 'y' } }
		]);
	});

	it('reports syntax errors with their line and keeps the other rows', () => {
		const result = parseJsonl('{"a":1}\n{"a":2,}\n{"a":3}\n{a:4}\n{"a":5}');
		expect(result.rows.map((r) => r.fields.a)).toEqual(['1', '3', '5']);
		expect(result.errors.map((e) => e.line)).toEqual([2, 4]);
		for (const e of result.errors) {
			expect(e.message).toMatch(new RegExp(`^line ${e.line}: invalid JSON \\(.+\\)$`));
		}
	});

	it('reports a truncated last line', () => {
		const result = parseJsonl('{"a":1}\n{"a":"unfinished');
		expect(result.errors).toHaveLength(1);
		expect(result.errors[0]?.message).toMatch(/^line 2: invalid JSON \(/);
	});

	it('keeps error messages short even for a huge bad line', () => {
		const result = parseJsonl(`oops ${'x'.repeat(100_000)}`);
		expect(result.errors[0]?.message.length).toBeLessThan(250);
	});

	it.each([
		['an array', '[1,2]'],
		['a number', '42'],
		['a string', '"text"'],
		['null', 'null'],
		['a boolean', 'true']
	])('rejects %s as not an object', (_name, source) => {
		const result = parseJsonl(`{"a":1}\n\n${source}\n{"a":2}`);
		expect(result.errors).toEqual([{ line: 3, message: 'line 3: expected a JSON object' }]);
		expect(result.rows.map((r) => r.line)).toEqual([1, 4]);
	});

	it('accepts an empty object as a row with no fields', () => {
		expect(parseJsonl('{}')).toEqual({ columns: [], rows: [{ line: 1, fields: {} }], errors: [] });
	});

	it('gives nothing for empty input', () => {
		expect(parseJsonl('')).toEqual({ columns: [], rows: [], errors: [] });
	});

	it('keeps a __proto__ key as an ordinary field', () => {
		const result = parseJsonl('{"__proto__":"x","b":1}');
		expect(result.columns).toEqual(['__proto__', 'b']);
		expect(Object.keys(result.rows[0]?.fields ?? {})).toEqual(['__proto__', 'b']);
		expect(Object.getPrototypeOf(result.rows[0]?.fields)).toBe(Object.prototype);
	});

	it('stops after maxRows rows', () => {
		const text = Array.from({ length: 50 }, (_, i) => `{"i":${i}}`).join('\n');
		const result = parseJsonl(text, { maxRows: 2 });
		expect(result.rows.map((r) => r.fields.i)).toEqual(['0', '1']);
	});
});
