import { z } from 'zod';
import { parseJsonl } from '../../import/jsonl';
import type { SourceFiles } from '../sourceFiles';
import type { ImportedDataset, ImportedRecord } from './dataset';
import {
	DatasetFormatError,
	FileIndex,
	NameList,
	Warnings,
	dirname,
	extension,
	keyOf,
	requireText,
	safeReference,
	splitFromName
} from './common';
import { TextCollector } from './textDataset';

/**
 * JSON Lines datasets: doccano exports (`label: [[s, e, l]]`, `entities` + `relations`,
 * `label: ["pos"]`), our text-jsonl (`spans`, `label`/`labels`) and our image-jsonl
 * (`{file, width, height, label | labels | boxes}`). Lines are split by the importer's
 * `parseJsonl`, so a malformed line is reported with its number and the rest still read.
 */

export const JSONL_EXTENSIONS = new Set(['jsonl', 'ndjson']);

/** Keys whose values stay text even when they look like JSON. */
const TEXT_KEYS = new Set(['text', 'data', 'file', 'id']);

/**
 * A row object back from `parseJsonl`'s string fields: nested lists and objects are parsed
 * again (the importer's parser keeps every value as text), numbers for size fields.
 */
function rowObject(fields: Record<string, string>): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [key, raw] of Object.entries(fields)) {
		if (key === '__proto__') continue;
		let value: unknown = raw;
		if (!TEXT_KEYS.has(key) && (raw.startsWith('[') || raw.startsWith('{'))) {
			try {
				value = JSON.parse(raw);
			} catch {
				value = raw;
			}
		}
		out[key] = value;
	}
	return out;
}

const ImageRow = z.object({
	file: z.string(),
	width: z.coerce.number().positive().nullish().catch(null),
	height: z.coerce.number().positive().nullish().catch(null),
	label: z.string().nullish(),
	labels: z.array(z.string()).nullish(),
	boxes: z
		.array(
			z.object({
				class: z.string(),
				x: z.number(),
				y: z.number(),
				w: z.number().positive(),
				h: z.number().positive()
			})
		)
		.nullish()
});

/** The JSONL files among `paths`. */
export const jsonlPaths = (paths: readonly string[]): string[] =>
	paths.filter((p) => JSONL_EXTENSIONS.has(extension(p)));

/** True when rows look like our text-jsonl rather than doccano's export. */
function isOurs(row: Record<string, unknown>): boolean {
	return 'spans' in row || 'labels' in row || typeof row.label === 'string';
}

/**
 * Reads JSONL datasets (doccano, text-jsonl, image-jsonl).
 *
 * Example: `await readJsonl(files)` with `train.jsonl` = `{"text":"Ana runs","label":[[0,3,"PER"]]}`
 * → `{ format: 'doccano-jsonl', taskKind: 'named-entities', classes: ['PER'], records: [{ name: 'train.jsonl#1', text: 'Ana runs', … }], … }`
 */
export async function readJsonl(files: SourceFiles): Promise<ImportedDataset> {
	const paths = jsonlPaths(files.paths);
	if (paths.length === 0) throw new DatasetFormatError('no JSONL files (.jsonl)');
	const texts = new TextCollector();
	const images: ImportedRecord[] = [];
	const imageClasses = new NameList();
	const imageWarnings = new Warnings();
	const index = new FileIndex(files.paths);
	let ours = false;
	let multi = false;
	let boxes = false;
	for (const path of paths) {
		const parsed = parseJsonl(await requireText(files, path));
		for (const e of parsed.errors) texts.fail(`${path}: ${e.message}`);
		for (const { line, fields } of parsed.rows) {
			const row = rowObject(fields);
			const where = `${path}: line ${line}`;
			if (!('file' in row) || 'text' in row) {
				if (isOurs(row)) ours = true;
				texts.add(row, where, `${path}#${line}`, path);
				continue;
			}
			const image = ImageRow.safeParse(row);
			if (!image.success) {
				const issue = image.error.issues[0];
				imageWarnings.add(`${where}: ${keyOf(issue?.path ?? [])}: ${issue?.message}; skipped`);
				continue;
			}
			const r = image.data;
			const ref = safeReference(r.file);
			const found = ref.ok ? index.resolve(ref.path, [dirname(path), '']) : null;
			if (!ref.ok)
				imageWarnings.add(
					`${where}: refused image reference "${r.file}" (absolute or outside the dataset)`
				);
			if (found === null) {
				if (ref.ok)
					imageWarnings.tally(
						'missing',
						(n) => `${n} image${n === 1 ? '' : 's'} named in the JSONL files missing from the files`
					);
				continue;
			}
			if (r.boxes) boxes = true;
			if (r.labels) multi = true;
			const label = r.boxes
				? {
						type: 'boxes' as const,
						boxes: r.boxes.map((b) => ({
							name: imageClasses.add(b.class),
							x: b.x,
							y: b.y,
							w: b.w,
							h: b.h
						}))
					}
				: r.labels
					? { type: 'classes' as const, names: r.labels.map((n) => imageClasses.add(n)) }
					: r.label
						? { type: 'classes' as const, names: [imageClasses.add(r.label)] }
						: null;
			images.push({
				name: found,
				kind: 'image',
				text: null,
				split: splitFromName(path),
				width: r.width ?? null,
				height: r.height ?? null,
				label
			});
		}
	}
	if (images.length > 0) {
		for (const w of texts.warnings.toArray()) imageWarnings.add(w);
		return {
			format: 'image-jsonl',
			taskKind: boxes ? 'object-detection' : 'image-classification',
			multiLabel: !boxes && multi,
			classes: imageClasses.names,
			relationTypes: [],
			records: images,
			warnings: imageWarnings.toArray()
		};
	}
	for (const w of imageWarnings.toArray()) texts.warnings.add(w);
	return texts.finish(ours ? 'text-jsonl' : 'doccano-jsonl');
}
