import type { SourceFiles } from '../sourceFiles';
import { readText } from '../sourceFiles';
import type { ImportedDataset, ImportedLabel, ImportedRecord } from './dataset';
import {
	DatasetFormatError,
	FileIndex,
	Warnings,
	basename,
	dirname,
	extension,
	isImagePath,
	joinPath,
	plural,
	requireText,
	safeReference,
	splitFromName,
	type Split
} from './common';
import { displayedImageSize } from './imageHeader';
import { parseYaml, type YamlValue } from './yaml';

/**
 * YOLO detection datasets. Ultralytics: a `data.yaml` naming classes (list or `{index: name}`)
 * and the image folders or list files of each split (`images/<split>/`, labels in the parallel
 * `labels/<split>/`). Darknet: `obj.names` / `classes.txt`, optional `obj.data` and
 * `train.txt`-style image lists, labels in a `.txt` beside each image. Labels hold
 * `class cx cy w h` normalised to the image, so each image's size is read from its header
 * (EXIF rotation applied) to give absolute pixels.
 */

type Box = { name: string; x: number; y: number; w: number; h: number };

/** Rounds away float noise from de-normalising (6 decimals of a pixel). */
const clean = (v: number): number => Math.round(v * 1e6) / 1e6;

/** Label file candidates for an image: `images/` → `labels/`, then the `.txt` beside it. */
function labelPaths(image: string): string[] {
	const base = image.slice(0, image.length - extension(image).length - 1);
	const segments = base.split('/');
	const out: string[] = [];
	for (const from of ['images', 'JPEGImages']) {
		const at = segments.lastIndexOf(from);
		if (at === -1) continue;
		const swapped = [...segments];
		swapped[at] = 'labels';
		out.push(`${swapped.join('/')}.txt`);
	}
	out.push(`${base}.txt`);
	return out;
}

/** Parses one label file into boxes of an image of `size` (null: size unknown). */
function parseLabels(
	text: string,
	file: string,
	classes: readonly string[],
	size: { width: number; height: number },
	warnings: Warnings
): Box[] {
	const boxes: Box[] = [];
	const lines = text.split(/\r\n?|\n/);
	for (let i = 0; i < lines.length; i++) {
		const line = (lines[i] as string).trim();
		if (line === '' || line.startsWith('#')) continue;
		const parts = line.split(/\s+/).map(Number);
		const [cls] = parts;
		if (parts.some((n) => !Number.isFinite(n)) || parts.length < 5 || cls === undefined) {
			warnings.add(`${file}: line ${i + 1}: expected "class x_center y_center width height"`);
			continue;
		}
		const name = Number.isInteger(cls) ? classes[cls] : undefined;
		if (name === undefined) {
			warnings.tally(
				'class-index',
				(n) => `${plural(n, 'label line')} with a class index outside the class list skipped`
			);
			continue;
		}
		let cx: number, cy: number, w: number, h: number;
		if (parts.length <= 6) {
			// A sixth number is a prediction's confidence.
			[cx, cy, w, h] = parts.slice(1, 5) as [number, number, number, number];
		} else if ((parts.length - 1) % 2 === 0) {
			// A segmentation polygon: its bounding box.
			const xs = parts.slice(1).filter((_, k) => k % 2 === 0);
			const ys = parts.slice(1).filter((_, k) => k % 2 === 1);
			const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
			[cx, cy, w, h] = [(x0 + x1) / 2, (y0 + y1) / 2, x1 - x0, y1 - y0];
			warnings.tally(
				'polygon',
				(n) =>
					`${plural(n, 'segmentation polygon')} read as ${n === 1 ? 'its' : 'their'} bounding box`
			);
		} else {
			warnings.add(`${file}: line ${i + 1}: expected "class x_center y_center width height"`);
			continue;
		}
		if (!(w > 0 && h > 0)) {
			warnings.add(`${file}: line ${i + 1}: box has no area`);
			continue;
		}
		boxes.push({
			name,
			x: clean((cx - w / 2) * size.width),
			y: clean((cy - h / 2) * size.height),
			w: clean(w * size.width),
			h: clean(h * size.height)
		});
	}
	return boxes;
}

