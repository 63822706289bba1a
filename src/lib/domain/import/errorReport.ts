import type { ImportError, ImportErrorCode } from '../schemas';

// OWASP's list: a spreadsheet treats cells starting with these as formulas.
const FORMULA_START = /^[=+\-@\t\r]/;
// `;` too: spreadsheets in many locales split cells on it.
const NEEDS_QUOTES = /[",;\r\n]/;

function cell(value: string): string {
	const safe = FORMULA_START.test(value) ? `'${value}` : value;
	return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The import errors as a CSV report (`path,line,code,message`, CRLF line ends, RFC 4180
 * quoting) that is safe to open in a spreadsheet: cells that would run as formulas get a `'`.
 *
 * Example: `importErrorsToCsv([{ path: 'a.csv', line: 3, code: 'csv-syntax', message: 'line 3: bad' }])`
 * → `'path,line,code,message\r\na.csv,3,csv-syntax,line 3: bad\r\n'`
 */
export function importErrorsToCsv(errors: ImportError[]): string {
	let out = 'path,line,code,message\r\n';
	for (const e of errors) {
		const line = e.line === null ? '' : String(e.line);
		out += `${cell(e.path)},${line},${cell(e.code)},${cell(e.message)}\r\n`;
	}
	return out;
}

/**
 * How many errors of each code, most frequent first (ties keep first-seen order).
 *
 * Example: `summariseErrors(errors)` → `[{ code: 'corrupt-image', count: 12 }, { code: 'zip-slip', count: 1 }]`
 */
export function summariseErrors(errors: ImportError[]): { code: ImportErrorCode; count: number }[] {
	const counts = new Map<ImportErrorCode, number>();
	for (const e of errors) counts.set(e.code, (counts.get(e.code) ?? 0) + 1);
	return [...counts].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count);
}

/** Short human names for error codes, for summaries such as "2 corrupt images". */
export const ERROR_LABELS: Record<ImportErrorCode, string> = {
	'empty-file': 'empty file',
	'empty-text': 'empty text',
	'too-large': 'over the size limit',
	'unsupported-type': 'unsupported type',
	'corrupt-image': 'corrupt image',
	'invalid-encoding': 'not UTF-8',
	'csv-syntax': 'CSV/TSV syntax',
	'jsonl-syntax': 'JSONL syntax',
	'missing-column': 'missing column',
	'zip-slip': 'unsafe zip path',
	'zip-bomb': 'zip bomb',
	'zip-too-deep': 'zip nested too deep',
	'zip-corrupt': 'damaged zip',
	'read-failed': 'unreadable',
	'quota-exceeded': 'storage full',
	'missing-file': 'file missing from the dataset',
	'dataset-warning': 'dataset note'
};
