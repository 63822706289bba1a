import { setField } from './fields';
/** One data record; `line` is the 1-based line where the record starts. */
export type Row = { line: number; fields: Record<string, string> };
/** A problem with one record; `message` starts with `line N: ` so it reads on its own. */
export type RowError = { line: number; message: string };
export type Parsed = { columns: string[]; rows: Row[]; errors: RowError[] };

const DQ = 34;
const LF = 10;
const CR = 13;

/** Header names trimmed, with empty and repeated names made unique (`column_3`, `name_2`). */
function uniqueColumns(header: string[]): string[] {
	const names = header.map((h) => h.trim());
	// Reserving every given name first keeps a real `name_2` column from being renamed.
	const taken = new Set(names.filter((n) => n !== ''));
	const used = new Set<string>();
	return names.map((name, i) => {
		if (name !== '' && !used.has(name)) {
			used.add(name);
			return name;
		}
		const base = name === '' ? `column_${i + 1}` : name;
		let candidate = name === '' && !taken.has(base) && !used.has(base) ? base : '';
		for (let k = 2; candidate === ''; k++) {
			const next = `${base}_${k}`;
			if (!taken.has(next) && !used.has(next)) candidate = next;
		}
		used.add(candidate);
		return candidate;
	});
}

/** Newlines in `text[from, to)`, counting CRLF once and a lone CR as one. */
function countNewlines(text: string, from: number, to: number): number {
	let count = 0;
	for (let i = from; i < to; i++) {
		const c = text.charCodeAt(i);
		if (c === LF) count++;
		else if (c === CR) {
			count++;
			if (i + 1 < to && text.charCodeAt(i + 1) === LF) i++;
		}
	}
	return count;
}

/**
 * Parses CSV or TSV (RFC 4180): the first record is the header; quoted fields may hold
 * delimiters, `""` and newlines. Ragged records become row errors and the rest still parse;
 * an unterminated quote stops parsing at the line where it opened. `maxRows` stops early.
 *
 * Example: `parseDelimited('text,label\n"Hi, you",greet\n', ',')` →
 * `{ columns: ['text', 'label'], rows: [{ line: 2, fields: { text: 'Hi, you', label: 'greet' } }], errors: [] }`
 */
export function parseDelimited(
	text: string,
	delimiter: ',' | '\t',
	options?: { maxRows?: number }
): Parsed {
	const maxRows = options?.maxRows ?? Infinity;
	const n = text.length;
	const delimCode = delimiter.charCodeAt(0);
	let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
	let line = 1;

	// Next-occurrence caches make each indexOf scan a stretch of text once, keeping the whole
	// parse linear however many fields share a line. `>>> 0` turns "not found" (-1) into an
	// index past any text, so a missing character never shortens a field.
	let nextDelim = -1;
	let nextLf = -1;
	let nextCr = -1;
	const fieldEnd = (from: number): number => {
		if (nextDelim < from) nextDelim = text.indexOf(delimiter, from) >>> 0;
		if (nextLf < from) nextLf = text.indexOf('\n', from) >>> 0;
		if (nextCr < from) nextCr = text.indexOf('\r', from) >>> 0;
		return Math.min(nextDelim, nextLf, nextCr, n);
	};

	let columns: string[] | null = null;
	const rows: Row[] = [];
	const errors: RowError[] = [];
	const fields: string[] = [];

	records: while (pos < n && (columns === null || rows.length < maxRows)) {
		const first = text.charCodeAt(pos);
		if (first === LF || first === CR) {
			pos += first === CR && text.charCodeAt(pos + 1) === LF ? 2 : 1;
			line++;
			continue;
		}
		const startLine = line;
		fields.length = 0;
		for (;;) {
			let value: string;
			if (text.charCodeAt(pos) === DQ) {
				const quoteLine = line;
				const start = pos + 1;
				let p = start;
				let escaped = false;
				for (;;) {
					const q = text.indexOf('"', p);
					if (q === -1) {
						errors.push({
							line: quoteLine,
							message: `line ${quoteLine}: unterminated quoted field`
						});
						break records;
					}
					if (text.charCodeAt(q + 1) === DQ) {
						escaped = true;
						p = q + 2;
						continue;
					}
					// The newline caches tell cheaply whether the field holds any line break at all.
					fieldEnd(start);
					if (nextLf < q || nextCr < q) line += countNewlines(text, start, q);
					const raw = text.slice(start, q);
					value = escaped ? raw.replaceAll('""', '"') : raw;
					pos = q + 1;
					break;
				}
				// Text after the closing quote (`"a"b`) is kept literally, as most tools do.
				const end = fieldEnd(pos);
				if (end > pos) {
					value += text.slice(pos, end);
					pos = end;
				}
			} else {
				const end = fieldEnd(pos);
				value = text.slice(pos, end);
				pos = end;
			}
			fields.push(value);
			if (pos >= n) break;
			const c = text.charCodeAt(pos);
			if (c === delimCode) {
				pos++;
				if (pos >= n) {
					fields.push('');
					break;
				}
				continue;
			}
			pos += c === CR && text.charCodeAt(pos + 1) === LF ? 2 : 1;
			line++;
			break;
		}

		if (columns === null) {
			columns = uniqueColumns(fields);
			continue;
		}
		if (fields.length !== columns.length) {
			errors.push({
				line: startLine,
				message: `line ${startLine}: expected ${columns.length} fields, found ${fields.length}`
			});
			continue;
		}
		const record: Record<string, string> = {};
		for (let i = 0; i < columns.length; i++) {
			setField(record, columns[i] as string, fields[i] as string);
		}
		rows.push({ line: startLine, fields: record });
	}

	if (columns === null && errors.length === 0) {
		errors.push({ line: 1, message: 'line 1: no header row' });
	}
	return { columns: columns ?? [], rows, errors };
}

/**
 * The delimiter of a tabular text format.
 *
 * Example: `delimiterFor('tsv')` → `'\t'`
 */
export function delimiterFor(format: 'csv' | 'tsv'): ',' | '\t' {
	return format === 'csv' ? ',' : '\t';
}
