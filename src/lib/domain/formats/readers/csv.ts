import { parseDelimited, type Row } from '../../import/delimited';
import type { SourceFiles } from '../sourceFiles';
import { readText } from '../sourceFiles';
import type { ImportedDataset, ImportedLabel, ImportedRecord } from './dataset';
import {
	DatasetFormatError,
	FileIndex,
	NameList,
	Warnings,
	basename,
	dirname,
	extension,
	isImagePath,
	joinPath,
	numberOf,
	plural,
	requireText,
	safeReference,
	splitFromName,
	type Split
} from './common';

/**
 * CSV/TSV label tables:
 * - images: a `file`/`filename`/`image`/`path` column and a `label`/`labels`/`class` column
 *   (several classes joined with `|`, or `;` in a `labels` column; repeated rows of one file
 *   add up), or detection rows `file,width?,height?,class,x,y,w,h` (or `xmin,ymin,xmax,ymax`)
 *   one per box, a row with an empty class being an image without boxes (our image-csv);
 * - texts: `text` + `label`/`labels` (our text-csv), or our span tables
 *   (`<split>.csv` = `text_id,span_id,start,end,label`, `<split>_texts.csv` = `id,text`,
 *   `<split>_relations.csv` = `text_id,head,tail,label`; offsets in code points).
 * A `split` column wins over the file name. `classes.txt` beside the table orders classes.
 */

const FILE_COLUMNS = ['file', 'filename', 'file_name', 'image', 'image_path', 'path', 'img'];
const LABEL_COLUMNS = ['labels', 'label', 'class', 'class_name', 'category', 'categories'];
const TEXT_COLUMNS = ['text', 'sentence', 'content'];

type Table = { path: string; columns: string[]; rows: Row[] };

/** The first of `names` among `columns` (case-insensitive), as spelled in the file. */
function column(columns: readonly string[], names: readonly string[]): string | null {
	for (const name of names) {
		const found = columns.find((c) => c.toLowerCase() === name);
		if (found !== undefined) return found;
	}
	return null;
}

function splitOf(row: Row, splitColumn: string | null, path: string): Split | null {
	const value = splitColumn ? row.fields[splitColumn]?.trim() : '';
	return (value ? splitFromName(value) : null) ?? splitFromName(path);
}

/** Class names of a cell: `|`-joined, or `;`-joined in a `labels` column. */
function namesOf(cell: string | undefined, multiColumn: boolean): string[] {
	const value = (cell ?? '').trim();
	if (value === '') return [];
	const separator = value.includes('|') ? '|' : multiColumn && value.includes(';') ? ';' : null;
	return (separator ? value.split(separator) : [value])
		.map((s) => s.trim())
		.filter((s) => s !== '');
}

/** The CSV and TSV files among `paths`. */
export const csvPaths = (paths: readonly string[]): string[] =>
	paths.filter((p) => ['csv', 'tsv'].includes(extension(p)) && basename(p) !== 'metadata.csv');

/**
 * Reads CSV/TSV label tables.
 *
 * Example: `await readCsv(files)` with `train.csv` = `file,label\nimages/a.png,cat\n`
 * → `{ format: 'csv', taskKind: 'image-classification', classes: ['cat'], records: [{ name: 'images/a.png', split: 'train', label: { type: 'classes', names: ['cat'] } }], … }`
 */
export async function readCsv(files: SourceFiles): Promise<ImportedDataset> {
	const paths = csvPaths(files.paths);
	if (paths.length === 0) throw new DatasetFormatError('no CSV or TSV files');
	const warnings = new Warnings();
	const tables: Table[] = [];
	for (const path of paths) {
		const parsed = parseDelimited(
			await requireText(files, path),
			extension(path) === 'tsv' ? '\t' : ','
		);
		for (const e of parsed.errors) warnings.add(`${path}: ${e.message}`);
		tables.push({ path, columns: parsed.columns, rows: parsed.rows });
	}
	const classes = new NameList();
	for (const dir of new Set(['', ...paths.map(dirname)])) {
		const listed = await readText(files, joinPath(dir, 'classes.txt') as string);
		for (const line of listed?.split(/\r\n?|\n/) ?? [])
			if (line.trim() !== '') classes.add(line.trim());
	}

	const spanTables = tables.filter(
		(t) => column(t.columns, ['text_id']) && column(t.columns, ['span_id'])
	);
	if (spanTables.length > 0) return spanDataset(tables, spanTables, classes, warnings);

	const imageTables = tables.filter((t) => column(t.columns, FILE_COLUMNS));
	const textTables = tables.filter(
		(t) =>
			!column(t.columns, FILE_COLUMNS) &&
			column(t.columns, TEXT_COLUMNS) &&
			column(t.columns, LABEL_COLUMNS)
	);
	if (imageTables.length > 0) return imageDataset(files, imageTables, classes, warnings);
	if (textTables.length > 0) return textDataset(textTables, classes, warnings);
	const first = tables[0] as Table;
	throw new DatasetFormatError(
		`${first.path}: no file or text column with a label column (columns: ${first.columns.join(', ') || 'none'})`
	);
}

