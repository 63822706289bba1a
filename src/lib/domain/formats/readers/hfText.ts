import { z } from 'zod';
import type { SourceFiles } from '../sourceFiles';
import type { ImportedDataset, ImportedRecord } from './dataset';
import {
	DatasetFormatError,
	NameList,
	Warnings,
	basename,
	dirname,
	extension,
	parseJson,
	parseWith,
	plural,
	requireText,
	splitFromName
} from './common';
import { decodeTags, parseTag, schemeOf, type TagToken } from './tagSpans';

/**
 * Our Hugging Face text exports: `label_map.json` (`id2label`) beside `data/<split>.jsonl`
 * (or shards `data/<split>-00000-of-0000N.jsonl`). Token classification rows are
 * `{id, tokens, ner_tags}` with BIO tag ids: the text is the tokens joined by single spaces
 * and the spans come from the tags (as in CoNLL). Text classification rows are
 * `{id, text, label}` or, multi-label, `{id, text, labels}` with class ids.
 */

const LabelMap = z.object({
	id2label: z.record(z.string(), z.string())
});

/** `label_map.json` beside a `data/` folder of JSONL files, or null. */
export function hfLabelMapPath(paths: readonly string[]): string | null {
	for (const p of paths) {
		if (basename(p) !== 'label_map.json') continue;
		if (hfDataPaths(paths, p).length > 0) return p;
	}
	return null;
}

/** The JSONL files of the export whose label map is `labelMap`, in file order. */
export function hfDataPaths(paths: readonly string[], labelMap: string): string[] {
	const data = `${dirname(labelMap) === '' ? '' : `${dirname(labelMap)}/`}data/`;
	return paths.filter(
		(p) => p.startsWith(data) && !p.slice(data.length).includes('/') && extension(p) === 'jsonl'
	);
}

/** Whether the first row of `text` is a token-classification row. */
export function isTokenRows(text: string): boolean {
	for (const line of text.split('\n', 50)) {
		try {
			const row: unknown = JSON.parse(line);
			if (typeof row === 'object' && row !== null) return 'tokens' in row || 'ner_tags' in row;
		} catch {
			continue;
		}
	}
	return false;
}

const TokenRow = z.object({
	id: z.union([z.string(), z.number()]).nullish(),
	tokens: z.array(z.string()),
	ner_tags: z.array(z.number().int().nonnegative())
});

const TextRow = z.object({
	id: z.union([z.string(), z.number()]).nullish(),
	text: z.string(),
	label: z.number().int().nullish(),
	labels: z.array(z.number().int()).nullish()
});

/** Class names by id from `id2label`, in id order; throws naming the key when ids have gaps. */
function idNames(path: string, id2label: Record<string, string>): string[] {
	const names: string[] = [];
	for (const [key, name] of Object.entries(id2label)) {
		const id = Number(key);
		if (!Number.isInteger(id) || id < 0)
			throw new DatasetFormatError(`${path}: id2label.${key}: not a class id`);
		names[id] = name;
	}
	for (let i = 0; i < names.length; i++)
		if (names[i] === undefined)
			throw new DatasetFormatError(`${path}: id2label: class id ${i} is missing`);
	return names;
}

/**
 * Reads our Hugging Face token- or text-classification export (the rows tell which).
 *
 * Example: `label_map.json` = `{"id2label": {"0": "O", "1": "B-PER", "2": "I-PER"}}`,
 * `data/train.jsonl` = `{"id": "1", "tokens": ["Ana", "runs"], "ner_tags": [1, 0]}` →
 * `{ format: 'hf-token-classification', classes: ['PER'], records: [{ text: 'Ana runs', label: { type: 'spans', spans: [{ id: 'T1', name: 'PER', start: 0, end: 3 }], relations: [] } }] }`
 */
