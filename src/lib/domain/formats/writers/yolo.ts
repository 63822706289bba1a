import { itemFileName, itemStem, textEntry } from '../paths';
import type { DatasetSnapshot, ExportEntry, ExportFormat, ExportSplit } from '../snapshot';
import {
	assertTask,
	boxesOf,
	classIndex,
	oneLine,
	pixelSize,
	sidecarCsv,
	splitsOf,
	yamlString,
	imageEntry
} from './imageShared';

/**
 * Ultralytics YOLO detection: `images/<split>/<image>`, `labels/<split>/<stem>.txt` (one
 * `class cx cy w h` line per box, normalised to the image, so Ultralytics finds each label
 * by swapping `images` for `labels` in the path), and `data.yaml`.
 *
 * `data.yaml` has no `path:` key on purpose. Ultralytics then takes the folder holding
 * data.yaml as the dataset root, wherever the export is unzipped; `path: .` would mean the
 * folder `yolo` is started from (a relative path that exists is taken as it is).
 */

const f6 = (v: number) => Math.min(1, Math.max(0, v)).toFixed(6);

function dataYaml(snapshot: DatasetSnapshot, splits: readonly ExportSplit[]): string {
	const { task } = snapshot;
	const train = splits.includes('train') ? 'train' : (splits[0] ?? 'train');
	const lines = [
		`# Ultralytics YOLO dataset exported by ModelShip: ${oneLine(snapshot.projectName)}, ${oneLine(task.name)}.`,
		'# Train with: yolo detect train data=data.yaml model=yolov8n.pt',
		'# No `path:` key: Ultralytics then uses the folder holding this file as the dataset root,',
		'# wherever it is unzipped. (YOLOv5 wants an absolute `path:` to this folder added here.)'
	];
	if (train !== 'train') lines.push(`# This export has no train split; train points at ${train}.`);
	lines.push(`train: images/${train}`);
	if (splits.includes('validation')) {
		lines.push('val: images/validation');
	} else {
		lines.push(
			'# This export has no validation split; val points at the training images, so',
			'# validation scores will be optimistic.',
			`val: images/${train}`
		);
	}
	if (splits.includes('test')) lines.push('test: images/test');
	lines.push(
		`nc: ${task.classes.length}`,
		'names:',
		...task.classes.map((c, i) => `  ${i}: ${yamlString(c.name)}`),
		''
	);
	return lines.join('\n');
}

async function* writeYolo(snapshot: DatasetSnapshot): AsyncGenerator<ExportEntry> {
	assertTask(yoloFormat, snapshot.task);
	const index = classIndex(snapshot.task);
	const splits = splitsOf(snapshot.records);
	yield textEntry('data.yaml', dataYaml(snapshot, splits));
	const sidecar = sidecarCsv(
		snapshot.records.map((record) => ({
			file: `images/${record.split}/${itemFileName(record.item)}`,
			split: record.split,
			record
		})),
		snapshot.options
	);
	if (sidecar !== null) yield textEntry('metadata.csv', sidecar);

	for (const record of snapshot.records) {
		const { width, height } = pixelSize(record.item);
		const lines = boxesOf(record, index).map(
			(b) =>
				`${b.cls} ${f6((b.x + b.w / 2) / width)} ${f6((b.y + b.h / 2) / height)} ${f6(b.w / width)} ${f6(b.h / height)}\n`
		);
		yield textEntry(`labels/${record.split}/${itemStem(record.item)}.txt`, lines.join(''));
		yield await imageEntry(snapshot, record.item, `images/${record.split}`);
	}
}

export const yoloFormat: ExportFormat = {
	id: 'yolo',
	name: 'YOLO (Ultralytics)',
	description:
		'Images, one normalised label file per image and data.yaml, for Ultralytics YOLO training.',
	consumers: 'Ultralytics YOLO (yolo detect train data=data.yaml)',
	itemKind: 'image',
	taskKinds: ['object-detection'],
	multiLabel: false,
	write: writeYolo
};