/** Builds each image's record: its size from the header, its boxes from its label file. */
async function imageRecords(
	files: SourceFiles,
	images: readonly { path: string; split: Split | null }[],
	classes: readonly string[],
	warnings: Warnings
): Promise<ImportedRecord[]> {
	const index = new FileIndex(files.paths);
	const records: ImportedRecord[] = [];
	const seen = new Set<string>();
	for (const { path, split } of images) {
		if (seen.has(path)) continue;
		seen.add(path);
		const bytes = await files.read(path);
		const size = bytes ? displayedImageSize(bytes) : null;
		let label: ImportedLabel | null = null;
		if (!size) {
			warnings.tally(
				'size',
				(n) =>
					`${plural(n, 'image')} whose size could not be read from the file header: ${n === 1 ? 'its' : 'their'} labels are skipped`
			);
		} else {
			const labelFile = labelPaths(path).find((p) => index.has(p));
			// A missing label file means "no objects" to every YOLO trainer.
			const text = labelFile ? await requireText(files, labelFile) : '';
			label = {
				type: 'boxes',
				boxes: parseLabels(text, labelFile ?? path, classes, size, warnings)
			};
		}
		records.push({
			name: path,
			kind: 'image',
			text: null,
			split,
			width: size?.width ?? null,
			height: size?.height ?? null,
			label
		});
	}
	return records;
}

function dataset(
	format: 'yolo' | 'darknet',
	classes: string[],
	records: ImportedRecord[],
	warnings: Warnings
): ImportedDataset {
	return {
		format,
		taskKind: 'object-detection',
		multiLabel: false,
		classes,
		relationTypes: [],
		records,
		warnings: warnings.toArray()
	};
}

/** Class names from `names` as a list or an `{index: name}` map. */
function namesFrom(value: YamlValue | undefined, file: string, warnings: Warnings): string[] {
	if (value === undefined || value === null)
		throw new DatasetFormatError(`${file}: names is missing`);
	if (typeof value === 'string')
		throw new DatasetFormatError(`${file}: names must be a list or a map`);
	if (Array.isArray(value)) {
		return value.map((v, i) => {
			if (typeof v !== 'string' || v === '')
				throw new DatasetFormatError(`${file}: names[${i}] is not a name`);
			return v;
		});
	}
	const entries = Object.entries(value).map(([k, v]) => {
		const index = Number(k);
		if (!Number.isInteger(index) || index < 0)
			throw new DatasetFormatError(`${file}: names: key "${k}" is not a class index`);
		if (typeof v !== 'string' || v === '')
			throw new DatasetFormatError(`${file}: names.${k} is not a name`);
		return [index, v] as const;
	});
	const size = entries.reduce((n, [i]) => Math.max(n, i + 1), 0);
	const out = Array.from({ length: size }, (_, i) => `class_${i}`);
	for (const [i, name] of entries) out[i] = name;
	if (entries.length < size)
		warnings.add(`${file}: names has gaps; missing indices are named class_<index>`);
	return out;
}

/** `../train/images` (Roboflow) and `images/train` both mean a folder under the root. */
function splitFolder(root: string, ref: string): string | null {
	const direct = joinPath(root, ref);
	if (direct !== null) return direct;
	return joinPath(root, ref.replace(/\\/g, '/').replace(/^(\.\.?\/)+/, ''));
}

const SPLIT_KEYS: [string, Split][] = [
	['train', 'train'],
	['val', 'validation'],
	['valid', 'validation'],
	['validation', 'validation'],
	['test', 'test']
];