export async function readHfText(files: SourceFiles): Promise<ImportedDataset> {
	const mapPath = hfLabelMapPath(files.paths);
	if (mapPath === null)
		throw new DatasetFormatError('no label_map.json beside a data/ folder of JSONL files');
	const map = parseWith(LabelMap, parseJson(mapPath, await requireText(files, mapPath)), mapPath);
	const labels = idNames(mapPath, map.id2label);
	const paths = hfDataPaths(files.paths, mapPath);
	const texts = await Promise.all(paths.map((p) => requireText(files, p)));
	const first = texts.find((t) => t.trim() !== '');
	// No rows at all: a BIO tag set says token classification.
	const token =
		first !== undefined
			? isTokenRows(first)
			: labels[0] === 'O' && labels.slice(1).every((l) => /^[BI]-./.test(l));
	const warnings = new Warnings();
	const classes = new NameList();
	if (token) {
		for (const l of labels) {
			const { name } = parseTag(l);
			if (name !== null) classes.add(name);
		}
	} else for (const l of labels) classes.add(l);
	// The scheme of the whole tag set (a row of only I- tags is still BIO).
	const scheme = schemeOf([[labels.map((l, i) => ({ token: '', ...parseTag(l), line: i }))]]);
	const records: ImportedRecord[] = [];
	let multi = false;
	let firstError: string | null = null;
	const fail = (message: string) => {
		firstError ??= message;
		warnings.add(`${message}; skipped`);
	};
	paths.forEach((path, f) => {
		const split = splitFromName(basename(path));
		const lines = (texts[f] as string).split('\n');
		lines.forEach((raw, i) => {
			const line = raw.trim();
			if (line === '') return;
			const where = `${path}: line ${i + 1}`;
			let value: unknown;
			try {
				value = JSON.parse(line);
			} catch {
				fail(`${where}: invalid JSON`);
				return;
			}
			const record = (text: string, label: ImportedRecord['label'], id: unknown) => {
				records.push({
					name: `${path}#${id ?? i + 1}`,
					kind: 'text',
					text,
					split,
					width: null,
					height: null,
					label
				});
			};
			if (token) {
				const parsed = TokenRow.safeParse(value);
				if (!parsed.success) {
					const issue = parsed.error.issues[0];
					fail(`${where}: ${issue?.path.join('.') || 'row'}: ${issue?.message ?? 'invalid'}`);
					return;
				}
				const row = parsed.data;
				if (row.tokens.length !== row.ner_tags.length) {
					fail(`${where}: ner_tags: ${row.ner_tags.length} tags for ${row.tokens.length} tokens`);
					return;
				}
				const bad = row.ner_tags.findIndex((t) => t >= labels.length);
				if (bad >= 0) {
					fail(`${where}: ner_tags[${bad}]: tag id ${row.ner_tags[bad]} is not in ${mapPath}`);
					return;
				}
				const sentence: TagToken[] = row.tokens.map((t, k) => ({
					token: t,
					...parseTag(labels[row.ner_tags[k] as number] as string),
					line: i + 1
				}));
				const { text, spans } = decodeTags([sentence], scheme, path, classes, warnings);
				record(text, { type: 'spans', spans, relations: [] }, row.id);
				return;
			}
			const parsed = TextRow.safeParse(value);
			if (!parsed.success) {
				const issue = parsed.error.issues[0];
				fail(`${where}: ${issue?.path.join('.') || 'row'}: ${issue?.message ?? 'invalid'}`);
				return;
			}
			const row = parsed.data;
			const ids = row.labels ?? (row.label === null || row.label === undefined ? [] : [row.label]);
			if (row.labels) multi = true;
			const names: string[] = [];
			for (const id of ids) {
				const name = labels[id];
				if (name === undefined)
					warnings.tally(
						'unknown-id',
						(n) => `${plural(n, 'class id')} not in ${mapPath} left out (first: ${where})`
					);
				else names.push(name);
			}
			record(
				row.text,
				names.length === 0 && !row.labels ? null : { type: 'classes', names },
				row.id
			);
		});
	});
	if (records.length === 0 && firstError !== null) throw new DatasetFormatError(firstError);
	return {
		format: token ? 'hf-token-classification' : 'hf-text-classification',
		taskKind: token ? 'named-entities' : 'text-classification',
		multiLabel: !token && multi,
		classes: classes.names,
		relationTypes: [],
		records,
		warnings: warnings.toArray()
	};
}
