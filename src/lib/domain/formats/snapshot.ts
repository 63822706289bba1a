import { z } from 'zod';
import type { AnnotationStatus, AnnotationValue } from '../schemas/annotation';
import type { LabelTask } from '../schemas/project';
import { ConfidenceLevel } from '../labeling/confidence';

/**
 * What every export writer reads: a filtered, split-assigned view of one project for one label
 * task. Writers are pure functions from a snapshot to a stream of entries, so the same code
 * runs in the export worker, in Node (the command line), in sync delivery and in tests.
 */

export const ExportSplit = z.enum(['train', 'validation', 'test']);
export type ExportSplit = z.infer<typeof ExportSplit>;
export const EXPORT_SPLITS: readonly ExportSplit[] = ['train', 'validation', 'test'];

/** One item as exported. Image bytes are read lazily through `DatasetSnapshot.readBytes`. */
export type ExportItem = {
	id: number;
	/** Path as imported; writers derive file names from it with `paths.ts`. */
	name: string;
	kind: 'image' | 'text';
	mime: string;
	sha256: string;
	size: number;
	/** EXIF-corrected pixel size (what the browser shows); null for texts. */
	width: number | null;
	height: number | null;
	text: string | null;
	createdAt: number;
};

/** The item's label for the export task, with where it came from and how sure a model was. */
export type ExportLabel = {
	value: AnnotationValue;
	status: AnnotationStatus;
	source: 'model' | 'human';
	reviewer: string | null;
	updatedAt: number;
	/** Review score of the newest prediction for this item × task; null when none. */
	score: number | null;
	level: ConfidenceLevel | null;
};

export type ExportRecord = {
	item: ExportItem;
	label: ExportLabel;
	split: ExportSplit;
};

export const TagScheme = z.enum(['BIO', 'BILOU', 'IO']);
export type TagScheme = z.infer<typeof TagScheme>;

export const SplitRatios = z
	.object({
		train: z.number().min(0).max(1),
		validation: z.number().min(0).max(1),
		test: z.number().min(0).max(1)
	})
	.refine((r) => Math.abs(r.train + r.validation + r.test - 1) < 1e-6, {
		message: 'split ratios must add up to 1'
	});
export type SplitRatios = z.infer<typeof SplitRatios>;

export const ExportFilters = z.object({
	/** Approved and corrected by default: what a person has vouched for. */
	statuses: z.array(z.enum(['pending', 'approved', 'rejected', 'corrected', 'skipped', 'flagged'])),
	/** Class ids; empty means every class. An item is kept when any of its classes is listed. */
	classIds: z.array(z.string()),
	/** Reviewer names; empty means anyone (and model-only labels). */
	reviewers: z.array(z.string()),
	/** Label updated within [from, to] (epoch ms); null leaves that side open. */
	from: z.number().nullable(),
	to: z.number().nullable(),
	/** Keep labels whose newest prediction scored at least this; labels with no prediction pass. */
	minConfidence: z.number().min(0).max(1).nullable(),
	/** Keep labels whose newest prediction has one of these levels; empty means any. */
	levels: z.array(ConfidenceLevel)
});
export type ExportFilters = z.infer<typeof ExportFilters>;

export const FormatId = z.enum([
	'imagefolder',
	'pytorch',
	'hf-imagefolder',
	'coco',
	'yolo',
	'voc',
	'tfrecord',
	'image-csv',
	'image-jsonl',
	'conll',
	'spacy',
	'hf-token-classification',
	'hf-text-classification',
	'relations-json',
	'brat',
	'text-csv',
	'text-jsonl'
]);
export type FormatId = z.infer<typeof FormatId>;

export const ExportOptions = z.object({
	format: FormatId,
	taskId: z.string().min(1),
	split: SplitRatios,
	seed: z.number().int(),
	/** Use the split stored on an item (imported with it) instead of drawing one. */
	keepItemSplits: z.boolean(),
	filters: ExportFilters,
	/** Item name, sha256, status, source, reviewer and time beside each label. */
	includeMetadata: z.boolean(),
	/** The newest prediction's score (and level) beside each label. */
	includeScores: z.boolean(),
	/** CoNLL only. */
	tagScheme: TagScheme,
	/** TFRecord only: records per shard. */
	shardSize: z.number().int().positive()
});
export type ExportOptions = z.infer<typeof ExportOptions>;

export const DEFAULT_FILTERS: ExportFilters = {
	statuses: ['approved', 'corrected'],
	classIds: [],
	reviewers: [],
	from: null,
	to: null,
	minConfidence: null,
	levels: []
};

export function defaultExportOptions(format: FormatId, taskId: string): ExportOptions {
	return {
		format,
		taskId,
		split: { train: 0.8, validation: 0.1, test: 0.1 },
		seed: 42,
		keepItemSplits: false,
		filters: { ...DEFAULT_FILTERS },
		includeMetadata: false,
		includeScores: false,
		tagScheme: 'BIO',
		shardSize: 1000
	};
}

export type DatasetSnapshot = {
	projectName: string;
	/** The task being exported; its class order is the class-index order of every format. */
	task: LabelTask;
	/** Every task of the project (relations exports read the entity classes from here). */
	tasks: readonly LabelTask[];
	/** Filtered and split, in ascending item id: the order every writer keeps. */
	records: readonly ExportRecord[];
	options: ExportOptions;
	/** The exact stored bytes of an image (texts use `item.text`). */
	readBytes(item: ExportItem): Promise<Uint8Array>;
	/** Fixed time for generated files (dataset cards, info blocks): same inputs, same bytes. */
	createdAt: number;
};

/**
 * One file of an export. `compress` is false for already-compressed bytes (images), so the
 * zip stores them instead of spending time deflating them for nothing.
 */
export type ExportEntry = { path: string; bytes: Uint8Array; compress: boolean };

export type ExportWriter = (snapshot: DatasetSnapshot) => AsyncIterable<ExportEntry>;

export type ExportFormat = {
	id: FormatId;
	name: string;
	/** One line: what it is and which tool loads it. */
	description: string;
	/** The tool(s) that load it without edits, e.g. "torchvision ImageFolder, Keras". */
	consumers: string;
	itemKind: 'image' | 'text';
	/** Task kinds it can write, and whether multi-label classification tasks are accepted. */
	taskKinds: readonly LabelTask['kind'][];
	multiLabel: boolean;
	write: ExportWriter;
};
