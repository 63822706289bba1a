import type { ConfidenceLevel } from './confidence';
import type { JobSummary } from './schemas';

/**
 * Job planning without storage or clocks. A job walks its item ids in ascending order and
 * stores the last id it finished as its cursor, so after a reload `nextBatch` resumes right
 * after it: no item labeled twice, none skipped (ids added below the cursor later are not
 * picked up by this job).
 */

export interface Batch {
	ids: number[];
	/** Items left after this batch. */
	remainingAfter: number;
}

/**
 * The next `batchSize` ids greater than `cursor` (null: start from the first).
 *
 * Example: `nextBatch([1, 3, 5, 7], 3, 2)` → `{ ids: [5, 7], remainingAfter: 0 }`.
 */
export function nextBatch(
	sortedIds: readonly number[],
	cursor: number | null,
	batchSize: number
): Batch {
	if (!Number.isInteger(batchSize) || batchSize < 1) {
		throw new RangeError(`batch size must be a positive whole number, got ${batchSize}`);
	}
	const from = cursor === null ? 0 : firstAbove(sortedIds, cursor);
	const ids = sortedIds.slice(from, from + batchSize);
	return { ids, remainingAfter: sortedIds.length - from - ids.length };
}

/** Index of the first id greater than `cursor` (binary search; ids ascending). */
function firstAbove(ids: readonly number[], cursor: number): number {
	let lo = 0;
	let hi = ids.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if ((ids[mid] as number) <= cursor) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/**
 * Seconds a job should take, rounded up: `msPerItem` for each item plus `perBatchMs` of
 * overhead (reading items, one transaction) for each of the ⌈items / batchSize⌉ batches.
 *
 * Example: `estimateSeconds(1000, 12, 32, 50)` → ⌈(12 000 + 32 × 50) / 1000⌉ = 14.
 */
export function estimateSeconds(
	itemCount: number,
	msPerItem: number,
	batchSize: number,
	perBatchMs = 0
): number {
	if (!Number.isInteger(batchSize) || batchSize < 1) {
		throw new RangeError(`batch size must be a positive whole number, got ${batchSize}`);
	}
	if (itemCount <= 0) return 0;
	const batches = Math.ceil(itemCount / batchSize);
	return Math.ceil((itemCount * Math.max(0, msPerItem) + batches * Math.max(0, perBatchMs)) / 1000);
}

/** What happened to one item × task in a batch. */
export type PredictionOutcome =
	{ ok: true; level: ConfidenceLevel; needsReview: boolean; autoApproved: boolean } | { ok: false };

export interface BatchResult {
	/** Items the batch finished (failed ones included). */
	items: number;
	outcomes: readonly PredictionOutcome[];
	/** Time the batch ran. */
	elapsedMs: number;
}

export function emptySummary(): JobSummary {
	return {
		processed: 0,
		highConfidence: 0,
		needsReview: 0,
		autoApproved: 0,
		failed: 0,
		durationMs: 0,
		itemsPerSecond: 0
	};
}

/**
 * Folds one batch into a job summary. A failed item × task is counted in `failed` and in
 * `needsReview` (failed items are flagged for review). Items/s is over running time only.
 *
 * Example: `addBatch(emptySummary(), { items: 2, outcomes: [{ ok: false }], elapsedMs: 500 })`
 * → processed 2, failed 1, needsReview 1, itemsPerSecond 4.
 */
export function addBatch(summary: JobSummary, batch: BatchResult): JobSummary {
	const next = { ...summary };
	next.processed += batch.items;
	next.durationMs += Math.max(0, batch.elapsedMs);
	for (const o of batch.outcomes) {
		if (!o.ok) {
			next.failed += 1;
			next.needsReview += 1;
			continue;
		}
		if (o.level === 'high') next.highConfidence += 1;
		if (o.needsReview) next.needsReview += 1;
		if (o.autoApproved) next.autoApproved += 1;
	}
	next.itemsPerSecond = next.durationMs > 0 ? (next.processed * 1000) / next.durationMs : 0;
	return next;
}
