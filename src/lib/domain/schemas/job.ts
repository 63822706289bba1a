import { z } from 'zod';
import { ConfidenceHistogram, JobSummary } from '../labeling/schemas';
import { ImportCounts, ImportError } from './importing';
import { ExportOptions } from '../formats/snapshot';

/** 'paused' is used by auto-label jobs only: they resume from their cursor. */
export const JobStatus = z.enum([
	'running',
	'paused',
	'completed',
	'cancelled',
	'stopped',
	'failed'
]);
export type JobStatus = z.infer<typeof JobStatus>;

const JobBase = {
	id: z.number().int().positive().optional(),
	projectId: z.number().int().positive(),
	label: z.string(),
	status: JobStatus,
	createdAt: z.number(),
	finishedAt: z.number().nullable(),
	message: z.string().nullable()
};

/**
 * An import job. Import jobs double as import batches: items point at their job id.
 * Errors are capped (`MAX_STORED_ERRORS`) so a million bad rows cannot bloat one record.
 */
export const ImportJob = z.object({
	...JobBase,
	type: z.literal('import'),
	counts: ImportCounts,
	errors: z.array(ImportError),
	errorsTruncated: z.number().int().nonnegative()
});
export type ImportJob = z.infer<typeof ImportJob>;

/** One task an auto-label job fills, with the model version that labels it. */
export const AutoLabelTask = z.object({
	taskId: z.string().min(1),
	modelVersionId: z.string().min(1)
});
export type AutoLabelTask = z.infer<typeof AutoLabelTask>;

export const AutoLabelParams = z.object({
	tasks: z.array(AutoLabelTask).min(1),
	/**
	 * How many items the job walks. Their ids sit in `jobItems`, written once: a job record
	 * is rewritten after every batch and re-read by every open job list, so 100,000 ids on it
	 * would be copied thousands of times.
	 */
	itemCount: z.number().int().nonnegative(),
	/** Mark predictions that need no review as approved (source 'model'). */
	autoApprove: z.boolean(),
	batchSize: z.number().int().positive()
});
export type AutoLabelParams = z.infer<typeof AutoLabelParams>;

/** What a job is set up with: the item ids themselves go to `jobItems`. */
export type AutoLabelSetup = Omit<AutoLabelParams, 'itemCount'> & { itemIds: readonly number[] };

/** An auto-label job's item ids, ascending (IndexedDB `jobItems`, keyed by job id). */
export const JobItems = z.object({
	jobId: z.number().int().positive(),
	itemIds: z.instanceof(Uint32Array)
});
export type JobItems = z.infer<typeof JobItems>;

/**
 * An auto-label job: labels its items (`jobItems`) batch by batch. `cursor` is the last item id
 * whose predictions and annotations are stored (written in the same transaction), so a
 * reloaded or paused job resumes right after it (domain/labeling/jobPlan.ts `nextBatch`).
 */
export const AutoLabelJob = z.object({
	...JobBase,
	type: z.literal('autolabel'),
	params: AutoLabelParams,
	cursor: z.number().int().positive().nullable(),
	summary: JobSummary,
	/** Confidence histogram per task id. */
	histograms: z.record(z.string(), ConfidenceHistogram),
	/** Set by the page; the runner checks them between batches. */
	pauseRequested: z.boolean(),
	cancelRequested: z.boolean()
});
export type AutoLabelJob = z.infer<typeof AutoLabelJob>;

/** What an export job writes: a dataset in one format, or the shareable project file. */
export const ExportParams = z.discriminatedUnion('kind', [
	z.object({ kind: z.literal('dataset'), options: ExportOptions }),
	z.object({ kind: z.literal('project'), includeModels: z.boolean() })
]);
export type ExportParams = z.infer<typeof ExportParams>;

export const ExportProgress = z.object({
	/** Items (labelled records, or project items) the export holds. */
	items: z.number().int().nonnegative(),
	files: z.number().int().nonnegative(),
	/** Uncompressed bytes of the files written so far. */
	bytes: z.number().nonnegative(),
	zipBytes: z.number().nonnegative(),
	/** Items whose files are written; with `items` it gives the bar and the ETA. */
	doneItems: z.number().int().nonnegative(),
	startedAt: z.number()
});
export type ExportProgress = z.infer<typeof ExportProgress>;

export const ExportResult = z.object({
	files: z.number().int().nonnegative(),
	bytes: z.number().nonnegative(),
	/** Size of the zip. */
	size: z.number().nonnegative(),
	sha256: z.string().regex(/^[0-9a-f]{64}$/),
	durationMs: z.number().nonnegative(),
	/** Items per split and per class id (dataset exports). */
	perSplit: z.record(z.string(), z.number().int().nonnegative()),
	perClass: z.record(z.string(), z.number().int().nonnegative()),
	/** Whether the zip was also written to a file the user picked. */
	savedToFile: z.boolean()
});
export type ExportResult = z.infer<typeof ExportResult>;

/**
 * An export (IndexedDB `jobs`). The zip itself lives in the origin-private file system under
 * `exports/<file>`, so history can offer it again without holding it in memory.
 */
export const ExportJob = z.object({
	...JobBase,
	type: z.literal('export'),
	params: ExportParams,
	/** Download name, e.g. `Birds-coco-2026-11-29.zip`. */
	fileName: z.string(),
	progress: ExportProgress,
	result: ExportResult.nullable(),
	cancelRequested: z.boolean()
});
export type ExportJob = z.infer<typeof ExportJob>;

/** A background job, told apart by `type`. */
export const Job = z.discriminatedUnion('type', [ImportJob, AutoLabelJob, ExportJob]);
export type Job = z.infer<typeof Job>;
export type JobType = Job['type'];

export const MAX_STORED_ERRORS = 5000;
