import type { PredictionRecord } from '../schemas/prediction';
import type { ConfidenceLevel } from './confidence';

/**
 * How sure the models are about an item, from its stored predictions. Several model versions
 * may have predicted an item × task; the current one is the newest (largest `createdAt`, a tie
 * going to the larger id). The item's level is the worst level among its current predictions
 * over all tasks, so one unsure task makes the whole item unsure.
 */

/** The fields of a stored prediction that the confidence summary reads. */
export type PredictionFacts = Pick<
	PredictionRecord,
	| 'id'
	| 'itemId'
	| 'taskId'
	| 'modelVersionId'
	| 'level'
	| 'score'
	| 'needsReview'
	| 'reviewReason'
	| 'failed'
	| 'createdAt'
>;

export type TaskConfidence = {
	taskId: string;
	modelVersionId: string;
	level: ConfidenceLevel;
	score: number;
	needsReview: boolean;
	reviewReason: string | null;
	failed: boolean;
};

export type ItemConfidence = {
	/** The worst level among the current predictions of every task. */
	level: ConfidenceLevel;
	/** Whether any current prediction failed. */
	failed: boolean;
	/** Whether any current prediction needs review. */
	needsReview: boolean;
	/** The current prediction of each predicted task, by task id. */
	perTask: TaskConfidence[];
};

/** What an item's badge shows: a failure wins over any level. */
export type ConfidenceBadge = ConfidenceLevel | 'failed';

/** What the browser can filter on. */
export type ConfidenceFilter = 'any' | ConfidenceLevel | 'failed' | 'needs-review' | 'unpredicted';

/** Levels, best first. */
const RANK: Record<ConfidenceLevel, number> = { high: 0, medium: 1, low: 2, uncertain: 3 };

/** The worse of two levels. Example: `worseLevel('high', 'low') === 'low'`. */
export function worseLevel(a: ConfidenceLevel, b: ConfidenceLevel): ConfidenceLevel {
	return RANK[b] > RANK[a] ? b : a;
}

/** Whether `a` supersedes `b` for the same item × task: newer, or as new with a larger id. */
export function isNewer(
	a: Pick<PredictionFacts, 'createdAt' | 'id'>,
	b: Pick<PredictionFacts, 'createdAt' | 'id'>
): boolean {
	if (a.createdAt !== b.createdAt) return a.createdAt > b.createdAt;
	return (a.id ?? -Infinity) > (b.id ?? -Infinity);
}

/**
 * Current predictions, item id → task id → prediction. Feed predictions one at a time (a
 * cursor streams them), in any order; only the newest of each item × task is kept.
 *
 * Example: `const c = new CurrentPredictions(); rows.forEach((p) => c.add(p)); c.summary(4)`
 */
export class CurrentPredictions<P extends PredictionFacts = PredictionFacts> {
	private readonly byItem = new Map<number, Map<string, P>>();

	add(prediction: P): void {
		let tasks = this.byItem.get(prediction.itemId);
		if (!tasks) {
			tasks = new Map();
			this.byItem.set(prediction.itemId, tasks);
		}
		const held = tasks.get(prediction.taskId);
		if (!held || isNewer(prediction, held)) tasks.set(prediction.taskId, prediction);
	}

	/** Whether the item has any prediction. */
	has(itemId: number): boolean {
		return this.byItem.has(itemId);
	}

	itemIds(): IterableIterator<number> {
		return this.byItem.keys();
	}

	/** The item's current prediction per task (empty when it has none). */
	current(itemId: number): P[] {
		return [...(this.byItem.get(itemId)?.values() ?? [])];
	}

	/** The item's summary, or null when it has no prediction. */
	summary(itemId: number): ItemConfidence | null {
		return summarize(this.current(itemId));
	}
}

/**
 * Reduces current predictions (one per task) to the item's summary; null for none. Tasks are
 * listed in id order so the summary does not depend on read order.
 */
function summarize(current: readonly PredictionFacts[]): ItemConfidence | null {
	if (current.length === 0) return null;
	let level: ConfidenceLevel = 'high';
	let failed = false;
	let needsReview = false;
	const perTask: TaskConfidence[] = [];
	for (const p of current) {
		level = worseLevel(level, p.level);
		failed ||= p.failed !== null;
		needsReview ||= p.needsReview;
		perTask.push({
			taskId: p.taskId,
			modelVersionId: p.modelVersionId,
			level: p.level,
			score: p.score,
			needsReview: p.needsReview,
			reviewReason: p.reviewReason,
			failed: p.failed !== null
		});
	}
	perTask.sort((a, b) => (a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0));
	return { level, failed, needsReview, perTask };
}

/**
 * Summaries of every item among `predictions` (of any number of items, model versions and
 * tasks); items without predictions have no entry.
 *
 * Example: `itemConfidences(rows).get(4)?.level` → `'low'`
 */
export function itemConfidences(
	predictions: Iterable<PredictionFacts>
): Map<number, ItemConfidence> {
	const current = new CurrentPredictions();
	for (const p of predictions) current.add(p);
	const out = new Map<number, ItemConfidence>();
	for (const id of current.itemIds()) {
		const summary = current.summary(id);
		if (summary) out.set(id, summary);
	}
	return out;
}

/** The badge of a summary: 'failed' when any current prediction failed, else the level. */
export function confidenceBadge(summary: ItemConfidence): ConfidenceBadge {
	return summary.failed ? 'failed' : summary.level;
}

/**
 * Whether an item (its summary, null when unpredicted) passes the confidence filter. Level
 * filters match the badge, so a failed item matches 'failed' only.
 *
 * Example: `matchesConfidence(null, 'unpredicted') === true`
 */
export function matchesConfidence(
	summary: ItemConfidence | null,
	filter: ConfidenceFilter
): boolean {
	if (filter === 'any') return true;
	if (filter === 'unpredicted') return summary === null;
	if (summary === null) return false;
	if (filter === 'needs-review') return summary.needsReview;
	return confidenceBadge(summary) === filter;
}

const BADGE_TEXT: Record<ConfidenceBadge, string> = {
	high: 'High',
	medium: 'Medium',
	low: 'Low',
	uncertain: 'Uncertain',
	failed: 'Failed'
};

/** The word on a badge. Example: `badgeText('low') === 'Low'`. */
export const badgeText = (badge: ConfidenceBadge): string => BADGE_TEXT[badge];

/**
 * The badge's description in words, one clause per task.
 *
 * Example: `describeConfidence(summary, () => 'Sentiment')` →
 * `'Confidence: low — Sentiment 0.62 (needs review)'`
 */
export function describeConfidence(
	summary: ItemConfidence,
	taskName: (taskId: string) => string
): string {
	const tasks = summary.perTask.map((t) => {
		const notes = [t.failed ? 'failed' : null, t.needsReview ? 'needs review' : null].filter(
			(n) => n !== null
		);
		const note = notes.length > 0 ? ` (${notes.join(', ')})` : '';
		return `${taskName(t.taskId)} ${t.score.toFixed(2)}${note}`;
	});
	return `Confidence: ${confidenceBadge(summary)} — ${tasks.join('; ')}`;
}
