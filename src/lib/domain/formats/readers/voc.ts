import type { SourceFiles } from '../sourceFiles';
import { readText } from '../sourceFiles';
import type { ImportedDataset, ImportedRecord } from './dataset';
import {
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
	stem,
	DatasetFormatError,
	type Split
} from './common';
import { child, childText, parseXml } from './xml';

/**
 * Pascal VOC (and LabelImg, which writes the same XML beside each image): one
 * `Annotations/<id>.xml` per image with `size`, and `object`s with `name` and a 1-based
 * inclusive `bndbox`. Our writer stores `xmin = round(x) + 1`, `xmax = round(x + w)`, so
 * reading is `x = xmin − 1`, `w = xmax − x` (same for y/h). Splits come from
 * `ImageSets/Main/{train,val,test}.txt`. Classes come from `labels.txt` beside `Annotations/`
 * when there is one (labelme/CVAT write it), else in the order they first appear, reading
 * the XML files in path order.
 */

const IGNORED_LABELS = new Set(['__ignore__', '_background_', 'background']);

/** The VOC root of an annotation file: the folder above `Annotations/`, else its own folder. */
function rootOf(xmlPath: string): string {
	const dir = dirname(xmlPath);
	return basename(dir) === 'Annotations' ? dirname(dir) : dir;
}

/** Image ids → split from `ImageSets/Main/*.txt` under `root`. */
async function splitsOf(files: SourceFiles, root: string): Promise<Map<string, Split>> {
	const out = new Map<string, Split>();
	const folder = joinPath(root, 'ImageSets/Main') as string;
	const lists: [string, Split][] = [
		['train', 'train'],
		['val', 'validation'],
		['validation', 'validation'],
		['test', 'test']
	];
	let found = false;
	for (const [name, split] of lists) {
		const text = await readText(files, `${folder}/${name}.txt`);
		if (text === undefined) continue;
		found = true;
		for (const line of text.split(/\r\n?|\n/)) {
			const id = line.trim().split(/\s+/)[0];
			if (id && !out.has(id)) out.set(id, split);
		}
	}
	if (!found) {
		const text = await readText(files, `${folder}/trainval.txt`);
		for (const line of text?.split(/\r\n?|\n/) ?? []) {
			const id = line.trim().split(/\s+/)[0];
			if (id) out.set(id, 'train');
		}
	}
	return out;
}

/** The annotation XML files: those under an `Annotations/` folder, else every `.xml`. */
export function vocXmlPaths(paths: readonly string[]): string[] {
	const xml = paths.filter((p) => extension(p) === 'xml');
	const annotations = xml.filter((p) => p.split('/').includes('Annotations'));
	return annotations.length > 0 ? annotations : xml;
}

/**
 * Reads Pascal VOC annotations.
 *
 * Example: `await readVoc(files)` with `Annotations/1.xml` and `JPEGImages/1.jpg`
 * → `{ format: 'voc', classes: ['cat'], records: [{ name: 'JPEGImages/1.jpg', width: 500, height: 375, label: { type: 'boxes', boxes: [{ name: 'cat', x: 47, y: 239, w: 148, h: 132 }] } }], … }`
 */
