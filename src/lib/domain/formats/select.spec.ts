import { describe, expect, it } from 'vitest';
import type { LabelTask } from '../schemas/project';
import { assignSplits, passesFilters, selectRecords, type LabelledItem } from './select';
import { DEFAULT_FILTERS, type ExportLabel } from './snapshot';

const task: LabelTask = {
	id: 't',
	name: 'Animal',
	kind: 'image-classification',
	multiLabel: false,
	threshold: 0.8,
	productionModelVersionId: null,
	classes: ['cat', 'dog', 'fox'].map((name) => ({
		id: `c-${name}`,
		name,
		color: '#112233',
		key: null
	}))
};

function label(classId: string, over: Partial<ExportLabel> = {}): ExportLabel {
	return {
		value: { type: 'classes', classIds: [classId] },
		status: 'approved',
		source: 'human',
		reviewer: 'ana',
		updatedAt: 1000,
		score: null,
		level: null,
		...over
	};
}

function items(perClass: Record<string, number>): LabelledItem[] {
	const out: LabelledItem[] = [];
	let id = 1;
	for (const [classId, n] of Object.entries(perClass))
		for (let i = 0; i < n; i++)
			out.push({
				item: {
					id: id++,
					name: `${id}.png`,
					kind: 'image',
					mime: 'image/png',
					sha256: '0'.repeat(64),
					size: 1,
					width: 1,
					height: 1,
					text: null,
					createdAt: 0
				},
				label: label(classId),
				storedSplit: null
			});
	return out;
}

const ratios = { train: 0.8, validation: 0.1, test: 0.1 };

describe('assignSplits', () => {
	it('splits every class in the given proportions', () => {
		const all = items({ 'c-cat': 100, 'c-dog': 50, 'c-fox': 10 });
		const splits = assignSplits(all, task, ratios, 42);
		const count = (classId: string, split: string) =>
			all.filter(
				(e) =>
					e.label.value.type === 'classes' &&
					e.label.value.classIds[0] === classId &&
					splits.get(e.item.id) === split
			).length;
		expect([count('c-cat', 'train'), count('c-cat', 'validation'), count('c-cat', 'test')]).toEqual(
			[80, 10, 10]
		);
		expect([count('c-dog', 'train'), count('c-dog', 'validation'), count('c-dog', 'test')]).toEqual(
			[40, 5, 5]
		);
		expect([count('c-fox', 'train'), count('c-fox', 'validation'), count('c-fox', 'test')]).toEqual(
			[8, 1, 1]
		);
	});

	it('gives the same splits for the same seed and other splits for another seed', () => {
		const all = items({ 'c-cat': 200 });
		const a = [...assignSplits(all, task, ratios, 7)];
		const b = [...assignSplits([...all].reverse(), task, ratios, 7)].sort((x, y) => x[0] - y[0]);
		expect(b).toEqual([...a].sort((x, y) => x[0] - y[0]));
		const c = assignSplits(all, task, ratios, 8);
		expect([...c].filter(([id, s]) => new Map(a).get(id) !== s).length).toBeGreaterThan(10);
	});

	it('keeps stored splits when asked', () => {
		const all = items({ 'c-cat': 3 }).map((e) => ({ ...e, storedSplit: 'test' as const }));
		expect([...assignSplits(all, task, ratios, 1, true).values()]).toEqual([
			'test',
			'test',
			'test'
		]);
		expect([...assignSplits(all, task, ratios, 1, false).values()]).not.toEqual([
			'test',
			'test',
			'test'
		]);
	});

	it('carries rounding across small classes so no split stays empty', () => {
		const all = items({ 'c-cat': 6, 'c-dog': 6, 'c-fox': 6 });
		const counts = { train: 0, validation: 0, test: 0 };
		for (const split of assignSplits(all, task, ratios, 42).values()) counts[split]++;
		expect(counts).toEqual({ train: 14, validation: 2, test: 2 });
	});

	it('puts everything in train at 1/0/0', () => {
		const all = items({ 'c-cat': 9, 'c-dog': 1 });
		expect(
			new Set(assignSplits(all, task, { train: 1, validation: 0, test: 0 }, 3).values())
		).toEqual(new Set(['train']));
	});
});

describe('passesFilters', () => {
	it('keeps approved and corrected by default', () => {
		expect(passesFilters(label('c-cat'), DEFAULT_FILTERS)).toBe(true);
		expect(passesFilters(label('c-cat', { status: 'corrected' }), DEFAULT_FILTERS)).toBe(true);
		for (const status of ['pending', 'rejected', 'skipped', 'flagged'] as const)
			expect(passesFilters(label('c-cat', { status }), DEFAULT_FILTERS)).toBe(false);
	});

	it('filters by class, reviewer, date range, minimum confidence and level', () => {
		const f = DEFAULT_FILTERS;
		expect(passesFilters(label('c-cat'), { ...f, classIds: ['c-dog'] })).toBe(false);
		expect(passesFilters(label('c-cat'), { ...f, classIds: ['c-dog', 'c-cat'] })).toBe(true);
		expect(passesFilters(label('c-cat'), { ...f, reviewers: ['bo'] })).toBe(false);
		expect(passesFilters(label('c-cat', { reviewer: 'bo' }), { ...f, reviewers: ['bo'] })).toBe(
			true
		);
		expect(passesFilters(label('c-cat'), { ...f, from: 1001 })).toBe(false);
		expect(passesFilters(label('c-cat'), { ...f, to: 999 })).toBe(false);
		expect(passesFilters(label('c-cat'), { ...f, from: 1000, to: 1000 })).toBe(true);
		expect(
			passesFilters(label('c-cat', { score: 0.7, level: 'low' }), { ...f, minConfidence: 0.8 })
		).toBe(false);
		expect(
			passesFilters(label('c-cat', { score: 0.9, level: 'medium' }), { ...f, minConfidence: 0.8 })
		).toBe(true);
		// Unscored (human or imported) labels pass confidence filters.
		expect(passesFilters(label('c-cat'), { ...f, minConfidence: 0.99, levels: ['high'] })).toBe(
			true
		);
		expect(
			passesFilters(label('c-cat', { score: 0.9, level: 'medium' }), { ...f, levels: ['high'] })
		).toBe(false);
	});
});

describe('selectRecords', () => {
	it('returns kept records in item id order with counts per split and class', () => {
		const all = items({ 'c-cat': 10, 'c-dog': 10 });
		all[3] = { ...all[3]!, label: label('c-cat', { status: 'pending' }) };
		const { records, counts } = selectRecords(all, task, {
			filters: DEFAULT_FILTERS,
			split: ratios,
			seed: 1
		});
		expect(records.map((r) => r.item.id)).toEqual(
			all.filter((_, i) => i !== 3).map((e) => e.item.id)
		);
		expect(counts.kept).toBe(19);
		expect(counts.considered).toBe(20);
		expect(counts.perClass).toEqual({ 'c-cat': 9, 'c-dog': 10 });
		expect(counts.perSplit.train + counts.perSplit.validation + counts.perSplit.test).toBe(19);
	});
});
