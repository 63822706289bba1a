import { annotationClassIds } from '../labels/annotationClasses';
import type { LabelTask } from '../schemas/project';
import { seededHash } from '../seededHash';
import type {
	ExportFilters,
	ExportItem,
	ExportLabel,
	ExportRecord,
	ExportSplit,
	SplitRatios
} from './snapshot';

/**
 * Which labelled items an export holds and in which split: the filters, then a seeded,
 * stratified split. Pure, so the export worker, the command line and the preview counts on
 * the export page agree to the item.
 */

export type LabelledItem = {
	item: ExportItem;
	label: ExportLabel;
	/** A split stored on the item (imported with it); used when `keepItemSplits`. */
	storedSplit: ExportSplit | null;
};

export function passesFilters(label: ExportLabel, filters: ExportFilters): boolean {
	if (!filters.statuses.includes(label.status)) return false;
	if (filters.reviewers.length > 0 && !filters.reviewers.includes(label.reviewer ?? '')) {
		return false;
	}
	if (filters.from !== null && label.updatedAt < filters.from) return false;
	if (filters.to !== null && label.updatedAt > filters.to) return false;
	// A label no model scored (typed by a person, or imported) passes the confidence filters:
	// they are about trusting models, and there is nothing to distrust.
	if (filters.minConfidence !== null && label.score !== null && label.score < filters.minConfidence)
		return false;
	if (filters.levels.length > 0 && label.level !== null && !filters.levels.includes(label.level))
		return false;
	if (filters.classIds.length > 0) {
		const ids = annotationClassIds(label.value);
		if (!ids.some((id) => filters.classIds.includes(id))) return false;
	}
	return true;
}

/**
 * The class a split is stratified on: the item's first class in task order (single-label:
 * its class; boxes and spans: the first class present), or '' for an item with none.
 */
export function stratumOf(label: ExportLabel, task: LabelTask): string {
	const ids = new Set(annotationClassIds(label.value));
	for (const c of task.classes) if (ids.has(c.id)) return c.id;
	return '';
}

/**
 * Assigns splits: each stratum (class) in a seeded order, cut so that the running totals over
 * all strata so far stay as close to the ratios as whole items allow. Every class is split in
 * about the same proportions, small classes included (their rounding is carried to the next
 * class instead of always falling the same way), and the same items and seed always give the
 * same splits.
 *
 * Example: 10 items of one class at 0.8/0.1/0.1 → 8 train, 1 validation, 1 test; three
 * classes of 6 → 14 / 2 / 2 in all.
 */
export function assignSplits(
	items: readonly LabelledItem[],
	task: LabelTask,
	ratios: SplitRatios,
	seed: number,
	keepItemSplits = false
): Map<number, ExportSplit> {
	const out = new Map<number, ExportSplit>();
	const strata = new Map<string, LabelledItem[]>();
	for (const entry of items) {
		if (keepItemSplits && entry.storedSplit) {
			out.set(entry.item.id, entry.storedSplit);
			continue;
		}
		const key = stratumOf(entry.label, task);
		const list = strata.get(key);
		if (list) list.push(entry);
		else strata.set(key, [entry]);
	}
	// Strata in task class order (items with no class last), so the carry is deterministic.
	const order = new Map(task.classes.map((c, i) => [c.id, i]));
	const keys = [...strata.keys()].sort(
		(a, b) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity)
	);
	let seen = 0;
	let validationSoFar = 0;
	let testSoFar = 0;
	for (const key of keys) {
		const list = strata.get(key) as LabelledItem[];
		seen += list.length;
		const validation = Math.max(0, Math.round(seen * ratios.validation) - validationSoFar);
		const test = Math.min(
			list.length - Math.min(validation, list.length),
			Math.max(0, Math.round(seen * ratios.test) - testSoFar)
		);
		const validationHere = Math.min(validation, list.length - test);
		validationSoFar += validationHere;
		testSoFar += test;
		const train = list.length - validationHere - test;
		list
			.map((e) => ({ id: e.item.id, key: seededHash(seed, e.item.id) }))
			.sort((a, b) => a.key - b.key || a.id - b.id)
			.forEach(({ id }, i) => {
				out.set(id, i < train ? 'train' : i < train + validationHere ? 'validation' : 'test');
			});
	}
	return out;
}

export type Selection = {
	records: ExportRecord[];
	counts: {
		considered: number;
		kept: number;
		perSplit: Record<ExportSplit, number>;
		/** Items per class id (an item counts once per class it carries). */
		perClass: Record<string, number>;
	};
};

/** Filters, splits and orders (ascending item id) the labelled items of one task. */
export function selectRecords(
	items: readonly LabelledItem[],
	task: LabelTask,
	options: {
		filters: ExportFilters;
		split: SplitRatios;
		seed: number;
		keepItemSplits?: boolean;
	}
): Selection {
	const kept = items.filter((e) => passesFilters(e.label, options.filters));
	const splits = assignSplits(kept, task, options.split, options.seed, options.keepItemSplits);
	const perSplit: Record<ExportSplit, number> = { train: 0, validation: 0, test: 0 };
	const perClass: Record<string, number> = {};
	const records: ExportRecord[] = kept
		.map((e) => ({ item: e.item, label: e.label, split: splits.get(e.item.id) ?? 'train' }))
		.sort((a, b) => a.item.id - b.item.id);
	for (const r of records) {
		perSplit[r.split]++;
		for (const id of new Set(annotationClassIds(r.label.value)))
			perClass[id] = (perClass[id] ?? 0) + 1;
	}
	return {
		records,
		counts: { considered: items.length, kept: records.length, perSplit, perClass }
	};
}
