import type { Row, RowError } from './delimited';
import { setField } from './fields';

export type JsonlParsed = {
	columns: string[];
	rows: Row[];
	errors: RowError[];
};

// V8 quotes the offending input inside its message; a long line would swamp the report.
const MAX_REASON = 160;

function fieldText(value: unknown): string {
	if (typeof value === 'string') return value;
	if (value === null || value === undefined) return '';
	if (typeof value === 'object') return JSON.stringify(value);
	return String(value);
}

/**
 * Parses JSON Lines: one object per line, blank lines skipped, CRLF accepted. Bad lines become
 * errors with their line number and the rest still parse; `columns` is the union of top-level
 * keys in first-seen order. Values become strings (null → '', objects → JSON).
 *
 * Example: `parseJsonl('{"text":"hi","n":2}\n')` →
 * `{ columns: ['text', 'n'], rows: [{ line: 1, fields: { text: 'hi', n: '2' } }], errors: [] }`
 */
export function parseJsonl(text: string, options?: { maxRows?: number }): JsonlParsed {
	const maxRows = options?.maxRows ?? Infinity;
	const columns = new Set<string>();
	const rows: JsonlParsed['rows'] = [];
	const errors: RowError[] = [];
	const n = text.length;
	let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
	for (let line = 1; pos < n && rows.length < maxRows; line++) {
		let end = text.indexOf('\n', pos);
		if (end === -1) end = n;
		const next = end + 1;
		if (end > pos && text.charCodeAt(end - 1) === 13) end--;
		const source = text.slice(pos, end);
		pos = next;
		if (source.trim() === '') continue;

		let value: unknown;
		try {
			value = JSON.parse(source);
		} catch (e) {
			let reason = e instanceof Error ? e.message : String(e);
			if (reason.length > MAX_REASON) reason = `${reason.slice(0, MAX_REASON)}…`;
			errors.push({ line, message: `line ${line}: invalid JSON (${reason})` });
			continue;
		}
		if (typeof value !== 'object' || value === null || Array.isArray(value)) {
			errors.push({ line, message: `line ${line}: expected a JSON object` });
			continue;
		}
		const fields: Record<string, string> = {};
		for (const [key, v] of Object.entries(value)) {
			columns.add(key);
			setField(fields, key, fieldText(v));
		}
		rows.push({ line, fields });
	}
	return { columns: [...columns], rows, errors };
}
