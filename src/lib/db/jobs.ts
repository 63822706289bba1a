import { emptyCounts, MAX_STORED_ERRORS, type ImportError, type Job } from '$lib/domain/schemas';
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

export async function getJob(id: number): Promise<Job | undefined> {
	return db().jobs.get(id);
}

export async function listJobs(projectId: number): Promise<Job[]> {
	return (await db().jobs.where('projectId').equals(projectId).toArray()).reverse();
}

export async function updateJob(id: number, patch: Partial<Job>): Promise<void> {
	await db().jobs.update(id, patch);
}

/** Appends errors, keeping at most MAX_STORED_ERRORS and counting the rest. */
export async function appendJobErrors(id: number, errors: ImportError[]): Promise<void> {
	if (errors.length === 0) return;
	await db().transaction('rw', db().jobs, async () => {
		const job = await db().jobs.get(id);
		if (!job) return;
		const room = Math.max(0, MAX_STORED_ERRORS - job.errors.length);
		await db().jobs.update(id, {
			errors: [...job.errors, ...errors.slice(0, room)],
			errorsTruncated: job.errorsTruncated + Math.max(0, errors.length - room)
		});
	});
}

/**
 * Jobs still marked running when the app starts belonged to a tab that closed or crashed:
 * their stored items are complete (each was written atomically), the rest never arrived.
 */
export async function markInterruptedJobs(isAlive: (jobId: number) => boolean): Promise<void> {
	await db()
		.jobs.where('status')
		.equals('running')
		.filter((job) => !isAlive(job.id as number))
		.modify({
			status: 'stopped',
			finishedAt: Date.now(),
			message:
				'Interrupted: the tab closed before the import finished. Items stored before that are kept.'
		});
}