function dataset(
	taskKind: ImportedDataset['taskKind'],
	multiLabel: boolean,
	classes: NameList,
	records: ImportedRecord[],
	warnings: Warnings,
	relationTypes: string[] = []
): ImportedDataset {
	return {
		format: 'csv',
		taskKind,
		multiLabel,
		classes: classes.names,
		relationTypes,
		records,
		warnings: warnings.toArray()
	};
}

function imageDataset(
	files: SourceFiles,
	tables: Table[],
	classes: NameList,
	warnings: Warnings
): ImportedDataset {
	const index = new FileIndex(files.paths);
	const byFile = new Map<string, ImportedRecord>();
	let detection = false;
	let multi = false;
	for (const { path, columns, rows } of tables) {
		const fileColumn = column(columns, FILE_COLUMNS) as string;
		const splitColumn = column(columns, ['split']);
		const boxColumns =
			column(columns, ['x']) && column(columns, ['w'])
				? (['x', 'y', 'w', 'h'] as const).map((k) => column(columns, [k]))
				: column(columns, ['xmin', 'x_min']) && column(columns, ['xmax', 'x_max'])
					? [
							['xmin', 'x_min'],
							['ymin', 'y_min'],
							['xmax', 'x_max'],
							['ymax', 'y_max']
						].map((k) => column(columns, k))
					: null;
		const corners = boxColumns !== null && !column(columns, ['w']);
		const classColumn = boxColumns
			? column(columns, ['class', 'label', 'class_name', 'category'])
			: column(columns, LABEL_COLUMNS);
		if (boxColumns && (boxColumns.includes(null) || !classColumn)) {
			warnings.add(
				`${path}: box columns are incomplete (need class and x, y, w, h or xmin, ymin, xmax, ymax); skipped`
			);
			continue;
		}
		if (!classColumn) {
			warnings.add(`${path}: no label column (${LABEL_COLUMNS.join(', ')}); skipped`);
			continue;
		}
		if (boxColumns) detection = true;
		const multiColumn = classColumn.toLowerCase() === 'labels';
		if (multiColumn) multi = true;
		const [widthColumn, heightColumn] = [column(columns, ['width']), column(columns, ['height'])];
		for (const row of rows) {
			const where = `${path}: line ${row.line}`;
			const raw = row.fields[fileColumn] ?? '';
			const ref = safeReference(raw);
			if (!ref.ok) {
				warnings.add(
					`${where}: refused image reference "${raw}" (absolute or outside the dataset)`
				);
				continue;
			}
			const found = index.resolve(ref.path, [dirname(path), '']);
			if (found === null || !isImagePath(found)) {
				warnings.tally(
					'missing',
					(n) =>
						`${plural(n, 'image')} named in the CSV files ${n === 1 ? 'is' : 'are'} missing from the files`
				);
				continue;
			}
			let record = byFile.get(found);
			if (!record) {
				const width = numberOf(widthColumn ? row.fields[widthColumn] : undefined);
				const height = numberOf(heightColumn ? row.fields[heightColumn] : undefined);
				record = {
					name: found,
					kind: 'image',
					text: null,
					split: splitOf(row, splitColumn, path),
					width,
					height,
					label: null
				};
				byFile.set(found, record);
			}
			if (boxColumns) {
				const label: ImportedLabel = record.label ?? { type: 'boxes', boxes: [] };
				record.label = label;
				const name = (row.fields[classColumn] ?? '').trim();
				if (name === '') continue;
				const [a, b, c, d] = boxColumns.map((k) => numberOf(row.fields[k as string]));
				if (a == null || b == null || c == null || d == null) {
					warnings.add(`${where}: box coordinates are not numbers; skipped`);
					continue;
				}
				const [w, h] = corners ? [c - a, d - b] : [c, d];
				if (!(w > 0 && h > 0)) {
					warnings.add(`${where}: box has no area; skipped`);
					continue;
				}
				if (label.type === 'boxes') label.boxes.push({ name: classes.add(name), x: a, y: b, w, h });
			} else {
				const names = namesOf(row.fields[classColumn], multiColumn).map((n) => classes.add(n));
				const label =
					record.label?.type === 'classes'
						? record.label
						: { type: 'classes' as const, names: [] as string[] };
				for (const n of names) if (!label.names.includes(n)) label.names.push(n);
				if (label.names.length > 1) multi = true;
				record.label = multiColumn || label.names.length > 0 ? label : null;
			}
		}
	}
	return dataset(
		detection ? 'object-detection' : 'image-classification',
		!detection && multi,
		classes,
		[...byFile.values()],
		warnings
	);
}

