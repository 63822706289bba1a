import { z } from 'zod';
import { ReaderId } from '../formats/readers/readerId';

/** Stable codes for everything that can go wrong with one imported file or row. */
export const ImportErrorCode = z.enum([
	'empty-file',
	'empty-text',
	'too-large',
	'unsupported-type',
	'corrupt-image',
	'invalid-encoding',
	'csv-syntax',
	'jsonl-syntax',
	'missing-column',
	'zip-slip',
	'zip-bomb',
	'zip-too-deep',
	'zip-corrupt',
	'read-failed',
	'quota-exceeded',
	/** A labelled dataset's annotations name a file that is not among the files. */
	'missing-file',
	/** Something a dataset reader left out or read differently, e.g. an unknown category id. */
	'dataset-warning'
]);
export type ImportErrorCode = z.infer<typeof ImportErrorCode>;

export const ImportError = z.object({
	/** Path of the file as the user sees it; zip members as `archive.zip/inner/path`. */
	path: z.string(),
	/** 1-based line for CSV/TSV/JSONL/text errors. */
	line: z.number().int().positive().nullable(),
	code: ImportErrorCode,
	message: z.string()
});
export type ImportError = z.infer<typeof ImportError>;

export const ImportLimits = z.object({
	/** Largest single file (or zip member) accepted. */
	maxFileBytes: z.number().int().positive(),
	/** Largest total uncompressed size of one archive, nested archives included. */
	zipMaxTotalBytes: z.number().int().positive(),
	/** Largest uncompressed/compressed ratio of one member before it counts as a bomb. */
	zipMaxRatio: z.number().positive(),
	/** How many zips inside zips are opened (1 = a zip, but not a zip inside it). */
	zipMaxDepth: z.number().int().min(1)
});
export type ImportLimits = z.infer<typeof ImportLimits>;

export const DEFAULT_LIMITS: ImportLimits = {
	maxFileBytes: 50 * 1024 * 1024,
	zipMaxTotalBytes: 4 * 1024 * 1024 * 1024,
	zipMaxRatio: 200,
	zipMaxDepth: 3
};

export const TextMode = z.enum(['file', 'line']);
export type TextMode = z.infer<typeof TextMode>;

/** How tabular files (CSV, TSV, JSONL) become items. */
export const TableMapping = z.object({
	textColumn: z.string().min(1),
	/** Column whose values become human labels for `columnLabelTaskId`; null to ignore. */
	labelColumn: z.string().nullable()
});
export type TableMapping = z.infer<typeof TableMapping>;

export const ImportOptions = z.object({
	projectId: z.number().int().positive(),
	textMode: TextMode,
	table: TableMapping.nullable(),
	/** Image task that receives each image's parent folder name as its class; null: none. */
	folderLabelTaskId: z.string().nullable(),
	/** Text task that receives the table's label column as classes; null: none. */
	columnLabelTaskId: z.string().nullable(),
	/**
	 * Import the files as one labelled dataset of another tool (COCO, YOLO, VOC, CoNLL…):
	 * its labels go to `taskId` (for relations, its entity classes to `entityTaskId`).
	 * Absent or null: plain files.
	 */
	dataset: z
		.object({
			format: ReaderId,
			taskId: z.string().min(1),
			entityTaskId: z.string().min(1).nullable()
		})
		.nullable()
		.optional(),
	limits: ImportLimits
});
export type ImportOptions = z.infer<typeof ImportOptions>;

export const ImportCounts = z.object({
	filesDone: z.number().int().nonnegative(),
	filesTotal: z.number().int().nonnegative(),
	bytesDone: z.number().nonnegative(),
	bytesTotal: z.number().nonnegative(),
	imported: z.number().int().nonnegative(),
	images: z.number().int().nonnegative(),
	texts: z.number().int().nonnegative(),
	labeled: z.number().int().nonnegative(),
	duplicates: z.number().int().nonnegative(),
	failed: z.number().int().nonnegative()
});
export type ImportCounts = z.infer<typeof ImportCounts>;

export const emptyCounts = (): ImportCounts => ({
	filesDone: 0,
	filesTotal: 0,
	bytesDone: 0,
	bytesTotal: 0,
	imported: 0,
	images: 0,
	texts: 0,
	labeled: 0,
	duplicates: 0,
	failed: 0
});

/** Messages the import worker sends back; validated on arrival (CONVENTIONS.md #7). */
export const ImportMessage = z.discriminatedUnion('status', [
	z.object({ status: z.literal('progress'), counts: ImportCounts }),
	z.object({ status: z.literal('errors'), errors: z.array(ImportError) }),
	z.object({
		status: z.literal('done'),
		outcome: z.enum(['completed', 'cancelled', 'stopped']),
		counts: ImportCounts,
		/** Set when the import stopped early, e.g. storage quota exceeded. */
		stopReason: z.object({ code: z.string(), message: z.string() }).nullable()
	})
]);
export type ImportMessage = z.infer<typeof ImportMessage>;
