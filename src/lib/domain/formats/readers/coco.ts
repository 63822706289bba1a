import { z } from 'zod';
import type { SourceFiles } from '../sourceFiles';
import type { ImportedDataset, ImportedRecord } from './dataset';
import {
	DatasetFormatError,
	FileIndex,
	NameList,
	Warnings,
	basename,
	dirname,
	extension,
	parseJson,
	parseWith,
	plural,
	requireText,
	safeReference,
	splitFromName,
	stem,
	type Split
} from './common';

/**
 * COCO detection files (`annotations/instances_<split>.json`, Roboflow's
 * `<split>/_annotations.coco.json`, our own export): one JSON per split with `images`,
 * `annotations` and `categories`. Category ids may start anywhere; classes follow id order.
 */

const Id = z.union([z.number(), z.string()]);
const CocoJson = z.object({
	images: z.array(
		z.object({
			id: Id,
			file_name: z.string(),
			width: z.number().nullish(),
			height: z.number().nullish()
		})
	),
	annotations: z.array(
		z.object({
			image_id: Id,
			category_id: Id,
			bbox: z.array(z.number()).nullish()
		})
	),
	categories: z.array(z.object({ id: Id, name: z.string() }))
});
type CocoJson = z.infer<typeof CocoJson>;

const SPLIT_DIRS: Record<Split, string[]> = {
	train: ['train'],
	validation: ['val', 'validation', 'valid'],
	test: ['test']
};

function looksLikeCoco(value: unknown): boolean {
	return (
		typeof value === 'object' &&
		value !== null &&
		'images' in value &&
		'annotations' in value &&
		'categories' in value
	);
}

/** The COCO JSON files among `paths`: `instances_*` when there are any, else every `.json`. */
function candidates(paths: readonly string[]): string[] {
	const json = paths.filter((p) => extension(p) === 'json');
	const instances = json.filter((p) => basename(p).toLowerCase().startsWith('instances'));
	return instances.length > 0 ? instances : json;
}

/**
 * Reads COCO object detection annotations.
 *
 * Example: `await readCoco(sourceFilesOf(new Map([['annotations/instances_train.json', …], ['images/train/a.jpg', …]])))`
 * → `{ format: 'coco', taskKind: 'object-detection', classes: ['cat', 'dog'], records: [{ name: 'images/train/a.jpg', split: 'train', label: { type: 'boxes', … } }], … }`
 */
export async function readCoco(files: SourceFiles): Promise<ImportedDataset> {
	const parsed: { path: string; data: CocoJson }[] = [];
	const paths = candidates(files.paths);
	for (const path of paths) {
		const value = parseJson(path, await requireText(files, path));
		if (!looksLikeCoco(value)) {
			if (paths.length === 1)
				throw new DatasetFormatError(`${path}: images, annotations or categories is missing`);
			continue;
		}
		parsed.push({ path, data: parseWith(CocoJson, value, path) });
	}
	if (parsed.length === 0) {
		throw new DatasetFormatError(
			'no COCO annotation file: expected a JSON file with images, annotations and categories'
		);
	}

	const warnings = new Warnings();
	// Category ids → names, merged across split files and ordered by id.
	const categoryNames = new Map<string, string>();
	const categoryIds: (string | number)[] = [];
	for (const { path, data } of parsed) {
		for (const c of data.categories) {
			const known = categoryNames.get(String(c.id));
			if (known === undefined) {
				categoryNames.set(String(c.id), c.name);
				categoryIds.push(c.id);
			} else if (known !== c.name) {
				warnings.add(
					`${path}: category ${c.id} is "${c.name}" here but "${known}" in another file`
				);
			}
		}
	}
	const numeric = categoryIds.every((id) => typeof id === 'number');
	categoryIds.sort((a, b) =>
		numeric ? (a as number) - (b as number) : String(a).localeCompare(String(b))
	);
	const classes = new NameList();
	for (const id of categoryIds) classes.add(categoryNames.get(String(id)) as string);

	const index = new FileIndex(files.paths);
	const records: ImportedRecord[] = [];
	const seen = new Set<string>();
	for (const { path, data } of parsed) {
		const split = splitFromName(path);
		const jsonStem = stem(path).replace(/^instances_?/i, '');
		const splitDirs = [...(jsonStem === '' ? [] : [jsonStem]), ...(split ? SPLIT_DIRS[split] : [])];
		const dir = dirname(path);
		const bases = [...new Set([dir, dirname(dir), ''])];

		const boxesOf = new Map<
			string,
			{ name: string; x: number; y: number; w: number; h: number }[]
		>();
		const imageIds = new Set(data.images.map((im) => String(im.id)));
		for (const a of data.annotations) {
			const imageId = String(a.image_id);
			if (!imageIds.has(imageId)) {
				warnings.tally(
					'image-id',
					(n) =>
						`${plural(n, 'annotation')} ${n === 1 ? 'points' : 'point'} at image ids that do not exist`
				);
				continue;
			}
			const name = categoryNames.get(String(a.category_id));
			if (name === undefined) {
				warnings.tally(
					'category-id',
					(n) =>
						`${plural(n, 'annotation')} ${n === 1 ? 'has' : 'have'} a category id that is not in categories`
				);
				continue;
			}
			const b = a.bbox;
			if (!b || b.length !== 4 || !((b[2] as number) > 0 && (b[3] as number) > 0)) {
				warnings.tally('bbox', (n) => `${plural(n, 'annotation')} without a usable bbox skipped`);
				continue;
			}
			const box = {
				name,
				x: b[0] as number,
				y: b[1] as number,
				w: b[2] as number,
				h: b[3] as number
			};
			const list = boxesOf.get(imageId);
			if (list) list.push(box);
			else boxesOf.set(imageId, [box]);
		}

		for (const image of data.images) {
			const ref = safeReference(image.file_name);
			if (!ref.ok) {
				warnings.add(
					`${path}: refused image reference "${image.file_name}" (absolute or outside the dataset)`
				);
				continue;
			}
			const file = index.resolve(ref.path, bases, splitDirs);
			if (file === null) {
				warnings.tally(
					'missing',
					(n) =>
						`${plural(n, 'image')} listed in the COCO files ${n === 1 ? 'is' : 'are'} missing from the files`
				);
				continue;
			}
			if (seen.has(file)) {
				warnings.add(`${path}: image ${file} is listed more than once; the first is kept`);
				continue;
			}
			seen.add(file);
			records.push({
				name: file,
				kind: 'image',
				text: null,
				split,
				width: image.width ?? null,
				height: image.height ?? null,
				// COCO lists every image; one without annotations has no objects.
				label: { type: 'boxes', boxes: boxesOf.get(String(image.id)) ?? [] }
			});
		}
	}

	return {
		format: 'coco',
		taskKind: 'object-detection',
		multiLabel: false,
		classes: classes.names,
		relationTypes: [],
		records,
		warnings: warnings.toArray()
	};
}

/** True when a parsed JSON value has COCO's three top-level keys. */
export { looksLikeCoco };
