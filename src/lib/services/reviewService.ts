import Dexie from 'dexie';
import { db } from '$lib/db/database';
import { getProject } from '$lib/db/projects';
import {
	annotationFrom,
	decide,
	ReviewError,
	sameState,
	stateOf,
	undoTarget,
	type DecisionInput
} from '$lib/domain/review/reviewActions';
import {
	countEntry,
	emptyQueueCounts,
	isOpen,
	matches,
	queueEntry,
	sortQueue,
	type QueueCounts,
	type QueueEntry,
	type QueueFilter,
	type QueueSort
} from '$lib/domain/review/queue';
import {
	taskItemKind,
	type Annotation,
	type Item,
	type LabelTask,
	type PredictionRecord,
	type ReviewEvent
} from '$lib/domain/schemas';

/**
 * The review workspace's storage side: the queue of a task's items (filters, sorts, counts),
 * decisions that write the annotation and its `reviewEvents` entry in one transaction,
 * multi-level undo, bulk approval, live stats and the recent decisions.
 */

export { ReviewError };

async function taskOf(projectId: number, taskId: string): Promise<LabelTask> {
	const project = await getProject(projectId);
	const task = project?.tasks.find((t) => t.id === taskId);
	if (!task) throw new ReviewError('wrong-kind', 'This label task no longer exists.');
	return task;
}

/** Newer wins: later createdAt, then the larger id. */
function newer(a: PredictionRecord, b: PredictionRecord | undefined): boolean {
	if (!b) return true;
	return a.createdAt > b.createdAt || (a.createdAt === b.createdAt && (a.id ?? 0) > (b.id ?? 0));
}

export interface ReviewQueue {
	entries: QueueEntry[];
	counts: QueueCounts;
	/** Entries of the whole task, before the filter (for "approve all high-confidence"). */
	total: number;
}

/**
 * One entry per item of the task's kind: its current prediction (the newest) and its
 * annotation for the task. Reads index keys for the ids and streams predictions and
 * annotations once each.
 */
export async function queueEntries(projectId: number, task: LabelTask): Promise<QueueEntry[]> {
	const kind = taskItemKind[task.kind];
	const ids = await db()
		.items.where('[projectId+kind+id]')
		.between([projectId, kind, Dexie.minKey], [projectId, kind, Dexie.maxKey])
		.primaryKeys();
	const current = new Map<number, PredictionRecord>();
	await db()
		.predictions.where('[projectId+taskId]')
		.equals([projectId, task.id])
		.each((p) => {
			if (newer(p, current.get(p.itemId))) current.set(p.itemId, p);
		});
	const annotations = new Map<number, Annotation>();
	await db()
		.annotations.where('[projectId+taskId]')
		.equals([projectId, task.id])
		.each((a) => annotations.set(a.itemId, a));
	const out: QueueEntry[] = [];
	for (let i = 0; i < ids.length; i += SLICE) {
		await yieldToPage();
		for (const itemId of ids.slice(i, i + SLICE)) out.push(entryFor(itemId));
	}
	return out;
	function entryFor(itemId: number): QueueEntry {
		return queueEntry(itemId, current.get(itemId), annotations.get(itemId));
	}
}

/**
 * The first entries of the default queue (needs review, most uncertain first), read in score
 * order from an index instead of loading the task's every prediction: the review page shows
 * its first item from these while the whole queue loads. Null when items without any
 * prediction (they come first) exist.
 */
