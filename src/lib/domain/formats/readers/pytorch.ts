import { z } from 'zod';
import type { SourceFiles } from '../sourceFiles';
import type { ImportedDataset, ImportedLabel, ImportedRecord } from './dataset';
import {
	DatasetFormatError,
	Warnings,
	basename,
	dirname,
	joinPath,
	parseJson,
	parseWith,
	plural,
	requireText,
	safeReference
} from './common';

/**
 * Our PyTorch export: `annotations.json` (`format: "modelship-pytorch"`, `classes` by index,
 * `items` with `file`, `split`, `width`, `height` and `label` (a class index), `labels`
 * (indices, multi-label) or `boxes` (`{class, x, y, w, h}` pixels, top-left origin)) beside
 * `images/…` and `dataset.py`.
 */

const Box = z.object({
	class: z.number().int(),
	x: z.number(),
	y: z.number(),
	w: z.number(),
	h: z.number()
});

const Annotations = z.object({
	format: z.literal('modelship-pytorch'),
	kind: z.enum(['image-classification', 'object-detection']).optional(),
	multi_label: z.boolean().optional(),
	classes: z.array(z.string()),
	items: z.array(
		z.object({
			file: z.string(),
			split: z.enum(['train', 'validation', 'test']).nullish(),
			width: z.number().positive().nullish(),
			height: z.number().positive().nullish(),
			label: z.number().int().nullish(),
			labels: z.array(z.number().int()).nullish(),
			boxes: z.array(Box).nullish()
		})
	)
});

/** `annotations.json` with `dataset.py` beside it, or null (paths only). */
export function pytorchAnnotationsPath(paths: readonly string[]): string | null {
	const set = new Set(paths);
	for (const p of paths) {
		if (basename(p) !== 'annotations.json') continue;
		if (set.has(`${dirname(p) === '' ? '' : `${dirname(p)}/`}dataset.py`)) return p;
	}
	return null;
}

/** Whether a parsed JSON file is our PyTorch `annotations.json`. */
export const isPytorchAnnotations = (value: unknown): boolean =>
	typeof value === 'object' &&
	value !== null &&
	(value as Record<string, unknown>).format === 'modelship-pytorch';

/**
 * Reads our PyTorch export.
 *
 * Example: `annotations.json` = `{"format": "modelship-pytorch", "classes": ["cat"], "items": [{"file": "images/a.png", "split": "train", "label": 0}]}`
 * → `{ format: 'pytorch', taskKind: 'image-classification', classes: ['cat'], records: [{ name: 'images/a.png', label: { type: 'classes', names: ['cat'] } }] }`
 */
export async function readPytorch(files: SourceFiles): Promise<ImportedDataset> {
	let path = pytorchAnnotationsPath(files.paths);
	if (path === null) {
		for (const p of files.paths.filter((q) => basename(q) === 'annotations.json')) {
			try {
				if (isPytorchAnnotations(parseJson(p, await requireText(files, p)))) path = p;
			} catch {
				continue;
			}
			if (path !== null) break;
		}
	}
	if (path === null)
		throw new DatasetFormatError('no annotations.json of a ModelShip PyTorch export');
	const doc = parseWith(Annotations, parseJson(path, await requireText(files, path)), path);
	const detection =
		doc.kind === 'object-detection' ||
		(doc.kind === undefined && doc.items.some((i) => i.boxes !== undefined && i.boxes !== null));
	const multi = !detection && (doc.multi_label ?? doc.items.some((i) => Array.isArray(i.labels)));
	const base = dirname(path);
	const have = new Set(files.paths);
	const warnings = new Warnings();
	const records: ImportedRecord[] = [];
	const nameOf = (cls: number, where: string): string | null => {
		const name = doc.classes[cls];
		if (name === undefined)
			warnings.tally(
				'class',
				(n) =>
					`${plural(n, 'label')} with a class index not in classes skipped (first: ${path}: ${where})`
			);
		return name ?? null;
	};
	doc.items.forEach((item, i) => {
		const where = `items[${i}]`;
		const ref = safeReference(item.file);
		const file = ref.ok ? joinPath(base, ref.path) : null;
		if (file === null) {
			warnings.add(`${path}: ${where}.file: "${item.file}" points outside the dataset; skipped`);
			return;
		}
		if (!have.has(file)) {
			warnings.tally(
				'missing',
				(n) =>
					`${plural(n, 'image')} missing from the files skipped (first: ${path}: ${where}.file)`
			);
			return;
		}
		let label: ImportedLabel | null;
		if (detection) {
			const boxes = [];
			for (const [k, b] of (item.boxes ?? []).entries()) {
				const name = nameOf(b.class, `${where}.boxes[${k}].class`);
				if (name === null) continue;
				if (!(b.w > 0 && b.h > 0)) {
					warnings.add(`${path}: ${where}.boxes[${k}]: a box without area; skipped`);
					continue;
				}
				boxes.push({ name, x: b.x, y: b.y, w: b.w, h: b.h });
			}
			label = { type: 'boxes', boxes };
		} else {
			const ids = multi
				? (item.labels ?? [])
				: item.label === null || item.label === undefined
					? []
					: [item.label];
			const names: string[] = [];
			ids.forEach((id, k) => {
				const name = nameOf(id, multi ? `${where}.labels[${k}]` : `${where}.label`);
				if (name !== null) names.push(name);
			});
			label = names.length === 0 && !multi ? null : { type: 'classes', names };
		}
		records.push({
			name: file,
			kind: 'image',
			text: null,
			split: item.split ?? null,
			width: item.width ?? null,
			height: item.height ?? null,
			label
		});
	});
	return {
		format: 'pytorch',
		taskKind: detection ? 'object-detection' : 'image-classification',
		multiLabel: multi,
		classes: doc.classes,
		relationTypes: [],
		records,
		warnings: warnings.toArray()
	};
}