export async function readVoc(files: SourceFiles): Promise<ImportedDataset> {
	const xmlPaths = vocXmlPaths(files.paths);
	if (xmlPaths.length === 0) throw new DatasetFormatError('no Pascal VOC annotation (.xml) files');
	const warnings = new Warnings();
	const index = new FileIndex(files.paths);
	const classes = new NameList();
	const roots = [...new Set(xmlPaths.map(rootOf))];
	const splits = new Map<string, Map<string, Split>>();
	const listed = new Set<string>();
	for (const root of roots) {
		splits.set(root, await splitsOf(files, root));
		const labels = await readText(files, joinPath(root, 'labels.txt') as string);
		for (const line of labels?.split(/\r\n?|\n/) ?? []) {
			const name = line.trim();
			if (name !== '' && !IGNORED_LABELS.has(name)) listed.add(classes.add(name));
		}
	}

	const records: ImportedRecord[] = [];
	const seen = new Set<string>();
	for (const xmlPath of xmlPaths) {
		const doc = parseXml(await requireText(files, xmlPath), xmlPath);
		if (doc.name !== 'annotation') {
			warnings.add(`${xmlPath}: root element is <${doc.name}>, not <annotation>; skipped`);
			continue;
		}
		const root = rootOf(xmlPath);
		const image = findImage(doc, xmlPath, root, index, warnings);
		if (image === null) continue;
		if (seen.has(image)) {
			warnings.add(`${xmlPath}: image ${image} already has an annotation file; skipped`);
			continue;
		}
		seen.add(image);
		const width = numberOf(childText(doc, 'size/width'));
		const height = numberOf(childText(doc, 'size/height'));
		const boxes: { name: string; x: number; y: number; w: number; h: number }[] = [];
		const objects = doc.children.filter((c) => c.name === 'object');
		objects.forEach((object, i) => {
			const name = childText(object, 'name') ?? '';
			const box = child(object, 'bndbox');
			const [xmin, ymin, xmax, ymax] = ['xmin', 'ymin', 'xmax', 'ymax'].map((k) =>
				box ? numberOf(childText(box, k)) : null
			);
			if (name === '' || xmin == null || ymin == null || xmax == null || ymax == null) {
				warnings.add(`${xmlPath}: object ${i + 1}: name or bndbox is missing; skipped`);
				return;
			}
			const x = xmin - 1;
			const y = ymin - 1;
			if (!(xmax - x > 0 && ymax - y > 0)) {
				warnings.add(`${xmlPath}: object ${i + 1}: bndbox has no area; skipped`);
				return;
			}
			if (listed.size > 0 && !classes.has(name)) {
				warnings.tally(
					`unlisted:${name}`,
					(n) => `class "${name}" (${plural(n, 'object')}) is not in labels.txt; added`
				);
			}
			boxes.push({ name: classes.add(name), x, y, w: xmax - x, h: ymax - y });
		});
		records.push({
			name: image,
			kind: 'image',
			text: null,
			split: splits.get(root)?.get(stem(xmlPath)) ?? splitFromName(dirname(image)),
			width: width !== null && width > 0 ? width : null,
			height: height !== null && height > 0 ? height : null,
			label: { type: 'boxes', boxes }
		});
	}
	return {
		format: 'voc',
		taskKind: 'object-detection',
		multiLabel: false,
		classes: classes.names,
		relationTypes: [],
		records,
		warnings: warnings.toArray()
	};
}

/** The image an annotation describes: `filename` in `JPEGImages/` (or near), else by name. */
function findImage(
	doc: ReturnType<typeof parseXml>,
	xmlPath: string,
	root: string,
	index: FileIndex,
	warnings: Warnings
): string | null {
	const filename = childText(doc, 'filename') ?? '';
	const folder = childText(doc, 'folder') ?? '';
	const bases = [...new Set([joinPath(root, 'JPEGImages') as string, root, dirname(xmlPath)])];
	if (filename !== '') {
		const ref = safeReference(filename);
		if (!ref.ok) {
			warnings.add(
				`${xmlPath}: refused image reference "${filename}" (absolute or outside the dataset)`
			);
			return null;
		}
		const found = index.resolve(ref.path, bases, folder === '' ? [] : [folder]);
		if (found !== null && isImagePath(found)) return found;
	}
	// LabelImg's `path` is the author's absolute path: only its base name can help.
	const path = childText(doc, 'path') ?? '';
	const base = basename(path.replace(/\\/g, '/'));
	if (base !== '' && safeReference(base).ok) {
		const found = index.resolve(base, bases);
		if (found !== null && isImagePath(found)) return found;
	}
	for (const dir of bases) {
		for (const ext of ['jpg', 'jpeg', 'png', 'JPG', 'JPEG', 'PNG', 'bmp', 'webp']) {
			const candidate = `${dir === '' ? '' : `${dir}/`}${stem(xmlPath)}.${ext}`;
			if (index.has(candidate)) return candidate;
		}
	}
	warnings.tally(
		'missing',
		(n) =>
			`${plural(n, 'image')} named in the VOC annotations ${n === 1 ? 'is' : 'are'} missing from the files`
	);
	return null;
}