export async function queueHead(
	projectId: number,
	taskId: string,
	limit: number
): Promise<QueueEntry[] | null> {
	const task = await taskOf(projectId, taskId);
	const kind = taskItemKind[task.kind];
	// Items with no prediction come first in this order: with fewer predictions than items
	// there are some, and no shortcut. Two counts, read from index keys alone. (With several
	// model versions an unpredicted item can hide behind the count; the whole queue, merged in
	// when it arrives, then puts it first and keeps the reviewer's item on screen.)
	const [items, predicted] = await Promise.all([
		db()
			.items.where('[projectId+kind+id]')
			.between([projectId, kind, Dexie.minKey], [projectId, kind, Dexie.maxKey])
			.count(),
		db().predictions.where('[projectId+taskId]').equals([projectId, taskId]).count()
	]);
	if (predicted < items) return null;
	const head: QueueEntry[] = [];
	const seen = new Set<number>();
	const PAGE = 64;
	for (let offset = 0; head.length < limit; offset += PAGE) {
		const page = await db()
			.predictions.where('[projectId+taskId+score]')
			.between([projectId, taskId, Dexie.minKey], [projectId, taskId, Dexie.maxKey])
			.offset(offset)
			.limit(PAGE)
			.toArray();
		const candidates = page.filter((p) => p.needsReview && !seen.has(p.itemId));
		for (const p of candidates) seen.add(p.itemId);
		const annotations = await db()
			.annotations.where('[itemId+taskId]')
			.anyOf(candidates.map((p) => [p.itemId, taskId]))
			.toArray();
		const byItem = new Map(annotations.map((a) => [a.itemId, a]));
		for (const p of candidates) {
			// Only an item's newest prediction counts; a newer one elsewhere in the order wins.
			const all = await db()
				.predictions.where('[itemId+taskId+modelVersionId]')
				.between([p.itemId, taskId, Dexie.minKey], [p.itemId, taskId, Dexie.maxKey])
				.toArray();
			if (all.some((other) => other !== p && newer(other, p))) continue;
			const entry = queueEntry(p.itemId, p, byItem.get(p.itemId));
			if (isOpen(entry)) head.push(entry);
			if (head.length >= limit) break;
		}
		if (page.length < PAGE) break;
	}
	// The full queue breaks score ties by item id; so does its head.
	return head.sort((a, b) => (a.score ?? 0) - (b.score ?? 0) || a.itemId - b.itemId);
}

/** The queue for a filter and sort, with counts for every filter option. */
export async function loadQueue(
	projectId: number,
	taskId: string,
	filter: QueueFilter,
	sort: QueueSort,
	seed = 1
): Promise<ReviewQueue> {
	const task = await taskOf(projectId, taskId);
	const all = await queueEntries(projectId, task);
	// Each step over 100,000 entries takes tens of milliseconds: the page gets a turn between
	// them, so a reviewer already at work (on the queue's head) never waits on one long task.
	const kept: QueueEntry[] = [];
	const counts = emptyQueueCounts();
	for (let i = 0; i < all.length; i += SLICE) {
		await yieldToPage();
		for (const e of all.slice(i, i + SLICE)) {
			countEntry(counts, e);
			if (matches(e, filter)) kept.push(e);
		}
	}
	await yieldToPage();
	const entries = sortQueue(kept, sort, seed);
	await yieldToPage();
	return { entries, counts, total: all.length };
}

/** Entries handled between two turns of the page (see `loadQueue`). */
const SLICE = 10_000;

const yieldToPage = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export interface ReviewItem {
	item: Item;
	annotation: Annotation | null;
	prediction: PredictionRecord | null;
}

/** What the review screen shows for one item: the item, its label and current prediction. */
export async function reviewItem(itemId: number, taskId: string): Promise<ReviewItem | null> {
	const item = await db().items.get(itemId);
	if (!item) return null;
	const [annotation, predictions] = await Promise.all([
		db().annotations.where('[itemId+taskId]').equals([itemId, taskId]).first(),
		db()
			.predictions.where('[itemId+taskId+modelVersionId]')
			.between([itemId, taskId, Dexie.minKey], [itemId, taskId, Dexie.maxKey])
			.toArray()
	]);
	let prediction: PredictionRecord | null = null;
	for (const p of predictions) if (newer(p, prediction ?? undefined)) prediction = p;
	return { item, annotation: annotation ?? null, prediction };
}

export interface DecideRequest extends DecisionInput {
	projectId: number;
	itemId: number;
	taskId: string;
	/** Blind second opinion: logged for agreement, the annotation is left as it is. */
	secondOpinion?: boolean;
}

export interface DecideResult {
	event: ReviewEvent;
	annotation: Annotation | null;
}

