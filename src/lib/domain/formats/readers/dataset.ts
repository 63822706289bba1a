import type { TaskKind } from '../../schemas/project';

/**
 * What every dataset reader returns: labelled records from another tool's files (or from our
 * own exports), with labels by class *name*. The caller maps names to class ids and keeps the
 * source format beside each label.
 */

export type ImportedLabel =
	| { type: 'classes'; names: string[] }
	/** Absolute pixels, top-left origin. */
	| { type: 'boxes'; boxes: { name: string; x: number; y: number; w: number; h: number }[] }
	| {
			type: 'spans';
			spans: { id: string; name: string; start: number; end: number }[];
			relations: { head: string; tail: string; name: string }[];
	  };

export type ImportedRecord = {
	/** Image: the path of its file in SourceFiles. Text: a stable name like `train.conll#12`. */
	name: string;
	kind: 'image' | 'text';
	/** Texts only. */
	text: string | null;
	split: 'train' | 'validation' | 'test' | null;
	/** When the format states them (COCO, VOC) or the image header does (YOLO). */
	width: number | null;
	height: number | null;
	/** Null: listed but unlabelled. */
	label: ImportedLabel | null;
};

export { ReaderId } from './readerId';
import type { ReaderId } from './readerId';

export type ImportedDataset = {
	format: ReaderId;
	taskKind: TaskKind;
	multiLabel: boolean;
	/** Class names in the source's class-index order. */
	classes: string[];
	/** Relation type names; spans' names are entity classes in `classes`. */
	relationTypes: string[];
	records: ImportedRecord[];
	/** E.g. "3 annotations point at image ids that do not exist". */
	warnings: string[];
};

export { DatasetFormatError } from './common';
export { detectFormat, readDataset, sniffFormat } from './read';
