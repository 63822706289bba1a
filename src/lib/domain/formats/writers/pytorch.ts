import { itemFileName, textEntry } from '../paths';
import { metadataFields } from './metadata';
import type { DatasetSnapshot, ExportEntry, ExportFormat, ExportRecord } from '../snapshot';
import { PYTORCH_DATASET } from './imageScripts';
import {
	assertTask,
	boxesOf,
	classesOf,
	classIndex,
	isoTime,
	jsonWithList,
	singleClassOf,
	splitsOf,
	imageEntry
} from './imageShared';

/**
 * `images/<file>`, `annotations.json` (classes, and per image its split and labels or boxes)
 * and `dataset.py`, a `torch.utils.data.Dataset` over them that runs as-is. Boxes are stored
 * as x, y, w, h pixels (top-left origin, EXIF-corrected image) and handed out as x1, y1, x2, y2.
 */

async function* writePytorch(snapshot: DatasetSnapshot): AsyncGenerator<ExportEntry> {
	const { task, options } = snapshot;
	assertTask(pytorchFormat, task);
	const index = classIndex(task);
	const detection = task.kind === 'object-detection';
	const kept: ExportRecord[] = [];
	const items = [];
	for (const record of snapshot.records) {
		const item: Record<string, unknown> = {
			id: record.item.id,
			file: `images/${itemFileName(record.item)}`,
			split: record.split,
			width: record.item.width,
			height: record.item.height
		};
		if (detection) {
			item.boxes = boxesOf(record, index).map((b) => ({
				class: b.cls,
				x: b.x,
				y: b.y,
				w: b.w,
				h: b.h,
				...(options.includeScores ? { score: b.score } : {})
			}));
		} else if (task.multiLabel) {
			item.labels = classesOf(record, index);
		} else {
			const cls = singleClassOf(record, index);
			if (cls === null) continue;
			item.label = cls;
		}
		const extra = metadataFields(record, options);
		if (Object.keys(extra).length > 0) item.extra = extra;
		kept.push(record);
		items.push(item);
	}
	const annotations = {
		format: 'modelship-pytorch',
		version: 1,
		project: snapshot.projectName,
		task: task.name,
		kind: task.kind,
		multi_label: !detection && task.multiLabel,
		created_at: isoTime(snapshot.createdAt),
		classes: task.classes.map((c) => c.name),
		splits: splitsOf(kept)
	};
	yield textEntry('annotations.json', jsonWithList(annotations, 'items', items));
	yield textEntry('dataset.py', PYTORCH_DATASET);
	yield textEntry('requirements.txt', 'torch>=1.10\ntorchvision>=0.11\npillow>=8.0\n');
	for (const record of kept) {
		yield await imageEntry(snapshot, record.item, `images`);
	}
}

export const pytorchFormat: ExportFormat = {
	id: 'pytorch',
	name: 'PyTorch dataset',
	description:
		'Images, annotations.json and a ready torch.utils.data.Dataset (dataset.py) for classification or detection.',
	consumers: 'PyTorch (torch.utils.data.DataLoader), torchvision detection models',
	itemKind: 'image',
	taskKinds: ['image-classification', 'object-detection'],
	multiLabel: true,
	write: writePytorch
};
