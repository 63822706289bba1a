import {
	emptyCounts,
	MAX_STORED_ERRORS,
	type AutoLabelJob,
	type AutoLabelSetup,
	type ExportJob,
	type ImportError,
	type ImportJob,
	type Job
} from '$lib/domain/schemas';
import { emptySummary } from '$lib/domain/labeling/jobPlan';
import { emptyHistogram } from '$lib/domain/labeling/histogram';
import { db } from './database';

export async function createImportJob(projectId: number, label: string): Promise<number> {
	return db().jobs.add({
		projectId,
		type: 'import',
		label,
		status: 'running',
		createdAt: Date.now(),
		finishedAt: null,
		counts: emptyCounts(),
		errors: [],
		errorsTruncated: 0,
		message: null
	});
}

/**
 * Stores a new auto-label job, paused until a runner picks it up, and its item ids (sorted
 * and de-duplicated here, so the cursor walk `nextBatch` can trust them) in one transaction.
 */
export async function createAutoLabelJob(
	projectId: number,
	label: string,
	setup: AutoLabelSetup
): Promise<number> {
	const { itemIds: picked, ...params } = setup;
	const itemIds = Uint32Array.from(new Set(picked)).sort();
	return db().transaction('rw', db().jobs, db().jobItems, async () => {
		const jobId = await db().jobs.add({
			projectId,
			type: 'autolabel',
			label,
			status: 'paused',
			createdAt: Date.now(),
			finishedAt: null,
			message: null,
			params: { ...params, itemCount: itemIds.length },
			cursor: null,
			summary: emptySummary(),
			histograms: Object.fromEntries(params.tasks.map((t) => [t.taskId, emptyHistogram()])),
			pauseRequested: false,
			cancelRequested: false
		});
		await db().jobItems.put({ jobId, itemIds });
		return jobId;
	});
}

/** An auto-label job's item ids, ascending (empty when the job is unknown). */
export async function getJobItemIds(jobId: number): Promise<number[]> {
	const stored = await db().jobItems.get(jobId);
	return stored ? Array.from(stored.itemIds) : [];
}

export async function getJob(id: number): Promise<Job | undefined> {
	return db().jobs.get(id);
}

export async function getImportJob(id: number): Promise<ImportJob | undefined> {
	const job = await db().jobs.get(id);
	return job?.type === 'import' ? job : undefined;
}

export async function getAutoLabelJob(id: number): Promise<AutoLabelJob | undefined> {
	const job = await db().jobs.get(id);
	return job?.type === 'autolabel' ? job : undefined;
}

/** A project's import jobs (= import batches), newest first. */
export async function listJobs(projectId: number): Promise<ImportJob[]> {
	const jobs = await db().jobs.where('projectId').equals(projectId).toArray();
	return jobs.filter((j): j is ImportJob => j.type === 'import').reverse();
}

/** A project's auto-label jobs, newest first. */
export async function listAutoLabelJobs(projectId: number): Promise<AutoLabelJob[]> {
	const jobs = await db().jobs.where('projectId').equals(projectId).toArray();
	return jobs.filter((j): j is AutoLabelJob => j.type === 'autolabel').reverse();
}

/** Patches an import job; a job of another type is left alone. */
export async function updateJob(id: number, patch: Partial<ImportJob>): Promise<void> {
	await db().jobs.update(id, (job) => {
		if (job.type === 'import') Object.assign(job, patch);
	});
}

/** Patches an auto-label job; a job of another type is left alone. */
export async function updateAutoLabelJob(id: number, patch: Partial<AutoLabelJob>): Promise<void> {
	await db().jobs.update(id, (job) => {
		if (job.type === 'autolabel') Object.assign(job, patch);
	});
}

/** Appends errors, keeping at most MAX_STORED_ERRORS and counting the rest. */
export async function appendJobErrors(id: number, errors: ImportError[]): Promise<void> {
	if (errors.length === 0) return;
	await db().transaction('rw', db().jobs, async () => {
		const job = await db().jobs.get(id);
		if (job?.type !== 'import') return;
		const room = Math.max(0, MAX_STORED_ERRORS - job.errors.length);
		await updateJob(id, {
			errors: [...job.errors, ...errors.slice(0, room)],
			errorsTruncated: job.errorsTruncated + Math.max(0, errors.length - room)
		});
	});
}

/**
 * Import jobs still marked running when the app starts belonged to a tab that closed or
 * crashed: their stored items are complete (each was written atomically), the rest never
 * arrived. Auto-label jobs are left alone: they resume from their cursor.
 */
export async function markInterruptedJobs(isAlive: (jobId: number) => boolean): Promise<void> {
	await db()
		.jobs.where('status')
		.equals('running')
		.filter((job) => job.type === 'import' && !isAlive(job.id as number))
		.modify({
			status: 'stopped',
			finishedAt: Date.now(),
			message:
				'Interrupted: the tab closed before the import finished. Items stored before that are kept.'
		});
}

/** Stores a new export job, running from now. */
export async function createExportJob(
	projectId: number,
	label: string,
	params: ExportJob['params'],
	fileName: string
): Promise<number> {
	const now = Date.now();
	return db().jobs.add({
		projectId,
		type: 'export',
		label,
		status: 'running',
		createdAt: now,
		finishedAt: null,
		message: null,
		params,
		fileName,
		progress: { items: 0, files: 0, bytes: 0, zipBytes: 0, doneItems: 0, startedAt: now },
		result: null,
		cancelRequested: false
	});
}

export async function getExportJob(id: number): Promise<ExportJob | undefined> {
	const job = await db().jobs.get(id);
	return job?.type === 'export' ? job : undefined;
}

/** A project's export jobs, newest first. */
export async function listExportJobs(projectId: number): Promise<ExportJob[]> {
	const jobs = await db().jobs.where('projectId').equals(projectId).toArray();
	return jobs.filter((j): j is ExportJob => j.type === 'export').reverse();
}

/** Patches an export job; a job of another type is left alone. */
export async function updateExportJob(id: number, patch: Partial<ExportJob>): Promise<void> {
	await db().jobs.update(id, (job) => {
		if (job.type === 'export') Object.assign(job, patch);
	});
}
