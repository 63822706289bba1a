import { describe, it, expect } from 'vitest';
import { delimiterFor, parseDelimited } from './delimited';

const csv = (text: string, maxRows?: number) =>
	parseDelimited(text, ',', maxRows === undefined ? undefined : { maxRows });

describe('parseDelimited', () => {
	it('parses a header and rows keyed by column', () => {
		expect(csv('text,label\nhello,greet\nbye,farewell\n')).toEqual({
			columns: ['text', 'label'],
			rows: [
				{ line: 2, fields: { text: 'hello', label: 'greet' } },
				{ line: 3, fields: { text: 'bye', label: 'farewell' } }
			],
			errors: []
		});
	});

	it('parses the last record without a trailing newline', () => {
		expect(csv('a,b\n1,2').rows).toEqual([{ line: 2, fields: { a: '1', b: '2' } }]);
	});

	it('keeps delimiters, newlines and "" escapes inside quoted fields', () => {
		const result = csv('text,label\n"Hi, you",x\n"she said ""no""",y\n"""",z\n"",w\n');
		expect(result.errors).toEqual([]);
		expect(result.rows.map((r) => r.fields.text)).toEqual(['Hi, you', 'she said "no"', '"', '']);
	});

	it('keeps embedded LF, CRLF and CR inside quotes and reports the starting line', () => {
		const result = csv('text,label\n"one\ntwo",a\n"three\r\nfour",b\n"five\rsix",c\nlast,d\n');
		expect(result.errors).toEqual([]);
		expect(result.rows).toEqual([
			{ line: 2, fields: { text: 'one\ntwo', label: 'a' } },
			{ line: 4, fields: { text: 'three\r\nfour', label: 'b' } },
			{ line: 6, fields: { text: 'five\rsix', label: 'c' } },
			{ line: 8, fields: { text: 'last', label: 'd' } }
		]);
	});

	it('accepts CRLF and lone-CR line ends', () => {
		const expected = [
			{ line: 2, fields: { a: '1', b: '2' } },
			{ line: 3, fields: { a: '3', b: '4' } }
		];
		expect(csv('a,b\r\n1,2\r\n3,4\r\n').rows).toEqual(expected);
		expect(csv('a,b\r1,2\r3,4\r').rows).toEqual(expected);
	});

	it('trims a leading BOM and whitespace around header names', () => {
		const result = csv('\ufeff text , label\nhi,x\n');
		expect(result.columns).toEqual(['text', 'label']);
		expect(result.rows[0]?.fields).toEqual({ text: 'hi', label: 'x' });
	});

	it('keeps whitespace in data fields', () => {
		expect(csv('a,b\n  padded  , x\n').rows[0]?.fields).toEqual({ a: '  padded  ', b: ' x' });
	});

	it('names empty header cells by position and numbers duplicates', () => {
		expect(csv('name,,name,Name, name ,\n1,2,3,4,5,6\n').columns).toEqual([
			'name',
			'column_2',
			'name_2',
			'Name',
			'name_3',
			'column_6'
		]);
	});

	it('never renames onto a header name that already exists', () => {
		expect(csv('a,a,a_2,column_2,\n').columns).toEqual(['a', 'a_3', 'a_2', 'column_2', 'column_5']);
		expect(csv(',column_1\n').columns).toEqual(['column_1_2', 'column_1']);
	});

	it('skips blank lines but keeps counting them', () => {
		const result = csv('\n\na,b\n\n1,2\r\n\r\n\n3,4\n\n');
		expect(result.columns).toEqual(['a', 'b']);
		expect(result.rows.map((r) => r.line)).toEqual([5, 8]);
		expect(result.errors).toEqual([]);
	});

	it('reports ragged rows with their line and still parses the others', () => {
		const result = csv('a,b,c\n1,2,3\n1,2\n\n4,5,6\n1,2,3,4\n7,8,9\n');
		expect(result.errors).toEqual([
			{ line: 3, message: 'line 3: expected 3 fields, found 2' },
			{ line: 6, message: 'line 6: expected 3 fields, found 4' }
		]);
		expect(result.rows.map((r) => r.line)).toEqual([2, 5, 7]);
	});

	it('reports a ragged multi-line record at the line it starts on', () => {
		const result = csv('a,b\n"x\ny\nz",1,2\nok,3\n');
		expect(result.errors).toEqual([{ line: 2, message: 'line 2: expected 2 fields, found 3' }]);
		expect(result.rows).toEqual([{ line: 5, fields: { a: 'ok', b: '3' } }]);
	});

	it('stops at an unterminated quote, reporting the line where it opened', () => {
		const result = csv('a,b\n1,2\n3,"never\nclosed\n5,6\n');
		expect(result.errors).toEqual([{ line: 3, message: 'line 3: unterminated quoted field' }]);
		expect(result.rows).toEqual([{ line: 2, fields: { a: '1', b: '2' } }]);
	});

	it('reports the quote line, not the record line, for a late unterminated quote', () => {
		const result = csv('a,b,c\n"multi\nline",x,"open\n');
		expect(result.errors).toEqual([{ line: 3, message: 'line 3: unterminated quoted field' }]);
	});

	it('reports an unterminated quote in the header with no columns', () => {
		expect(csv('"a,b\n1,2\n')).toEqual({
			columns: [],
			rows: [],
			errors: [{ line: 1, message: 'line 1: unterminated quoted field' }]
		});
	});

	it('reports a quote opened on the last character of the file', () => {
		expect(csv('a,b\n1,"').errors).toEqual([
			{ line: 2, message: 'line 2: unterminated quoted field' }
		]);
	});

	it('accepts quoted header names that span lines', () => {
		const result = csv('"first\nname",age\nAda,36\n');
		expect(result.columns).toEqual(['first\nname', 'age']);
		expect(result.rows).toEqual([{ line: 3, fields: { 'first\nname': 'Ada', age: '36' } }]);
	});

	it('tolerates a stray quote inside an unquoted field', () => {
		const result = csv('a,b\n5" screen,x\nab"c"d,y\n');
		expect(result.errors).toEqual([]);
		expect(result.rows.map((r) => r.fields.a)).toEqual(['5" screen', 'ab"c"d']);
	});

	it('keeps text after a closing quote literally', () => {
		expect(csv('a,b\n"quoted" tail,x\n').rows[0]?.fields.a).toBe('quoted tail');
	});

	it('handles empty fields, including a trailing delimiter at the end of the file', () => {
		expect(csv('a,b,c\n,,\n1,,3\n4,5,').rows.map((r) => r.fields)).toEqual([
			{ a: '', b: '', c: '' },
			{ a: '1', b: '', c: '3' },
			{ a: '4', b: '5', c: '' }
		]);
	});

	it('parses TSV, where commas are ordinary characters', () => {
		const result = parseDelimited('text\tlabel\nHi, you\tgreet\n"tab\tinside"\tx\n', '\t');
		expect(result).toEqual({
			columns: ['text', 'label'],
			rows: [
				{ line: 2, fields: { text: 'Hi, you', label: 'greet' } },
				{ line: 3, fields: { text: 'tab\tinside', label: 'x' } }
			],
			errors: []
		});
	});

	it('gives a header-only file its columns and no rows', () => {
		expect(csv('a,b\n')).toEqual({ columns: ['a', 'b'], rows: [], errors: [] });
		expect(csv('a,b')).toEqual({ columns: ['a', 'b'], rows: [], errors: [] });
	});

	it('reports a missing header for empty or blank input', () => {
		const noHeader = {
			columns: [],
			rows: [],
			errors: [{ line: 1, message: 'line 1: no header row' }]
		};
		expect(csv('')).toEqual(noHeader);
		expect(csv('\ufeff')).toEqual(noHeader);
		expect(csv('\r\n\n')).toEqual(noHeader);
	});

	it('keeps a column named __proto__ as an ordinary field', () => {
		const fields = csv('__proto__,b\nx,y\n').rows[0]?.fields;
		expect(Object.keys(fields ?? {})).toEqual(['__proto__', 'b']);
		expect(fields?.['__proto__']).toBe('x');
		expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
	});

	it('stops after maxRows rows for previews', () => {
		const text = 'a\n' + Array.from({ length: 100 }, (_, i) => `r${i}`).join('\n');
		const result = csv(text, 3);
		expect(result.rows.map((r) => r.fields.a)).toEqual(['r0', 'r1', 'r2']);
		expect(csv(text, 0).rows).toEqual([]);
		expect(csv(text, 0).columns).toEqual(['a']);
	});

	it('parses 50,000 rows in one linear pass', () => {
		const lines = ['id,text,label'];
		for (let i = 0; i < 50_000; i++) {
			lines.push(i % 10 === 0 ? `${i},"quoted, ""text"" ${i}",pos` : `${i},plain text ${i},neg`);
		}
		const text = lines.join('\r\n');
		const started = performance.now();
		const result = csv(text);
		const elapsed = performance.now() - started;
		expect(result.errors).toEqual([]);
		expect(result.rows).toHaveLength(50_000);
		expect(result.rows[49_999]).toEqual({
			line: 50_001,
			fields: { id: '49999', text: 'plain text 49999', label: 'neg' }
		});
		expect(result.rows[10]?.fields.text).toBe('quoted, "text" 10');
		// A guard against quadratic rescans, far above the real figure; not a benchmark.
		expect(elapsed).toBeLessThan(2000);
	});

	it('stays linear on one very long line of many fields', () => {
		const header = Array.from({ length: 20_000 }, (_, i) => `c${i}`).join(',');
		const result = csv(`${header}\n${header}\n`);
		expect(result.columns).toHaveLength(20_000);
		expect(result.rows).toHaveLength(1);
	});
});

describe('delimiterFor', () => {
	it('maps formats to delimiters', () => {
		expect(delimiterFor('csv')).toBe(',');
		expect(delimiterFor('tsv')).toBe('\t');
	});
});
