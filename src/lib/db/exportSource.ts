import type { LabelledItem } from '$lib/domain/formats/select';
import type { ExportItem } from '$lib/domain/formats/snapshot';
import { keepNewestScore, labelledItem, type Scored } from '$lib/domain/formats/labelled';
import type { LabelTask } from '$lib/domain/schemas';
import { db, WRITE_CHUNK } from './database';

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
	const annotations = await db()
		.annotations.where('[projectId+taskId]')
		.equals([projectId, task.id])
		.toArray();
	const scores = new Map<number, Scored>();
	await db()
		.predictions.where('[projectId+taskId]')
		.equals([projectId, task.id])
		.each((p) => keepNewestScore(scores, p));
	const out: LabelledItem[] = [];
	for (let at = 0; at < annotations.length; at += WRITE_CHUNK) {
		const chunk = annotations.slice(at, at + WRITE_CHUNK);
		const items = await db().items.bulkGet(chunk.map((a) => a.itemId));
		chunk.forEach((annotation, i) => {
			const item = items[i];
			if (!item || item.projectId !== projectId) return;
			out.push(labelledItem(item, annotation, scores.get(annotation.itemId)));
		});
	}
	return out.sort((a, b) => a.item.id - b.item.id);
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
