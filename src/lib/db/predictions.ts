import Dexie from 'dexie';
import type { PredictionRecord } from '$lib/domain/schemas';
import { db } from './database';
import { eachItemKey } from './itemKeys';

/** One model version's prediction for an item × task, if it ran. */
export async function getPrediction(
	itemId: number,
	taskId: string,
	modelVersionId: string
): Promise<PredictionRecord | undefined> {
	return db()
		.predictions.where('[itemId+taskId+modelVersionId]')
		.equals([itemId, taskId, modelVersionId])
		.first();
}

/** Every prediction a job wrote (tests and the job summary; a job's are at most its items × tasks). */
export async function predictionsForJob(jobId: number): Promise<PredictionRecord[]> {
	return db().predictions.where('jobId').equals(jobId).toArray();
}

/** How many predictions a task holds, across model versions. */
export async function countPredictions(projectId: number, taskId: string): Promise<number> {
	return db().predictions.where('[projectId+taskId]').equals([projectId, taskId]).count();
}

/*
 * Upper bounds of `[itemId+taskId+modelVersionId]` ranges are `[id, Dexie.maxKey]`: it sorts
 * after every `[id, task, version]`, and `[id, Dexie.maxKey, Dexie.maxKey]` is not a valid key
 * (one array object twice in a key is rejected as a cycle).
 */

/**
 * Every prediction (all tasks and model versions) of several items in one read, through the
 * unique `[itemId+taskId+modelVersionId]` index: one key range per item, so sparse ids never
 * scan the items in between.
 *
 * Example: `(await predictionsForItems([4, 5])).filter((p) => p.itemId === 4)`
 */
export async function predictionsForItems(ids: readonly number[]): Promise<PredictionRecord[]> {
	if (ids.length === 0) return [];
	const unique = [...new Set(ids)].sort((a, b) => a - b);
	return db()
		.predictions.where('[itemId+taskId+modelVersionId]')
		.inAnyRange(
			unique.map((id) => [
				[id, Dexie.minKey, Dexie.minKey],
				[id, Dexie.maxKey]
			]),
			{ includeLowers: true, includeUppers: true }
		)
		.toArray();
}

/**
 * Streams a project's predictions (every task and model version) through a cursor, so the
 * whole project's are never held at once.
 *
 * Example: `await eachProjectPrediction(3, (p) => seen.add(p.itemId))`
 */
export async function eachProjectPrediction(
	projectId: number,
	visit: (prediction: PredictionRecord) => void
): Promise<void> {
	await db()
		.predictions.where('[projectId+taskId]')
		.between([projectId, Dexie.minKey], [projectId, Dexie.maxKey])
		.each((p) => visit(p));
}

/** How many predictions a project holds over all tasks (an index count; changes as jobs write). */
export async function countProjectPredictions(projectId: number): Promise<number> {
	return db()
		.predictions.where('[projectId+taskId]')
		.between([projectId, Dexie.minKey], [projectId, Dexie.maxKey])
		.count();
}

/**
 * Which of `ids` have at least one prediction, read from index keys alone (no record is
 * loaded). Keys of other projects' items inside the id range are simply not in `ids`.
 */
export async function predictedAmong(ids: readonly number[]): Promise<Set<number>> {
	const predicted = new Set<number>();
	await eachItemKey('predictions', ids, (itemId) => predicted.add(itemId));
	return predicted;
}