/** The image paths of a list file (one per line), resolved inside the files. */
async function listedImages(
	files: SourceFiles,
	listFile: string,
	bases: readonly string[],
	index: FileIndex,
	warnings: Warnings
): Promise<string[]> {
	const text = (await readText(files, listFile)) ?? '';
	const out: string[] = [];
	for (const raw of text.split(/\r\n?|\n/)) {
		const line = raw.trim();
		if (line === '' || line.startsWith('#')) continue;
		// Darknet lists hold paths on the author's machine (`/home/me/darknet/data/obj/1.jpg`):
		// they are matched by their trailing segments inside the files, never opened as is.
		const absolute = /^([A-Za-z]:)?[\\/]/.test(line);
		const ref = safeReference(absolute ? line.replace(/^([A-Za-z]:)?[\\/]+/, '') : line);
		if (!ref.ok) {
			warnings.add(`${listFile}: refused image reference "${line}" (outside the dataset)`);
			continue;
		}
		const found = index.resolve(ref.path, absolute ? [] : bases);
		if (found === null || !isImagePath(found)) {
			warnings.tally(
				`missing:${listFile}`,
				(n) =>
					`${plural(n, 'image')} listed in ${listFile} ${n === 1 ? 'is' : 'are'} missing from the files`
			);
			continue;
		}
		out.push(found);
	}
	return out;
}

/** The `.yaml` holding the class names: `data.yaml`, `dataset.yaml`, else the only one. */
export function yoloConfigPath(paths: readonly string[]): string | null {
	const yaml = paths.filter((p) => ['yaml', 'yml'].includes(extension(p)));
	const named = yaml.filter((p) => /^(data|dataset)\.ya?ml$/i.test(basename(p)));
	const pool = named.length > 0 ? named : yaml;
	return pool.sort((a, b) => a.split('/').length - b.split('/').length)[0] ?? null;
}

/**
 * Reads an Ultralytics YOLO dataset (`data.yaml` + images + labels).
 *
 * Example: `await readYolo(files)` with `data.yaml` = `names: [cat, dog]\ntrain: images/train`
 * → `{ format: 'yolo', classes: ['cat', 'dog'], records: [{ name: 'images/train/a.jpg', split: 'train', width: 640, height: 480, label: { type: 'boxes', … } }], … }`
 */
export async function readYolo(files: SourceFiles): Promise<ImportedDataset> {
	const configPath = yoloConfigPath(files.paths);
	if (!configPath)
		throw new DatasetFormatError('no data.yaml: a YOLO dataset names its classes there');
	const config = parseYaml(await requireText(files, configPath), configPath);
	const warnings = new Warnings();
	const classes = namesFrom(config.names, configPath, warnings);
	const nc = typeof config.nc === 'string' ? Number(config.nc) : null;
	if (nc !== null && nc !== classes.length) {
		warnings.add(
			`${configPath}: nc is ${config.nc} but names lists ${plural(classes.length, 'class', 'classes')}`
		);
	}

	let root = dirname(configPath);
	if (typeof config.path === 'string' && config.path !== '') {
		const candidate = safeReference(config.path);
		const joined = candidate.ok ? joinPath(root, candidate.path) : null;
		if (joined !== null && files.paths.some((p) => p.startsWith(`${joined}/`))) root = joined;
	}

	const index = new FileIndex(files.paths);
	const images: { path: string; split: Split | null }[] = [];
	for (const [key, split] of SPLIT_KEYS) {
		const value = config[key];
		const refs = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
		for (const ref of refs) {
			if (typeof ref !== 'string' || ref === '') continue;
			const folder = splitFolder(root, ref);
			if (folder === null) continue;
			if (extension(folder) === 'txt' && index.has(folder)) {
				const listed = await listedImages(files, folder, [dirname(folder), root], index, warnings);
				images.push(...listed.map((path) => ({ path, split })));
				continue;
			}
			const prefix = folder === '' ? '' : `${folder}/`;
			const inFolder = files.paths.filter((p) => p.startsWith(prefix) && isImagePath(p));
			if (inFolder.length === 0)
				warnings.add(`${configPath}: ${key} folder "${ref}" holds no images`);
			images.push(...inFolder.map((path) => ({ path, split })));
		}
	}
	if (images.length === 0) {
		// No usable split keys: every image under the root, split by its folder names.
		const prefix = root === '' ? '' : `${root}/`;
		for (const path of files.paths) {
			if (path.startsWith(prefix) && isImagePath(path))
				images.push({ path, split: splitFromName(dirname(path)) });
		}
	}
	return dataset('yolo', classes, await imageRecords(files, images, classes, warnings), warnings);
}

