import type { Annotation } from '../schemas/annotation';
import type { ReviewAction } from '../schemas/review';
import { countQueue, labelFields, type QueueCounts, type QueueEntry } from './queue';

/**
 * In-memory bookkeeping for a review session: after a decision the page updates the one queue
 * entry and the option counts by difference, instead of reloading the whole queue.
 */

/**
 * The queue entry once the item's annotation is `annotation` (null: removed). Prediction
 * fields stay as they were.
 *
 * Example: `entryAfter(pendingCat, approvedByAna).status` → 'approved'.
 */
export function entryAfter(entry: QueueEntry, annotation: Annotation | null): QueueEntry {
	return { ...entry, ...labelFields(annotation) };
}

function shift(target: Record<string, number>, by: Record<string, number>, sign: 1 | -1): void {
	for (const [key, n] of Object.entries(by)) {
		const next = (target[key] ?? 0) + sign * n;
		if (next > 0) target[key] = next;
		else delete target[key];
	}
}

/**
 * Option counts after one entry changed from `before` to `after`: the counts of the one
 * entry taken away and added back, so a decision costs O(1), not a pass over the queue.
 */
export function adjustCounts(
	counts: QueueCounts,
	before: QueueEntry,
	after: QueueEntry
): QueueCounts {
	const out: QueueCounts = {
		views: { ...counts.views },
		levels: { ...counts.levels },
		statuses: { ...counts.statuses },
		reviewers: { ...counts.reviewers },
		classes: { ...counts.classes },
		modelVersions: { ...counts.modelVersions }
	};
	const [gone, come] = [countQueue([before]), countQueue([after])];
	for (const key of Object.keys(out) as (keyof QueueCounts)[]) {
		shift(out[key] as Record<string, number>, gone[key] as Record<string, number>, -1);
		shift(out[key] as Record<string, number>, come[key] as Record<string, number>, 1);
	}
	// Fixed keys stay present at zero, as countQueue gives them.
	for (const key of ['views', 'levels', 'statuses'] as const) {
		for (const k of Object.keys(gone[key])) {
			(out[key] as Record<string, number>)[k] ??= 0;
		}
	}
	return out;
}

/** How the log and the announcements name an action: "Approved cat.png". */
export const ACTION_PAST: Record<ReviewAction, string> = {
	approve: 'Approved',
	reject: 'Rejected',
	correct: 'Corrected',
	skip: 'Skipped',
	flag: 'Flagged',
	undo: 'Undid'
};
