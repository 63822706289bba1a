import { z } from 'zod';
import { ImportCounts, ImportError } from './importing';

export const JobStatus = z.enum(['running', 'completed', 'cancelled', 'stopped', 'failed']);
export type JobStatus = z.infer<typeof JobStatus>;

/**
 * A background job. Import jobs double as import batches: items point at their job id.
 * Errors are capped (`MAX_STORED_ERRORS`) so a million bad rows cannot bloat one record.
 */
export const Job = z.object({
	id: z.number().int().positive().optional(),
	projectId: z.number().int().positive(),
	type: z.literal('import'),
	label: z.string(),
	status: JobStatus,
	createdAt: z.number(),
	finishedAt: z.number().nullable(),
	counts: ImportCounts,
	errors: z.array(ImportError),
	errorsTruncated: z.number().int().nonnegative(),
	message: z.string().nullable()
});
export type Job = z.infer<typeof Job>;

export const MAX_STORED_ERRORS = 5000;
