import Dexie, { liveQuery, type Observable } from 'dexie';
import type { Annotation, Item, ItemKind } from '$lib/domain/schemas';
import { itemConfidences, type ItemConfidence } from '$lib/domain/labeling/itemConfidence';
import { db } from '$lib/db/database';
import { deleteItemsByIds, getItems } from '$lib/db/items';
import { countProjectPredictions, predictionsForItems } from '$lib/db/predictions';

/**
 * What the item browser reads and writes. Records are fetched by id for the rows on screen
 * only; nothing here loads a whole project.
 */

/**
 * Records for `ids`, keyed by id; ids that no longer exist are left out.
 *
 * Example: `const records = await loadItems([4, 5, 6]); records.get(5)?.name`
 */
export async function loadItems(ids: number[]): Promise<Map<number, Item>> {
	const rows = await getItems(ids);
	const out = new Map<number, Item>();
	for (const row of rows) if (row?.id !== undefined) out.set(row.id, row);
	return out;
}

/**
 * Annotations of several items in one read, through the `[itemId+taskId]` index (one key
 * range per item, so sparse ids never scan the items in between).
 *
 * Example: `(await annotationsForItems([4, 5])).get(4) ?? []`
 */
export async function annotationsForItems(ids: number[]): Promise<Map<number, Annotation[]>> {
	const out = new Map<number, Annotation[]>();
	if (ids.length === 0) return out;
	const unique = [...new Set(ids)].sort((a, b) => a - b);
	const rows = await db()
		.annotations.where('[itemId+taskId]')
		.inAnyRange(
			unique.map((id) => [
				[id, Dexie.minKey],
				[id, Dexie.maxKey]
			]),
			{ includeLowers: true, includeUppers: true }
		)
		.toArray();
	for (const row of rows) {
		const list = out.get(row.itemId);
		if (list) list.push(row);
		else out.set(row.itemId, [row]);
	}
	return out;
}

/**
 * Confidence summaries of several items (their current prediction per task, reduced to the
 * worst level); items without predictions have no entry.
 *
 * Example: `(await confidenceForItems([4, 5])).get(4)?.level` → `'low'`
 */
export async function confidenceForItems(ids: number[]): Promise<Map<number, ItemConfidence>> {
	return itemConfidences(await predictionsForItems(ids));
}

/**
 * A project's prediction count, re-read whenever predictions change (a job in a worker writes
 * them batch by batch); the browser refreshes confidence badges when it moves.
 */
export const watchPredictionCount = (projectId: number): Observable<number> =>
	liveQuery(() => countProjectPredictions(projectId));

/** How many items of one kind a project holds (an index count, no records read). */
export async function countItemsOfKind(projectId: number, kind: ItemKind): Promise<number> {
	return db()
		.items.where('[projectId+kind+id]')
		.between([projectId, kind, Dexie.minKey], [projectId, kind, Dexie.maxKey])
		.count();
}

/**
 * The kind the browser opens on: images when the project has any (a grid), else texts.
 *
 * Example: `await defaultKind(3)` → `'image'`
 */
export async function defaultKind(projectId: number): Promise<ItemKind> {
	return (await countItemsOfKind(projectId, 'image')) > 0 ? 'image' : 'text';
}

/** Deletes items with their labels and any blobs no other item shares. */
export async function deleteItems(ids: number[]): Promise<void> {
	await deleteItemsByIds(ids);
}
