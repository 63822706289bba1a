import { z } from 'zod';
import { ConfidenceLevel } from './confidence';

/** Boundary types of auto-labeling (stored with predictions and job records). */

export { ConfidenceLevel };

export const ReviewDecision = z.object({
	/** The score used for review, in [0, 1]. */
	score: z.number().min(0).max(1),
	level: ConfidenceLevel,
	needsReview: z.boolean(),
	/** Why a person should look; null when no review is needed. */
	reviewReason: z.string().nullable()
});
export type ReviewDecision = z.infer<typeof ReviewDecision>;

export const HISTOGRAM_BINS = 10;

const Count = z.number().int().nonnegative();

/** Review scores in 10 equal bins over [0, 1] (bin i holds [i/10, (i+1)/10), the last holds 1). */
export const ConfidenceHistogram = z.object({
	bins: z.array(Count).length(HISTOGRAM_BINS),
	levels: z.object({ high: Count, medium: Count, low: Count, uncertain: Count }),
	total: Count
});
export type ConfidenceHistogram = z.infer<typeof ConfidenceHistogram>;

/**
 * A job's running totals. `processed` counts items; the other counts are item × task
 * predictions (a failed item counts once per task it failed for).
 */
export const JobSummary = z.object({
	processed: Count,
	highConfidence: Count,
	needsReview: Count,
	autoApproved: Count,
	failed: Count,
	/** Time spent running batches; pauses and reload gaps do not count. */
	durationMs: z.number().nonnegative(),
	itemsPerSecond: z.number().nonnegative()
});
export type JobSummary = z.infer<typeof JobSummary>;
