import Dexie from 'dexie';
import type { Annotation, AnnotationStatus, Item, ItemKind } from '$lib/domain/schemas';
import { annotationUsesClass } from '$lib/domain/labels/annotationClasses';
import { db } from '$lib/db/database';

export type LabelFilter = 'any' | 'unlabeled' | 'labeled' | AnnotationStatus;
export type ItemSort = 'oldest' | 'newest' | 'name';

export type ItemFilter = {
	kind: ItemKind | 'any';
	label: LabelFilter;
	/** `taskId:classId`, or null for every class. */
	classRef: string | null;
	search: string;
	batchId: number | null;
};

export const NO_FILTER: ItemFilter = {
	kind: 'any',
	label: 'any',
	classRef: null,
	search: '',
	batchId: null
};

function annotationMatches(a: Annotation, filter: ItemFilter): boolean {
	if (filter.label !== 'any' && filter.label !== 'labeled' && a.status !== filter.label) {
		return false;
	}
	if (filter.classRef) {
		const [taskId, classId] = filter.classRef.split(':');
		return a.taskId === taskId && annotationUsesClass(a.value, classId ?? '');
	}
	return true;
}

/** Natural order (img2 before img10); one collator is far cheaper than localeCompare per pair. */
const byName = new Intl.Collator(undefined, { numeric: true });

/**
 * The ids of a project's items that pass the filter, in display order. Only keys travel
 * (100,000 numbers are under a megabyte); the browser fetches records for what is on screen.
 */
export async function queryItemIds(
	projectId: number,
	filter: ItemFilter,
	sort: ItemSort
): Promise<number[]> {
	const items = db().items;
	let collection =
		filter.batchId !== null
			? items.where('[projectId+batchId]').equals([projectId, filter.batchId])
			: filter.kind !== 'any'
				? items
						.where('[projectId+kind+id]')
						.between([projectId, filter.kind, Dexie.minKey], [projectId, filter.kind, Dexie.maxKey])
				: items
						.where('[projectId+id]')
						.between([projectId, Dexie.minKey], [projectId, Dexie.maxKey]);

	const needle = filter.search.trim().toLowerCase();
	const kindAfterBatch = filter.batchId !== null && filter.kind !== 'any';
	if (needle || kindAfterBatch) {
		collection = collection.filter(
			(item: Item) =>
				(!kindAfterBatch || item.kind === filter.kind) &&
				(!needle ||
					item.name.toLowerCase().includes(needle) ||
					(item.text?.toLowerCase().includes(needle) ?? false))
		);
	}

	let ids: number[];
	if (sort === 'name') {
		// One read transaction, so the names cover exactly the ids (an import may be writing).
		ids = await db().transaction('r', items, async () => {
			const [matched, names] = await Promise.all([collection.primaryKeys(), itemNames(projectId)]);
			// Ties fall back to insertion order, as the id sorts do.
			return matched.sort(
				(a, b) => byName.compare(names.get(a) ?? '', names.get(b) ?? '') || a - b
			);
		});
	} else {
		ids = (await collection.primaryKeys()).sort((a, b) => a - b);
		if (sort === 'newest') ids.reverse();
	}

	if (filter.label === 'any' && !filter.classRef) return ids;
	if (filter.label === 'unlabeled') {
		const labeled = await labeledAmong(ids);
		return ids.filter((id) => !labeled.has(id));
	}
	if (filter.label === 'labeled' && !filter.classRef) {
		const labeled = await labeledAmong(ids);
		return ids.filter((id) => labeled.has(id));
	}
	// Status and class need the annotation itself; each() streams them instead of holding
	// the whole project's labels at once.
	const matching = new Set<number>();
	await db()
		.annotations.where('projectId')
		.equals(projectId)
		.each((a) => {
			if (!matching.has(a.itemId) && annotationMatches(a, filter)) matching.add(a.itemId);
		});
	return ids.filter((id) => matching.has(id));
}

/** id → name of a project's items, read from the name index without loading any record. */
async function itemNames(projectId: number): Promise<Map<number, string>> {
	const names = new Map<number, string>();
	await db()
		.items.where('[projectId+name]')
		.between([projectId, Dexie.minKey], [projectId, Dexie.maxKey])
		.eachKey((key, cursor) => names.set(cursor.primaryKey, (key as [number, string])[1]));
	return names;
}

/**
 * Which of `ids` have at least one annotation. A key cursor over [itemId+taskId] answers
 * this without loading a single annotation value. Item ids are unique across projects and
 * an annotation belongs to its item's project, so keys of other projects' items that fall
 * inside the id range are simply not in `ids`.
 */
async function labeledAmong(ids: readonly number[]): Promise<Set<number>> {
	const labeled = new Set<number>();
	if (ids.length === 0) return labeled;
	// A loop, not Math.min(...ids): spreading 100,000 arguments can overflow the stack.
	let lo = Infinity;
	let hi = -Infinity;
	for (const id of ids) {
		if (id < lo) lo = id;
		if (id > hi) hi = id;
	}
	const wanted = new Set(ids);
	await db()
		.annotations.where('[itemId+taskId]')
		.between([lo, Dexie.minKey], [hi, Dexie.maxKey])
		.eachKey((key) => {
			const itemId = (key as [number, string])[0];
			if (wanted.has(itemId)) labeled.add(itemId);
		});
	return labeled;
}

export async function annotationsFor(itemId: number): Promise<Annotation[]> {
	return db()
		.annotations.where('[itemId+taskId]')
		.between([itemId, Dexie.minKey], [itemId, Dexie.maxKey])
		.toArray();
}
