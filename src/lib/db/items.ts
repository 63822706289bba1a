import Dexie from 'dexie';
import { thumbKey, type Item } from '$lib/domain/schemas';
import { db, WRITE_CHUNK } from './database';

export async function getItems(ids: number[]): Promise<(Item | undefined)[]> {
	return db().items.bulkGet(ids);
}

/**
 * Every content hash the project holds, read once from the index (keys only), so an import
 * can skip duplicates in memory instead of querying per item.
 */
export async function projectHashes(projectId: number): Promise<Set<string>> {
	const keys = await db()
		.items.where('[projectId+sha256]')
		.between([projectId, Dexie.minKey], [projectId, Dexie.maxKey])
		.keys();
	return new Set(keys.map((k) => (k as unknown as [number, string])[1]));
}

/**
 * Deletes items with their annotations, then the blobs (originals and thumbnails) that no
 * remaining item references. Works in chunks so 100,000 deletions never hold one giant
 * transaction.
 */
export async function deleteItemsByIds(ids: number[]): Promise<void> {
	const database = db();
	for (let start = 0; start < ids.length; start += WRITE_CHUNK) {
		const chunk = ids.slice(start, start + WRITE_CHUNK);
		await database.transaction(
			'rw',
			[database.items, database.annotations, database.predictions, database.blobs],
			async () => {
				const items = await database.items.bulkGet(chunk);
				const hashes = [
					...new Set(items.flatMap((item) => (item && item.kind === 'image' ? [item.sha256] : [])))
				];
				await database.annotations.where('itemId').anyOf(chunk).delete();
				await database.predictions.where('itemId').anyOf(chunk).delete();
				await database.items.bulkDelete(chunk);
				if (hashes.length === 0) return;
				const stillUsed = new Set(
					(await database.items.where('sha256').anyOf(hashes).keys()).map(String)
				);
				const orphaned = hashes.filter((h) => !stillUsed.has(h));
				await database.blobs.bulkDelete(orphaned.flatMap((h) => [h, thumbKey(h)]));
			}
		);
	}
}