/** The darknet class-names file: `obj.data`'s `names`, else `obj.names` / `*.names` / `classes.txt`. */
function darknetNamesPath(
	paths: readonly string[],
	objData: Record<string, string>,
	index: FileIndex
): string | null {
	if (objData.names) {
		const ref = safeReference(objData.names.replace(/^([A-Za-z]:)?[\\/]+/, ''));
		const found = ref.ok ? index.resolve(ref.path, ['']) : null;
		if (found) return found;
	}
	const byDepth = [...paths].sort((a, b) => a.split('/').length - b.split('/').length);
	return (
		byDepth.find((p) => extension(p) === 'names') ??
		byDepth.find((p) => /^(classes|obj|labels)\.txt$/i.test(basename(p))) ??
		null
	);
}

/** `key = value` lines of `obj.data`. */
function parseObjData(text: string): Record<string, string> {
	const out: Record<string, string> = {};
	for (const line of text.split(/\r\n?|\n/)) {
		const eq = line.indexOf('=');
		if (eq === -1 || line.trim().startsWith('#')) continue;
		out[line.slice(0, eq).trim().toLowerCase()] = line.slice(eq + 1).trim();
	}
	return out;
}

/**
 * Reads a darknet (AlexeyAB / pjreddie) YOLO dataset.
 *
 * Example: `await readDarknet(files)` with `obj.names`, `train.txt` and `obj/1.jpg` + `obj/1.txt`
 * → `{ format: 'darknet', classes: ['cat', 'dog'], records: [{ name: 'obj/1.jpg', split: 'train', … }], … }`
 */
export async function readDarknet(files: SourceFiles): Promise<ImportedDataset> {
	const index = new FileIndex(files.paths);
	const warnings = new Warnings();
	const objDataPath = files.paths.find(
		(p) => extension(p) === 'data' && basename(p).toLowerCase() !== '.data'
	);
	const objData = objDataPath ? parseObjData((await readText(files, objDataPath)) ?? '') : {};
	const namesPath = darknetNamesPath(files.paths, objData, index);
	if (!namesPath)
		throw new DatasetFormatError(
			'no obj.names or classes.txt: a darknet dataset names its classes there'
		);
	const classes = (await requireText(files, namesPath))
		.split(/\r\n?|\n/)
		.map((l) => l.trim())
		.filter((l) => l !== '');
	if (classes.length === 0) throw new DatasetFormatError(`${namesPath}: no class names`);

	const lists: [string, Split][] = [];
	const listKeys: [string, Split][] = [
		['train', 'train'],
		['valid', 'validation'],
		['val', 'validation'],
		['test', 'test']
	];
	for (const [key, split] of listKeys) {
		const ref = objData[key];
		if (!ref) continue;
		const safe = safeReference(ref.replace(/^([A-Za-z]:)?[\\/]+/, ''));
		const found = safe.ok
			? index.resolve(safe.path, [objDataPath ? dirname(objDataPath) : '', ''])
			: null;
		if (found) lists.push([found, split]);
		else warnings.add(`${objDataPath}: ${key} list "${ref}" is missing from the files`);
	}
	if (lists.length === 0) {
		for (const path of files.paths) {
			const name = basename(path).toLowerCase();
			const split = /^(train|valid|val|test)\.txt$/.test(name) ? splitFromName(name) : null;
			if (split) lists.push([path, split]);
		}
	}

	const images: { path: string; split: Split | null }[] = [];
	for (const [list, split] of lists) {
		const listed = await listedImages(
			files,
			list,
			[dirname(list), dirname(dirname(list)), ''],
			index,
			warnings
		);
		images.push(...listed.map((path) => ({ path, split })));
	}
	if (lists.length === 0) {
		for (const path of files.paths) if (isImagePath(path)) images.push({ path, split: null });
	}
	return dataset(
		'darknet',
		classes,
		await imageRecords(files, images, classes, warnings),
		warnings
	);
}
