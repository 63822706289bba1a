import { extensionOf, itemFileName, itemStem, textEntry } from '../paths';
import type {
	DatasetSnapshot,
	ExportEntry,
	ExportFormat,
	ExportRecord,
	ExportSplit
} from '../snapshot';
import {
	assertTask,
	boxesOf,
	classIndex,
	oneLine,
	pixelSize,
	sidecarCsv,
	splitsOf,
	xmlEscape,
	imageEntry
} from './imageShared';

/**
 * Pascal VOC detection: `JPEGImages/<image>` (the stored bytes, so the real extension, as
 * `<filename>` says), `Annotations/<stem>.xml`, `ImageSets/Main/{train,val,test,trainval}.txt`
 * (VOC's own split names) and `labels.txt` (class names, in class order; a name is kept on
 * one line in both places). Corners are VOC's
 * 1-based inclusive pixels: a box from x = 0 to x = 10 is xmin 1, xmax 10.
 */

const VOC_SPLIT: Record<ExportSplit, string> = { train: 'train', validation: 'val', test: 'test' };

const clampInt = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

function annotationXml(
	record: ExportRecord,
	names: readonly string[],
	index: ReadonlyMap<string, number>
) {
	const { width, height } = pixelSize(record.item);
	const objects = boxesOf(record, index).flatMap((b) => {
		const xmin = clampInt(Math.round(b.x) + 1, 1, width);
		const ymin = clampInt(Math.round(b.y) + 1, 1, height);
		const xmax = clampInt(Math.round(b.x + b.w), xmin, width);
		const ymax = clampInt(Math.round(b.y + b.h), ymin, height);
		return [
			'\t<object>',
			`\t\t<name>${xmlEscape(oneLine(names[b.cls] as string))}</name>`,
			'\t\t<pose>Unspecified</pose>',
			'\t\t<truncated>0</truncated>',
			'\t\t<difficult>0</difficult>',
			'\t\t<bndbox>',
			`\t\t\t<xmin>${xmin}</xmin>`,
			`\t\t\t<ymin>${ymin}</ymin>`,
			`\t\t\t<xmax>${xmax}</xmax>`,
			`\t\t\t<ymax>${ymax}</ymax>`,
			'\t\t</bndbox>',
			'\t</object>'
		];
	});
	return [
		'<annotation>',
		'\t<folder>JPEGImages</folder>',
		`\t<filename>${xmlEscape(itemFileName(record.item))}</filename>`,
		'\t<source>',
		'\t\t<database>ModelShip</database>',
		'\t</source>',
		'\t<size>',
		`\t\t<width>${width}</width>`,
		`\t\t<height>${height}</height>`,
		'\t\t<depth>3</depth>',
		'\t</size>',
		'\t<segmented>0</segmented>',
		...objects,
		'</annotation>',
		''
	].join('\n');
}

function readme(snapshot: DatasetSnapshot): string {
	const types = [...new Set(snapshot.records.map((r) => extensionOf(r.item.mime)))].sort();
	return [
		`# ${oneLine(snapshot.projectName)}: ${oneLine(snapshot.task.name)}`,
		'',
		'Pascal VOC object detection dataset exported by ModelShip.',
		'',
		'- `Annotations/<id>.xml`: size and boxes (1-based pixel corners) of each image',
		'- `JPEGImages/`: the images as uploaded; `<filename>` in each XML names the file',
		'- `ImageSets/Main/train.txt`, `val.txt`, `test.txt`, `trainval.txt`: image ids per split',
		'- `labels.txt`: the class names, one per line, in class order',
		...(types.some((t) => t !== 'jpg')
			? [
					'',
					`Images keep their type (${types.map((t) => `.${t}`).join(', ')}). Loaders that build`,
					'`JPEGImages/<id>.jpg` themselves (torchvision `VOCDetection`, MMDetection `VOCDataset`)',
					'need JPEG images; tools that read `<filename>` (CVAT, labelImg, Label Studio) take them as they are.'
				]
			: []),
		''
	].join('\n');
}

async function* writeVoc(snapshot: DatasetSnapshot): AsyncGenerator<ExportEntry> {
	const { task } = snapshot;
	assertTask(vocFormat, task);
	const index = classIndex(task);
	const names = task.classes.map((c) => c.name);
	const splits = splitsOf(snapshot.records);
	const stems = (split: ExportSplit) =>
		snapshot.records.filter((r) => r.split === split).map((r) => `${itemStem(r.item)}\n`);

	yield textEntry('README.md', readme(snapshot));
	yield textEntry('labels.txt', names.map((n) => `${oneLine(n)}\n`).join(''));
	for (const split of splits) {
		yield textEntry(`ImageSets/Main/${VOC_SPLIT[split]}.txt`, stems(split).join(''));
	}
	if (splits.includes('train') || splits.includes('validation')) {
		const trainval = snapshot.records
			.filter((r) => r.split !== 'test')
			.map((r) => `${itemStem(r.item)}\n`);
		yield textEntry('ImageSets/Main/trainval.txt', trainval.join(''));
	}
	const sidecar = sidecarCsv(
		snapshot.records.map((record) => ({
			file: `JPEGImages/${itemFileName(record.item)}`,
			split: record.split,
			record
		})),
		snapshot.options
	);
	if (sidecar !== null) yield textEntry('metadata.csv', sidecar);

	for (const record of snapshot.records) {
		yield textEntry(
			`Annotations/${itemStem(record.item)}.xml`,
			annotationXml(record, names, index)
		);
		yield await imageEntry(snapshot, record.item, `JPEGImages`);
	}
}

export const vocFormat: ExportFormat = {
	id: 'voc',
	name: 'Pascal VOC',
	description:
		'Pascal VOC XML per image with JPEGImages and ImageSets/Main split lists, for VOC-style loaders.',
	consumers: 'CVAT, labelImg, Label Studio, Roboflow; VOCDetection-style loaders need .jpg images',
	itemKind: 'image',
	taskKinds: ['object-detection'],
	multiLabel: false,
	write: writeVoc
};
