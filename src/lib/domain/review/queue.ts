import { z } from 'zod';
import { seededHash } from '../seededHash';
import type { Annotation, AnnotationStatus } from '../schemas/annotation';
import type { PredictionRecord } from '../schemas/prediction';
import { annotationClassIds } from '../labels/annotationClasses';
import { ConfidenceLevel } from '../labeling/confidence';

/**
 * The review queue without storage: which of a task's items a filter keeps, in which order,
 * and how many each filter option would show. One entry per item, built by the review
 * service from the item's current prediction and annotation for the task.
 */

export const QueueView = z.enum(['needs-review', 'all', 'high']);
export type QueueView = z.infer<typeof QueueView>;

export const QueueSort = z.enum(['uncertain', 'newest', 'random']);
export type QueueSort = z.infer<typeof QueueSort>;

/** Status filter: an annotation status, or items no human has decided yet. */
export type StatusFilter = AnnotationStatus | 'unreviewed' | 'any';

export interface QueueFilter {
	view: QueueView;
	level: ConfidenceLevel | 'any';
	/** Items whose current label uses this class. */
	classId: string | null;
	modelVersionId: string | null;
	status: StatusFilter;
	/** Items last decided by this reviewer. */
	reviewer: string | null;
}

export const DEFAULT_QUEUE_FILTER: QueueFilter = {
	view: 'needs-review',
	level: 'any',
	classId: null,
	modelVersionId: null,
	status: 'any',
	reviewer: null
};

export interface QueueEntry {
	itemId: number;
	/** The current prediction's review score; null when the item has none. */
	score: number | null;
	level: ConfidenceLevel | null;
	needsReview: boolean;
	modelVersionId: string | null;
	/** The annotation's status; null when the item has no annotation for the task. */
	status: AnnotationStatus | null;
	/** Who decided it (null for a model's pending label). */
	reviewer: string | null;
	/** Classes the current label uses (classes, box classes or span classes). */
	classIds: readonly string[];
}

/** The label fields of an entry, from the item's annotation for the task (null: none). */
export function labelFields(
	annotation: Annotation | null | undefined
): Pick<QueueEntry, 'status' | 'reviewer' | 'classIds'> {
	return {
		status: annotation ? annotation.status : null,
		reviewer: annotation && annotation.source === 'human' ? annotation.reviewer : null,
		classIds: annotation ? annotationClassIds(annotation.value) : []
	};
}

/** An item's entry from its current prediction and its annotation for the task. */
export function queueEntry(
	itemId: number,
	prediction: PredictionRecord | null | undefined,
	annotation: Annotation | null | undefined
): QueueEntry {
	return {
		itemId,
		score: prediction ? prediction.score : null,
		level: prediction ? prediction.level : null,
		needsReview: prediction ? prediction.needsReview : false,
		modelVersionId: prediction ? prediction.modelVersionId : null,
		...labelFields(annotation)
	};
}

/** No human decision yet: no label, a model's pending one, or skipped for later. */
export function isOpen(entry: Pick<QueueEntry, 'status'>): boolean {
	return entry.status === null || entry.status === 'pending' || entry.status === 'skipped';
}

function inView(entry: QueueEntry, view: QueueView): boolean {
	switch (view) {
		case 'all':
			return true;
		case 'high':
			return entry.level === 'high';
		case 'needs-review':
			// A flagged model prediction, or an item no model has seen: someone has to look.
			return isOpen(entry) && (entry.needsReview || entry.score === null);
	}
}

function statusMatches(entry: QueueEntry, status: StatusFilter): boolean {
	if (status === 'any') return true;
	if (status === 'unreviewed') return isOpen(entry) && entry.status !== 'skipped';
	if (status === 'pending') return entry.status === 'pending' || entry.status === null;
	return entry.status === status;
}

export function matches(entry: QueueEntry, filter: QueueFilter): boolean {
	return (
		inView(entry, filter.view) &&
		(filter.level === 'any' || entry.level === filter.level) &&
		(filter.classId === null || entry.classIds.includes(filter.classId)) &&
		(filter.modelVersionId === null || entry.modelVersionId === filter.modelVersionId) &&
		statusMatches(entry, filter.status) &&
		(filter.reviewer === null || entry.reviewer === filter.reviewer)
	);
}

/**
 * Orders entries (a new array). `uncertain`: lowest score first (items with no prediction
 * first of all: nothing is known about them), ties by id; `newest`: highest id first;
 * `random`: a shuffle fixed by `seed`.
 */
export function sortQueue(entries: readonly QueueEntry[], sort: QueueSort, seed = 1): QueueEntry[] {
	const out = [...entries];
	switch (sort) {
		case 'uncertain':
			return out.sort((a, b) => (a.score ?? -1) - (b.score ?? -1) || a.itemId - b.itemId);
		case 'newest':
			return out.sort((a, b) => b.itemId - a.itemId);
		case 'random': {
			const keys = new Map(out.map((e) => [e.itemId, seededHash(seed, e.itemId)]));
			return out.sort(
				(a, b) =>
					(keys.get(a.itemId) as number) - (keys.get(b.itemId) as number) || a.itemId - b.itemId
			);
		}
	}
}

export interface QueueCounts {
	views: Record<QueueView, number>;
	levels: Record<ConfidenceLevel | 'none', number>;
	statuses: Record<AnnotationStatus | 'unreviewed', number>;
	reviewers: Record<string, number>;
	classes: Record<string, number>;
	modelVersions: Record<string, number>;
}

/** Counts of an empty queue. */
export function emptyQueueCounts(): QueueCounts {
	return {
		views: { 'needs-review': 0, all: 0, high: 0 },
		levels: { high: 0, medium: 0, low: 0, uncertain: 0, none: 0 },
		statuses: {
			unreviewed: 0,
			pending: 0,
			approved: 0,
			rejected: 0,
			corrected: 0,
			skipped: 0,
			flagged: 0
		},
		reviewers: {},
		classes: {},
		modelVersions: {}
	};
}

/** Adds one entry to counts (in place), so a long queue can be counted in slices. */
export function countEntry(counts: QueueCounts, e: QueueEntry): void {
	for (const view of QueueView.options) if (inView(e, view)) counts.views[view] += 1;
	counts.levels[e.level ?? 'none'] += 1;
	counts.statuses[e.status ?? 'pending'] += 1;
	if (statusMatches(e, 'unreviewed')) counts.statuses.unreviewed += 1;
	if (e.reviewer) counts.reviewers[e.reviewer] = (counts.reviewers[e.reviewer] ?? 0) + 1;
	for (const c of new Set(e.classIds)) counts.classes[c] = (counts.classes[c] ?? 0) + 1;
	if (e.modelVersionId) {
		counts.modelVersions[e.modelVersionId] = (counts.modelVersions[e.modelVersionId] ?? 0) + 1;
	}
}

/** How many entries each filter option holds on its own, in one pass. */
export function countQueue(entries: readonly QueueEntry[]): QueueCounts {
	const counts = emptyQueueCounts();
	for (const e of entries) countEntry(counts, e);
	return counts;
}
