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
		const rows = await collection.toArray();
		rows.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
		ids = rows.map((r) => r.id as number);
	} else {
		ids = (await collection.primaryKeys()).sort((a, b) => a - b);
		if (sort === 'newest') ids.reverse();
	}

	if (filter.label === 'any' && !filter.classRef) return ids;
	const annotations = await db().annotations.where('projectId').equals(projectId).toArray();
	const labeled = new Set(annotations.map((a) => a.itemId));
	if (filter.label === 'unlabeled') return ids.filter((id) => !labeled.has(id));
	const matching = new Set(
		annotations.filter((a) => annotationMatches(a, filter)).map((a) => a.itemId)
	);
	return ids.filter((id) => matching.has(id));
}

export async function annotationsFor(itemId: number): Promise<Annotation[]> {
	return db()
		.annotations.where('[itemId+taskId]')
		.between([itemId, Dexie.minKey], [itemId, Dexie.maxKey])
		.toArray();
}
