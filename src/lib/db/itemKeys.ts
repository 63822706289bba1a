import Dexie from 'dexie';
import { db } from './database';

/**
 * Visits the keys of an index that starts with an item id — `[itemId+taskId]` on annotations,
 * `[itemId+taskId+modelVersionId]` on predictions — for the items in `ids`, without loading a
 * single record. One range over the ids' span: item ids are unique across projects, so keys
 * of other projects' items inside the span are simply not in `ids`.
 *
 * Example: `await eachItemKey('annotations', ids, (itemId) => labeled.add(itemId))`.
 */
export async function eachItemKey(
	table: 'annotations' | 'predictions',
	ids: readonly number[],
	visit: (itemId: number, taskId: string) => void
): Promise<void> {
	if (ids.length === 0) return;
	// A loop, not Math.min(...ids): spreading 100,000 arguments can overflow the stack.
	let lo = Infinity;
	let hi = -Infinity;
	for (const id of ids) {
		if (id < lo) lo = id;
		if (id > hi) hi = id;
	}
	const wanted = new Set(ids);
	const index = table === 'annotations' ? '[itemId+taskId]' : '[itemId+taskId+modelVersionId]';
	// [hi, maxKey] sorts after every [hi, task, …]; one array cannot hold maxKey twice.
	const source = table === 'annotations' ? db().annotations : db().predictions;
	await source
		.where(index)
		.between([lo, Dexie.minKey], [hi, Dexie.maxKey])
		.eachKey((key) => {
			const [itemId, taskId] = key as [number, string];
			if (wanted.has(itemId)) visit(itemId, taskId);
		});
}