/** Writes a decision: the annotation and its review event, in one transaction. */
export async function decideItem(request: DecideRequest): Promise<DecideResult> {
	const task = await taskOf(request.projectId, request.taskId);
	const database = db();
	return database.transaction('rw', database.annotations, database.reviewEvents, async () => {
		const existing = await database.annotations
			.where('[itemId+taskId]')
			.equals([request.itemId, request.taskId])
			.first();
		const before = stateOf(existing);
		const decision = decide(before, task, request);
		const now = Date.now();
		const secondOpinion = request.secondOpinion ?? false;
		let annotation = existing ?? null;
		if (!secondOpinion) {
			annotation = annotationFrom(
				decision.after,
				{
					projectId: request.projectId,
					itemId: request.itemId,
					taskId: request.taskId,
					id: existing?.id
				},
				now
			);
			annotation.id = await database.annotations.put(annotation);
		}
		const event: ReviewEvent = {
			projectId: request.projectId,
			itemId: request.itemId,
			taskId: request.taskId,
			reviewer: request.reviewer,
			action: decision.action,
			before,
			after: decision.after,
			undoes: null,
			secondOpinion,
			at: now
		};
		event.seq = await database.reviewEvents.add(event);
		return { event, annotation };
	});
}

/**
 * Undoes the reviewer's latest decision that is not undone yet (call again to go further
 * back): restores the annotation as it was before it and logs an `undo` event. Refused when
 * someone changed the item since, so undo never discards another decision. Null when there
 * is nothing to undo.
 */
export async function undoLast(projectId: number, reviewer: string): Promise<DecideResult | null> {
	const database = db();
	return database.transaction('rw', database.annotations, database.reviewEvents, async () => {
		const mine = await database.reviewEvents
			.where('[projectId+reviewer+seq]')
			.between([projectId, reviewer, Dexie.minKey], [projectId, reviewer, Dexie.maxKey])
			.reverse()
			.toArray();
		const target = undoTarget(mine);
		if (!target) return null;
		const existing = await database.annotations
			.where('[itemId+taskId]')
			.equals([target.itemId, target.taskId])
			.first();
		const now = Date.now();
		const current = stateOf(existing);
		let annotation = existing ?? null;
		if (!target.secondOpinion) {
			if (!sameState(current, target.after)) {
				throw new ReviewError(
					'changed-since',
					`Cannot undo: ${existing?.reviewer ?? 'someone'} changed this item after your decision.`
				);
			}
			if (target.before) {
				annotation = annotationFrom(
					target.before,
					{ projectId, itemId: target.itemId, taskId: target.taskId, id: existing?.id },
					now
				);
				annotation.id = await database.annotations.put(annotation);
			} else {
				if (existing?.id !== undefined) await database.annotations.delete(existing.id);
				annotation = null;
			}
		}
		const event: ReviewEvent = {
			projectId,
			itemId: target.itemId,
			taskId: target.taskId,
			reviewer,
			action: 'undo',
			before: current,
			after: target.secondOpinion ? current : target.before,
			undoes: target.seq ?? null,
			secondOpinion: target.secondOpinion,
			at: now
		};
		event.seq = await database.reviewEvents.add(event);
		return { event, annotation };
	});
}

const BULK_CHUNK = 500;

/**
 * Approves many items' current labels, an event each, in transactions of 500. Items with
 * nothing to approve (a classification without any label) or already decided are passed
 * over. Answers how many were approved.
 */
export async function bulkApprove(
	projectId: number,
	taskId: string,
	itemIds: readonly number[],
	reviewer: string
): Promise<number> {
	const task = await taskOf(projectId, taskId);
	const database = db();
	let approved = 0;
	for (let i = 0; i < itemIds.length; i += BULK_CHUNK) {
		const chunk = itemIds.slice(i, i + BULK_CHUNK);
		approved += await database.transaction(
			'rw',
			database.annotations,
			database.reviewEvents,
			async () => {
				const existing = await database.annotations
					.where('[itemId+taskId]')
					.anyOf(chunk.map((id) => [id, taskId]))
					.toArray();
				const now = Date.now();
				const annotations: Annotation[] = [];
				const events: ReviewEvent[] = [];
				for (const a of existing) {
					const before = stateOf(a);
					if (!before || !isOpen({ status: before.status })) continue;
					const { after } = decide(before, task, { action: 'approve', reviewer });
					annotations.push(annotationFrom(after, { ...a, id: a.id }, now));
					events.push({
						projectId,
						itemId: a.itemId,
						taskId,
						reviewer,
						action: 'approve',
						before,
						after,
						undoes: null,
						secondOpinion: false,
						at: now
					});
				}
				await database.annotations.bulkPut(annotations);
				await database.reviewEvents.bulkAdd(events);
				return annotations.length;
			}
		);
	}
	return approved;
}

