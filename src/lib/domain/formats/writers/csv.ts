/**
 * RFC 4180 CSV output shared by the table writers (texts and images). Rows end in CRLF, as
 * the RFC asks; pandas, Python's `csv` module and spreadsheets all read that.
 */

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/**
 * One field: quoted (with doubled quotes) when it holds a comma, quote, line break or edge
 * whitespace; `null` is an empty field; numbers are written as JavaScript prints them.
 *
 * Example: `csvField('say "hi", ok')` → `"say ""hi"", ok"`.
 */
export function csvField(value: string | number | null): string {
	if (value === null) return '';
	const s = typeof value === 'number' ? String(value) : value;
	return NEEDS_QUOTES.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * One CSV line, CRLF included.
 *
 * Example: `csvRow(['a,b', 3, null])` → `"a,b",3,\r\n`.
 */
export function csvRow(fields: readonly (string | number | null)[]): string {
	let out = '';
	for (let i = 0; i < fields.length; i++) {
		if (i > 0) out += ',';
		out += csvField(fields[i] as string | number | null);
	}
	return out + '\r\n';
}
