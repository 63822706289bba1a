import { describe, it, expect } from 'vitest';
import type { ImportError } from '../schemas';
import { parseDelimited } from './delimited';
import { importErrorsToCsv, summariseErrors } from './errorReport';

const error = (overrides: Partial<ImportError>): ImportError => ({
	path: 'a.png',
	line: null,
	code: 'corrupt-image',
	message: 'not an image',
	...overrides
});

describe('importErrorsToCsv', () => {
	it('writes a header and one CRLF-terminated line per error', () => {
		expect(
			importErrorsToCsv([
				error({}),
				error({
					path: 'data.csv',
					line: 7,
					code: 'csv-syntax',
					message: 'line 7: expected 3 fields, found 4'
				})
			])
		).toBe(
			'path,line,code,message\r\n' +
				'a.png,,corrupt-image,not an image\r\n' +
				'data.csv,7,csv-syntax,"line 7: expected 3 fields, found 4"\r\n'
		);
	});

	it('writes just the header when there are no errors', () => {
		expect(importErrorsToCsv([])).toBe('path,line,code,message\r\n');
	});

	it('quotes fields with commas, quotes, CR or LF and doubles the quotes', () => {
		const csv = importErrorsToCsv([
			error({ path: 'photos, 2024/a "b".png', message: 'first\nsecond\r\nthird\rfourth' })
		]);
		expect(csv).toBe(
			'path,line,code,message\r\n' +
				'"photos, 2024/a ""b"".png",,corrupt-image,"first\nsecond\r\nthird\rfourth"\r\n'
		);
	});

	it.each([
		['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
		['+1', "'+1"],
		['-2+3', "'-2+3"],
		['@SUM(A1)', "'@SUM(A1)"],
		['\tcmd', "'\tcmd"],
		['\rcmd', `"'\rcmd"`]
	])('guards the formula-like field %j as %s', (path, cell) => {
		expect(importErrorsToCsv([error({ path })]).split('\r\n')[1]).toBe(
			`${cell},,corrupt-image,not an image`
		);
	});

	it('quotes semicolons, which split cells in many spreadsheet locales', () => {
		const csv = importErrorsToCsv([error({ path: "x;=cmd|' /C calc'!A0.png" })]);
		expect(csv.split('\r\n')[1]).toBe(`"x;=cmd|' /C calc'!A0.png",,corrupt-image,not an image`);
	});

	it('guards messages too, and leaves ordinary text alone', () => {
		const csv = importErrorsToCsv([error({ path: 'x=1.png', message: '-1 is not a size' })]);
		expect(csv.split('\r\n')[1]).toBe("x=1.png,,corrupt-image,'-1 is not a size");
	});

	it('round-trips through the project CSV parser', () => {
		const errors = [
			error({ path: 'a, "b".csv', line: 3, code: 'csv-syntax', message: 'multi\nline' })
		];
		const parsed = parseDelimited(importErrorsToCsv(errors), ',');
		expect(parsed.errors).toEqual([]);
		expect(parsed.rows[0]?.fields).toEqual({
			path: 'a, "b".csv',
			line: '3',
			code: 'csv-syntax',
			message: 'multi\nline'
		});
	});
});

describe('summariseErrors', () => {
	it('counts per code, most frequent first, ties in first-seen order', () => {
		expect(
			summariseErrors([
				error({ code: 'zip-slip' }),
				error({ code: 'corrupt-image' }),
				error({ code: 'csv-syntax' }),
				error({ code: 'corrupt-image' }),
				error({ code: 'csv-syntax' }),
				error({ code: 'corrupt-image' })
			])
		).toEqual([
			{ code: 'corrupt-image', count: 3 },
			{ code: 'csv-syntax', count: 2 },
			{ code: 'zip-slip', count: 1 }
		]);
	});

	it('gives an empty list for no errors', () => {
		expect(summariseErrors([])).toEqual([]);
	});
});
