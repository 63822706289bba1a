import { DatasetFormatError } from './common';

/**
 * The YAML that dataset configs use (Ultralytics `data.yaml`, Roboflow exports): a top-level
 * mapping whose values are scalars, flow lists `[a, 'b c']`, flow maps `{0: a}`, or one
 * nested block of `- item` or `key: value` lines. Anchors, multi-document streams and deeper
 * nesting are not needed and not read. Scalars stay strings (`0`, `true`), quotes removed.
 */

export type YamlValue = string | null | YamlValue[] | { [key: string]: YamlValue };

function stripComment(line: string): string {
	let quote: string | null = null;
	for (let i = 0; i < line.length; i++) {
		const c = line[i];
		if (quote) {
			if (c === quote) quote = null;
		} else if (c === '"' || c === "'") quote = c;
		else if (c === '#' && (i === 0 || /\s/.test(line[i - 1] as string))) return line.slice(0, i);
	}
	return line;
}

function unquote(raw: string): string {
	const s = raw.trim();
	if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) {
		return s
			.slice(1, -1)
			.replace(/\\(["\\/nt])/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
	}
	if (s.length >= 2 && s.startsWith("'") && s.endsWith("'"))
		return s.slice(1, -1).replace(/''/g, "'");
	return s;
}

/** Splits a flow collection's inside on top-level commas. */
function splitFlow(inner: string): string[] {
	const parts: string[] = [];
	let depth = 0;
	let quote: string | null = null;
	let start = 0;
	for (let i = 0; i < inner.length; i++) {
		const c = inner[i];
		if (quote) {
			if (c === quote) quote = null;
		} else if (c === '"' || c === "'") quote = c;
		else if (c === '[' || c === '{') depth++;
		else if (c === ']' || c === '}') depth--;
		else if (c === ',' && depth === 0) {
			parts.push(inner.slice(start, i));
			start = i + 1;
		}
	}
	parts.push(inner.slice(start));
	return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** The index of the `:` that ends a key (outside quotes, followed by a space or the end). */
function keyColon(text: string): number {
	let quote: string | null = null;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quote) {
			if (c === quote) quote = null;
		} else if (c === '"' || c === "'") quote = c;
		else if (c === ':' && (i + 1 === text.length || /\s/.test(text[i + 1] as string))) return i;
	}
	return -1;
}

function scalarOrFlow(raw: string, where: string): YamlValue {
	const s = raw.trim();
	if (s === '' || s === '~' || s === 'null') return null;
	if (s.startsWith('[')) {
		if (!s.endsWith(']')) throw new DatasetFormatError(`${where}: unclosed [`);
		return splitFlow(s.slice(1, -1)).map((p) => scalarOrFlow(p, where));
	}
	if (s.startsWith('{')) {
		if (!s.endsWith('}')) throw new DatasetFormatError(`${where}: unclosed {`);
		const out: Record<string, YamlValue> = {};
		for (const part of splitFlow(s.slice(1, -1))) {
			const colon = keyColon(part);
			if (colon === -1) throw new DatasetFormatError(`${where}: expected key: value in {…}`);
			out[unquote(part.slice(0, colon))] = scalarOrFlow(part.slice(colon + 1), where);
		}
		return out;
	}
	return unquote(s);
}

const bracketDepth = (s: string): number => {
	let depth = 0;
	let quote: string | null = null;
	for (const c of s) {
		if (quote) {
			if (c === quote) quote = null;
		} else if (c === '"' || c === "'") quote = c;
		else if (c === '[' || c === '{') depth++;
		else if (c === ']' || c === '}') depth--;
	}
	return depth;
};

/**
 * Parses the YAML subset above; errors name `file` and the line.
 *
 * Example: `parseYaml('names:\n  0: cat\n  1: dog\nnc: 2\n', 'data.yaml')` →
 * `{ names: { '0': 'cat', '1': 'dog' }, nc: '2' }`
 */
export function parseYaml(text: string, file: string): Record<string, YamlValue> {
	const lines = text.replace(/\r\n?/g, '\n').split('\n');
	const out: Record<string, YamlValue> = {};
	let current: { key: string; items: YamlValue[] | Record<string, YamlValue> | null } | null = null;
	for (let i = 0; i < lines.length; i++) {
		const where = `${file}: line ${i + 1}`;
		let line = stripComment(lines[i] as string).replace(/\s+$/, '');
		if (line.trim() === '' || line.trim() === '---') continue;
		// A flow collection may run over several lines.
		while (bracketDepth(line) > 0 && i + 1 < lines.length) {
			i++;
			line += ' ' + stripComment(lines[i] as string).trim();
		}
		const indented = /^\s/.test(line);
		const body = line.trim();
		if (indented || (body.startsWith('- ') && current !== null) || body === '-') {
			if (!current) throw new DatasetFormatError(`${where}: indented line outside a key`);
			if (body.startsWith('-')) {
				if (current.items === null) current.items = [];
				if (!Array.isArray(current.items))
					throw new DatasetFormatError(`${where}: list item in a mapping`);
				current.items.push(scalarOrFlow(body.slice(1), where));
			} else {
				const colon = keyColon(body);
				if (colon === -1) throw new DatasetFormatError(`${where}: expected key: value`);
				if (current.items === null) current.items = {};
				if (Array.isArray(current.items)) throw new DatasetFormatError(`${where}: key in a list`);
				current.items[unquote(body.slice(0, colon))] = scalarOrFlow(body.slice(colon + 1), where);
			}
			out[current.key] = current.items;
			continue;
		}
		const colon = keyColon(body);
		if (colon === -1) throw new DatasetFormatError(`${where}: expected key: value`);
		const key = unquote(body.slice(0, colon));
		const rest = body.slice(colon + 1).trim();
		out[key] = scalarOrFlow(rest, where);
		current = rest === '' ? { key, items: null } : null;
	}
	return out;
}
