import type { LabelTask } from '../schemas/project';
import type { ExportFormat, FormatId } from './snapshot';
import { bratFormat } from './writers/brat';
import { cocoFormat } from './writers/coco';
import { conllFormat } from './writers/conll';
import { hfImageFolderFormat } from './writers/hfImageFolder';
import { hfTextClassificationFormat, hfTokenClassificationFormat } from './writers/hfText';
import { imageCsvFormat, imageJsonlFormat } from './writers/imageTable';
import { imageFolderFormat } from './writers/imageFolder';
import { pytorchFormat } from './writers/pytorch';
import { relationsJsonFormat } from './writers/relationsJson';
import { spacyFormat } from './writers/spacy';
import { textCsvFormat, textJsonlFormat } from './writers/textTable';
import { tfrecordFormat } from './writers/tfrecord';
import { vocFormat } from './writers/voc';
import { yoloFormat } from './writers/yolo';

/** Every export format, in the order the export page lists them. */
export const EXPORT_FORMATS: readonly ExportFormat[] = [
	imageFolderFormat,
	pytorchFormat,
	hfImageFolderFormat,
	cocoFormat,
	yoloFormat,
	vocFormat,
	tfrecordFormat,
	imageCsvFormat,
	imageJsonlFormat,
	conllFormat,
	spacyFormat,
	hfTokenClassificationFormat,
	hfTextClassificationFormat,
	relationsJsonFormat,
	bratFormat,
	textCsvFormat,
	textJsonlFormat
];

export function exportFormat(id: FormatId): ExportFormat {
	const format = EXPORT_FORMATS.find((f) => f.id === id);
	if (!format) throw new Error(`unknown export format "${id}"`);
	return format;
}

/** Whether `format` can write `task` (its kind, and multi-label where that matters). */
export function formatFits(format: ExportFormat, task: LabelTask): boolean {
	if (!format.taskKinds.includes(task.kind)) return false;
	const classification =
		task.kind === 'image-classification' || task.kind === 'text-classification';
	return !(classification && task.multiLabel && !format.multiLabel);
}

/** The formats that can write a task, in listing order. */
export function formatsFor(task: LabelTask): ExportFormat[] {
	return EXPORT_FORMATS.filter((f) => formatFits(f, task));
}
