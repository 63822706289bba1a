import { classFolderNames, extensionOf, itemFileName, textEntry } from '../paths';
import type {
	DatasetSnapshot,
	ExportEntry,
	ExportFormat,
	ExportRecord,
	ExportSplit
} from '../snapshot';
import { IMAGEFOLDER_LOADER } from './imageScripts';
import {
	assertTask,
	classIndex,
	isoTime,
	jsonText,
	oneLine,
	plural,
	sidecarCsv,
	singleClassOf,
	splitsOf
} from './imageShared';

/**
 * `<split>/<class folder>/<image>`: the layout torchvision's ImageFolder and Keras's
 * image_dataset_from_directory read. Folder names sort in class order (`classFolderNames`),
 * so a loader that numbers the folders it finds, sorted, numbers them as the task does.
 *
 * A zip holds no empty folders, and torchvision refuses an empty class folder anyway, so a
 * split only has folders for the classes it has images of. Where a split lacks a class, a
 * loader left to itself would renumber the classes after it: `dataset_info.json` names those
 * splits (`missing_classes`), and `load_dataset.py` loads any split with every class index
 * kept, for Keras and torchvision both.
 */

/** File types torchvision's ImageFolder reads (`IMG_EXTENSIONS`); it skips the others. */
const TORCHVISION_TYPES = new Set(['jpg', 'jpeg', 'png', 'bmp', 'webp', 'tif', 'tiff']);

type Placed = { record: ExportRecord; cls: number; file: string };

async function* writeImageFolder(snapshot: DatasetSnapshot): AsyncGenerator<ExportEntry> {
	assertTask(imageFolderFormat, snapshot.task);
	const index = classIndex(snapshot.task);
	const folders = classFolderNames(snapshot.task.classes);
	const placed: Placed[] = [];
	for (const record of snapshot.records) {
		const cls = singleClassOf(record, index);
		if (cls === null) continue;
		const file = `${record.split}/${folders[cls]}/${itemFileName(record.item)}`;
		placed.push({ record, cls, file });
	}
	const splits = splitsOf(placed.map((p) => p.record));

	const info = {
		format: 'imagefolder',
		exported_by: 'ModelShip',
		project: snapshot.projectName,
		task: snapshot.task.name,
		created_at: isoTime(snapshot.createdAt),
		classes: snapshot.task.classes.map((c, i) => ({ index: i, name: c.name, folder: folders[i] })),
		splits: Object.fromEntries(splits.map((s) => [s, splitInfo(placed, s, folders)])),
		skipped_without_class: snapshot.records.length - placed.length
	};
	yield textEntry('dataset_info.json', jsonText(info));
	yield textEntry('load_dataset.py', IMAGEFOLDER_LOADER);
	const odd = [...new Set(placed.map((p) => extensionOf(p.record.item.mime)))].filter(
		(e) => !TORCHVISION_TYPES.has(e)
	);
	yield textEntry('README.md', readme(snapshot, splits, info.splits, odd));
	const sidecar = sidecarCsv(
		placed.map((p) => ({ file: p.file, split: p.record.split, record: p.record })),
		snapshot.options
	);
	if (sidecar !== null) yield textEntry('metadata.csv', sidecar);

	for (const p of placed) {
		yield { path: p.file, bytes: await snapshot.readBytes(p.record.item), compress: false };
	}
}

function splitInfo(placed: readonly Placed[], split: ExportSplit, folders: readonly string[]) {
	const counts = folders.map(() => 0);
	for (const p of placed) if (p.record.split === split) counts[p.cls] = (counts[p.cls] ?? 0) + 1;
	return {
		images: counts.reduce((a, b) => a + b, 0),
		per_class: Object.fromEntries(folders.map((f, i) => [f, counts[i]])),
		missing_classes: folders.filter((_, i) => counts[i] === 0)
	};
}

function readme(
	snapshot: DatasetSnapshot,
	splits: readonly ExportSplit[],
	info: Record<string, { images: number; missing_classes: string[] }>,
	oddTypes: readonly string[]
): string {
	const gaps = splits.filter((s) => (info[s]?.missing_classes.length ?? 0) > 0);
	const lines = [
		`# ${oneLine(snapshot.projectName)}: ${oneLine(snapshot.task.name)}`,
		'',
		'Image classification dataset exported by ModelShip, one folder per split and class:',
		'`<split>/<class>/<image>`. Class folders sort in class order, so class index i is',
		'`dataset_info.json` → `classes[i]`.',
		'',
		...splits.map((s) => `- \`${s}/\`: ${plural(info[s]?.images ?? 0, 'image')}`),
		'',
		'```python',
		'from torchvision import datasets',
		'train = datasets.ImageFolder("train")',
		'',
		'import tensorflow as tf',
		'train = tf.keras.utils.image_dataset_from_directory("train")',
		'```',
		'',
		'A split only has folders for the classes it has images of (torchvision refuses an empty',
		'class folder). When a split lacks a class (`missing_classes` in `dataset_info.json`),',
		'those loaders number its classes differently: load it with `load_dataset.py`',
		'(`torchvision_dataset(split)`, `keras_dataset(split)`), which keeps every class index.',
		...(gaps.length > 0
			? ['', `In this export: ${gaps.map((s) => `\`${s}\``).join(', ')} lack some classes.`]
			: []),
		...(oddTypes.length > 0
			? [
					'',
					`torchvision's ImageFolder skips ${oddTypes.map((e) => `.${e}`).join(', ')} files: convert them first.`
				]
			: []),
		...(snapshot.options.includeMetadata || snapshot.options.includeScores
			? ['', '`metadata.csv` lists each image with its metadata and scores.']
			: []),
		''
	];
	return lines.join('\n');
}

export const imageFolderFormat: ExportFormat = {
	id: 'imagefolder',
	name: 'Image folders',
	description:
		'One folder per split and class, images inside, for torchvision ImageFolder and Keras image_dataset_from_directory.',
	consumers: 'torchvision ImageFolder, Keras image_dataset_from_directory',
	itemKind: 'image',
	taskKinds: ['image-classification'],
	multiLabel: false,
	write: writeImageFolder
};