/** Items in the filtered queue that "approve all high-confidence" would approve. */
export function highConfidenceOpen(entries: readonly QueueEntry[]): number[] {
	return entries
		.filter((e) => e.level === 'high' && !e.needsReview && e.status !== null && isOpen(e))
		.map((e) => e.itemId);
}

export interface ReviewStats {
	total: number;
	pending: number;
	approved: number;
	rejected: number;
	corrected: number;
	skipped: number;
	flagged: number;
	/** Mean review score of the current predictions; null without any. */
	averageConfidence: number | null;
	/** Share of items a human decided (approved, rejected or corrected). */
	progress: number;
}

export function statsOf(entries: readonly QueueEntry[]): ReviewStats {
	const stats: ReviewStats = {
		total: entries.length,
		pending: 0,
		approved: 0,
		rejected: 0,
		corrected: 0,
		skipped: 0,
		flagged: 0,
		averageConfidence: null,
		progress: 0
	};
	let sum = 0;
	let scored = 0;
	for (const e of entries) {
		stats[e.status ?? 'pending'] += 1;
		if (e.score !== null) {
			sum += e.score;
			scored += 1;
		}
	}
	stats.averageConfidence = scored > 0 ? sum / scored : null;
	const decided = stats.approved + stats.rejected + stats.corrected;
	stats.progress = stats.total > 0 ? decided / stats.total : 0;
	return stats;
}

/** The project's latest review events, newest first. */
export async function recentEvents(projectId: number, limit = 20): Promise<ReviewEvent[]> {
	return db()
		.reviewEvents.where('[projectId+seq]')
		.between([projectId, Dexie.minKey], [projectId, Dexie.maxKey])
		.reverse()
		.limit(limit)
		.toArray();
}

/** Every review event of a project, oldest first (the log, for checks and later sync). */
export async function reviewLog(projectId: number): Promise<ReviewEvent[]> {
	return db()
		.reviewEvents.where('[projectId+seq]')
		.between([projectId, Dexie.minKey], [projectId, Dexie.maxKey])
		.toArray();
}

/**
 * Second-opinion queue: of a task's entries (in their order), the items someone other than
 * `reviewer` decided that `reviewer` has not given a blind opinion on yet. Their decisions are
 * not shown (agreement is measured later). Takes the entries already loaded for the queue,
 * so the task is read once.
 */
export async function secondOpinionEntries(
	projectId: number,
	taskId: string,
	reviewer: string,
	entries: readonly QueueEntry[]
): Promise<QueueEntry[]> {
	const given = new Set<number>();
	await db()
		.reviewEvents.where('[projectId+reviewer+seq]')
		.between([projectId, reviewer, Dexie.minKey], [projectId, reviewer, Dexie.maxKey])
		.each((e) => {
			if (e.secondOpinion && e.taskId === taskId && e.action !== 'undo') given.add(e.itemId);
		});
	return entries.filter(
		(e) =>
			e.reviewer !== null &&
			e.reviewer !== reviewer &&
			(e.status === 'approved' || e.status === 'rejected' || e.status === 'corrected') &&
			!given.has(e.itemId)
	);
}

/** The ids of `secondOpinionEntries` over the whole task. */
export async function secondOpinionIds(
	projectId: number,
	taskId: string,
	reviewer: string
): Promise<number[]> {
	const entries = await queueEntries(projectId, await taskOf(projectId, taskId));
	return (await secondOpinionEntries(projectId, taskId, reviewer, entries)).map((e) => e.itemId);
}
