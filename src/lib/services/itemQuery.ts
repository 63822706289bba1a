import Dexie from 'dexie';
import { z } from 'zod';
import { AnnotationStatus, ItemKind, type Annotation, type Item } from '$lib/domain/schemas';
import { annotationUsesClass } from '$lib/domain/labels/annotationClasses';
import {
	CurrentPredictions,
	matchesConfidence,
	type ConfidenceFilter,
	type PredictionFacts
} from '$lib/domain/labeling/itemConfidence';
import { db } from '$lib/db/database';
import { eachItemKey } from '$lib/db/itemKeys';
import { eachProjectPrediction, predictedAmong } from '$lib/db/predictions';

export const LabelFilterSchema = z.enum([
	'any',
	'unlabeled',
	'labeled',
	...AnnotationStatus.options
]);
export type LabelFilter = z.infer<typeof LabelFilterSchema>;
export type ItemSort = 'oldest' | 'newest' | 'name';

export const ConfidenceFilterSchema = z.enum([
	'any',
	'high',
	'medium',
	'low',
	'uncertain',
	'failed',
	'needs-review',
	'unpredicted'
]) satisfies z.ZodType<ConfidenceFilter>;

/**
 * What the item browser filters on. Every field has a default, so a filter saved before a
 * field existed (say, in a link) still decodes.
 */
export const ItemFilterSchema = z.object({
	kind: z.union([ItemKind, z.literal('any')]).default('any'),
	label: LabelFilterSchema.default('any'),
	/** `taskId:classId`, or null for every class. */
	classRef: z.string().nullable().default(null),
	search: z.string().default(''),
	batchId: z.number().int().positive().nullable().default(null),
	/** Level filters match the item's badge (its worst current level, or 'failed'). */
	confidence: ConfidenceFilterSchema.default('any')
});
export type ItemFilter = z.infer<typeof ItemFilterSchema>;

export const NO_FILTER: ItemFilter = {
	kind: 'any',
	label: 'any',
	classRef: null,
	search: '',
	batchId: null,
	confidence: 'any'
};

/**
 * A filter as a URL parameter value (JSON; pass it through `encodeURIComponent` or
 * `URLSearchParams`).
 *
 * Example: `decodeFilter(encodeFilter(NO_FILTER))` equals `NO_FILTER`
 */
export function encodeFilter(filter: ItemFilter): string {
	return JSON.stringify(ItemFilterSchema.parse(filter));
}

/**
 * The filter in a URL parameter value, or null when there is none or it is not a valid
 * filter.
 *
 * Example: `decodeFilter(new URL(location.href).searchParams.get('filter')) ?? NO_FILTER`
 */
export function decodeFilter(param: string | null): ItemFilter | null {
	if (param === null || param === '') return null;
	let raw: unknown;
	try {
		raw = JSON.parse(param);
	} catch {
		return null;
	}
	const parsed = ItemFilterSchema.safeParse(raw);
	return parsed.success ? parsed.data : null;
}

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

	ids = await byLabel(projectId, ids, filter);
	return filter.confidence === 'any' ? ids : byConfidence(projectId, ids, filter.confidence);
}

/** The ids (in order) that pass the label status and class parts of the filter. */
async function byLabel(projectId: number, ids: number[], filter: ItemFilter): Promise<number[]> {
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

/**
 * The ids (in order) whose confidence passes the filter. 'unpredicted' reads index keys only;
 * the others stream the project's predictions once, keeping just the current one per
 * item × task of the items still in the running (without outputs).
 */
async function byConfidence(
	projectId: number,
	ids: number[],
	filter: Exclude<ConfidenceFilter, 'any'>
): Promise<number[]> {
	if (ids.length === 0) return ids;
	if (filter === 'unpredicted') {
		const predicted = await predictedAmong(ids);
		return ids.filter((id) => !predicted.has(id));
	}
	const wanted = new Set(ids);
	const current = new CurrentPredictions();
	await eachProjectPrediction(projectId, (p) => {
		if (!wanted.has(p.itemId)) return;
		const facts: PredictionFacts = {
			id: p.id,
			itemId: p.itemId,
			taskId: p.taskId,
			modelVersionId: p.modelVersionId,
			level: p.level,
			score: p.score,
			needsReview: p.needsReview,
			reviewReason: null,
			failed: p.failed,
			createdAt: p.createdAt
		};
		current.add(facts);
	});
	return ids.filter((id) => matchesConfidence(current.summary(id), filter));
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
	await eachItemKey('annotations', ids, (itemId) => labeled.add(itemId));
	return labeled;
}

export async function annotationsFor(itemId: number): Promise<Annotation[]> {
	return db()
		.annotations.where('[itemId+taskId]')
		.between([itemId, Dexie.minKey], [itemId, Dexie.maxKey])
		.toArray();
}