function textDataset(tables: Table[], classes: NameList, warnings: Warnings): ImportedDataset {
	const records: ImportedRecord[] = [];
	let multi = false;
	for (const { path, columns, rows } of tables) {
		const textColumn = column(columns, TEXT_COLUMNS) as string;
		const labelColumn = column(columns, LABEL_COLUMNS) as string;
		const splitColumn = column(columns, ['split']);
		const multiColumn = labelColumn.toLowerCase() === 'labels';
		if (multiColumn) multi = true;
		for (const row of rows) {
			const names = namesOf(row.fields[labelColumn], multiColumn).map((n) => classes.add(n));
			if (names.length > 1) multi = true;
			records.push({
				name: `${path}#${row.line}`,
				kind: 'text',
				text: row.fields[textColumn] ?? '',
				split: splitOf(row, splitColumn, path),
				width: null,
				height: null,
				label: names.length > 0 || multiColumn ? { type: 'classes', names } : null
			});
		}
	}
	if (!multi)
		for (const r of records)
			if (r.label?.type === 'classes' && r.label.names.length === 0) r.label = null;
	return dataset('text-classification', multi, classes, records, warnings);
}

/** Our text-csv span layout: span rows, text rows and relation rows joined by text id. */
function spanDataset(
	tables: Table[],
	spanTables: Table[],
	classes: NameList,
	warnings: Warnings
): ImportedDataset {
	const relationTypes = new NameList();
	const texts = new Map<string, ImportedRecord>();
	const cps = new Map<string, number[] | null>();
	for (const t of tables) {
		if (!/_texts(-\d+-of-\d+)?\.(csv|tsv)$/.test(t.path)) continue;
		const id = column(t.columns, ['id']);
		const text = column(t.columns, ['text']);
		if (!id || !text) {
			warnings.add(`${t.path}: id or text column is missing; skipped`);
			continue;
		}
		for (const row of t.rows) {
			const key = row.fields[id] ?? '';
			const value = row.fields[text] ?? '';
			texts.set(key, {
				name: `${t.path}#${row.line}`,
				kind: 'text',
				text: value,
				split: splitFromName(t.path.replace(/_texts/, '')),
				width: null,
				height: null,
				label: { type: 'spans', spans: [], relations: [] }
			});
			// Code point → UTF-16 offsets, only for texts outside the BMP.
			const map: number[] = [];
			for (let i = 0; i < value.length; i++) {
				map.push(i);
				const c = value.charCodeAt(i);
				if (c >= 0xd800 && c <= 0xdbff) i++;
			}
			map.push(value.length);
			cps.set(key, map.length === value.length + 1 ? null : map);
		}
	}
	const labelOf = (textId: string, where: string) => {
		const record = texts.get(textId);
		if (!record) warnings.add(`${where}: text id ${textId} is not in a _texts file; skipped`);
		return record?.label?.type === 'spans' ? record.label : null;
	};
	for (const t of spanTables) {
		const [tid, sid, s, e, l] = ['text_id', 'span_id', 'start', 'end', 'label'].map((k) =>
			column(t.columns, [k])
		);
		if (!tid || !sid || !s || !e || !l) {
			warnings.add(`${t.path}: text_id, span_id, start, end or label column is missing; skipped`);
			continue;
		}
		for (const row of t.rows) {
			const where = `${t.path}: line ${row.line}`;
			const label = labelOf(row.fields[tid] ?? '', where);
			if (!label) continue;
			const map = cps.get(row.fields[tid] ?? '');
			const length = map ? map.length - 1 : (texts.get(row.fields[tid] ?? '')?.text ?? '').length;
			const [start, end] = [numberOf(row.fields[s]), numberOf(row.fields[e])];
			const name = (row.fields[l] ?? '').trim();
			if (
				start === null ||
				end === null ||
				!(start >= 0 && start < end && end <= length) ||
				name === ''
			) {
				warnings.add(`${where}: start, end or label is not valid; skipped`);
				continue;
			}
			const at = (cp: number) => (map ? (map[cp] as number) : cp);
			label.spans.push({
				id: row.fields[sid] ?? '',
				name: classes.add(name),
				start: at(start),
				end: at(end)
			});
		}
	}
	for (const t of tables) {
		if (!/_relations(-\d+-of-\d+)?\.(csv|tsv)$/.test(t.path)) continue;
		const [tid, head, tail, l] = ['text_id', 'head', 'tail', 'label'].map((k) =>
			column(t.columns, [k])
		);
		if (!tid || !head || !tail || !l) continue;
		for (const row of t.rows) {
			const label = labelOf(row.fields[tid] ?? '', `${t.path}: line ${row.line}`);
			const [h, tl, name] = [
				row.fields[head] ?? '',
				row.fields[tail] ?? '',
				(row.fields[l] ?? '').trim()
			];
			if (!label) continue;
			if (
				!label.spans.some((x) => x.id === h) ||
				!label.spans.some((x) => x.id === tl) ||
				name === ''
			) {
				warnings.add(
					`${t.path}: line ${row.line}: relation points at a span that does not exist; skipped`
				);
				continue;
			}
			label.relations.push({ head: h, tail: tl, name: relationTypes.add(name) });
		}
	}
	const hasRelations = tables.some((t) => /_relations(-\d+-of-\d+)?\.(csv|tsv)$/.test(t.path));
	return dataset(
		hasRelations ? 'relations' : 'named-entities',
		false,
		classes,
		[...texts.values()],
		warnings,
		relationTypes.names
	);
}
