import { itemFileName, textEntry } from '../paths';
import { metadataFields } from './metadata';
import type { DatasetSnapshot, ExportEntry, ExportFormat, ExportSplit } from '../snapshot';
import {
	assertTask,
	boxesOf,
	classIndex,
	isoTime,
	pixelSize,
	round3,
	splitsOf,
	imageEntry
} from './imageShared';

/**
 * COCO object detection: `annotations/instances_<split>.json` and `images/<split>/<image>`,
 * one pair per split, as in `instances_train2017.json` / `train2017/`. Image, annotation and
 * category ids count from 1 within each file (category id = class index + 1); bboxes are
 * `[x, y, w, h]` pixels of the EXIF-corrected image, and each box is also its own polygon
 * (`segmentation`), which tools that always read masks expect.
 */

/** `2023-11-14 22:13:20`: COCO's `date_captured` style (UTC). */
const cocoTime = (ms: number) => isoTime(ms).slice(0, 19).replace('T', ' ');

function instances(snapshot: DatasetSnapshot, split: ExportSplit) {
	const { task, options } = snapshot;
	const index = classIndex(task);
	const images = [];
	const annotations = [];
	let imageId = 0;
	let annotationId = 0;
	for (const record of snapshot.records) {
		if (record.split !== split) continue;
		const { width, height } = pixelSize(record.item);
		imageId += 1;
		const extra = metadataFields(record, {
			includeMetadata: options.includeMetadata,
			includeScores: false
		});
		images.push({
			id: imageId,
			file_name: itemFileName(record.item),
			width,
			height,
			license: 1,
			date_captured: cocoTime(record.item.createdAt),
			...(options.includeMetadata ? { metadata: extra } : {}),
			...(options.includeScores ? { score: record.label.score, level: record.label.level } : {})
		});
		for (const b of boxesOf(record, index)) {
			annotationId += 1;
			annotations.push({
				id: annotationId,
				image_id: imageId,
				category_id: b.cls + 1,
				bbox: [b.x, b.y, b.w, b.h],
				area: round3(b.w * b.h),
				iscrowd: 0,
				segmentation: [
					[
						b.x,
						b.y,
						round3(b.x + b.w),
						b.y,
						round3(b.x + b.w),
						round3(b.y + b.h),
						b.x,
						round3(b.y + b.h)
					]
				],
				...(options.includeScores && b.score !== null ? { score: b.score } : {})
			});
		}
	}
	const created = new Date(snapshot.createdAt);
	return {
		info: {
			description: `${snapshot.projectName}: ${task.name}`,
			version: '1.0',
			year: created.getUTCFullYear(),
			contributor: 'ModelShip',
			url: '',
			date_created: isoTime(snapshot.createdAt)
		},
		licenses: [{ id: 1, name: 'Unknown', url: '' }],
		images,
		annotations,
		categories: task.classes.map((c, i) => ({ id: i + 1, name: c.name, supercategory: 'object' }))
	};
}

async function* writeCoco(snapshot: DatasetSnapshot): AsyncGenerator<ExportEntry> {
	assertTask(cocoFormat, snapshot.task);
	for (const split of splitsOf(snapshot.records)) {
		yield textEntry(
			`annotations/instances_${split}.json`,
			JSON.stringify(instances(snapshot, split)) + '\n'
		);
	}
	for (const record of snapshot.records) {
		yield await imageEntry(snapshot, record.item, `images/${record.split}`);
	}
}

export const cocoFormat: ExportFormat = {
	id: 'coco',
	name: 'COCO',
	description:
		'COCO detection JSON per split (instances_<split>.json) with the images, for pycocotools, Detectron2 and MMDetection.',
	consumers: 'pycocotools, Detectron2, MMDetection, torchvision CocoDetection',
	itemKind: 'image',
	taskKinds: ['object-detection'],
	multiLabel: false,
	write: writeCoco
};
