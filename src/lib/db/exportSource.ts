import type { LabelledItem } from '$lib/domain/formats/select';
import type { ExportItem } from '$lib/domain/formats/snapshot';
import { keepNewestScore, labelledItem, type Scored } from '$lib/domain/formats/labelled';
import Dexie from 'dexie';
import type { Item, LabelTask } from '$lib/domain/schemas';
import { db } from './database';

/**
 * What an export reads from IndexedDB: the labelled items of one task (annotation, newest
 * prediction's score, item record) and, one at a time, image bytes.
 */

/**
 * Every item of the project that has an annotation for `task`, with its label and the score
 * of the task's newest prediction for it. Predictions are walked with a cursor keeping only
 * scores, so 100,000 stored model outputs never sit in memory at once.
 */
export async function labelledItems(projectId: number, task: LabelTask): Promise<LabelledItem[]> {
	const scores = new Map<number, Scored>();
	// The three reads run at once: each is mostly IndexedDB copying records out.
	const [annotations, items] = await Promise.all([
		db().annotations.where('[projectId+taskId]').equals([projectId, task.id]).toArray(),
		projectItemsFor(projectId),
		db()
			.predictions.where('[projectId+taskId]')
			.equals([projectId, task.id])
			.each((p) => keepNewestScore(scores, p))
	]);
	const out: LabelledItem[] = [];
	for (const annotation of annotations) {
		const item = items.get(annotation.itemId);
		if (item) out.push(labelledItem(item, annotation, scores.get(annotation.itemId)));
	}
	return out.sort((a, b) => a.item.id - b.item.id);
}

/**
 * The project's items by id, read as one range of `[projectId+id]`: a single range read is
 * several times faster than fetching 100,000 records by key in chunks.
 */
async function projectItemsFor(projectId: number): Promise<Map<number, Item>> {
	const items = await db()
		.items.where('[projectId+id]')
		.between([projectId, Dexie.minKey], [projectId, Dexie.maxKey])
		.toArray();
	return new Map(items.map((item) => [item.id as number, item]));
}

/** The exact stored bytes of an image item; a clear error when they are gone. */
export async function readItemBytes(
	item: Pick<ExportItem, 'sha256' | 'name'>
): Promise<Uint8Array> {
	const stored = await db().blobs.get(item.sha256);
	if (!stored)
		throw new Error(`${item.name}: its image bytes are missing from this browser's storage`);
	return new Uint8Array(await stored.blob.arrayBuffer());
}
