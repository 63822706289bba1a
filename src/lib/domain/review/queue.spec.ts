import { describe, expect, it } from 'vitest';
import {
	countQueue,
	DEFAULT_QUEUE_FILTER,
	matches,
	sortQueue,
	type QueueEntry,
	type QueueFilter
} from './queue';

const entry = (itemId: number, extra: Partial<QueueEntry> = {}): QueueEntry => ({
	itemId,
	score: 0.5,
	level: 'uncertain',
	needsReview: true,
	modelVersionId: 'v1',
	status: 'pending',
	reviewer: null,
	classIds: ['cat'],
	...extra
});

const entries: QueueEntry[] = [
	entry(1, { score: 0.97, level: 'high', needsReview: false }),
	entry(2, { score: 0.62, level: 'low' }),
	entry(3, { score: null, level: null, needsReview: false, status: null, classIds: [] }),
	entry(4, { score: 0.4, status: 'approved', reviewer: 'ana' }),
	entry(5, { score: 0.85, level: 'medium', status: 'skipped', modelVersionId: 'v2' }),
	entry(6, { score: 0.3, status: 'flagged', reviewer: 'bo', classIds: ['dog'] })
];

const ids = (list: QueueEntry[]) => list.map((e) => e.itemId);

describe('review queue', () => {
	it('needs review: open items a model flagged or no model saw', () => {
		const kept = entries.filter((e) => matches(e, DEFAULT_QUEUE_FILTER));
		expect(ids(kept)).toEqual([2, 3, 5]);
	});

	it('filters by level, class, model version, status and reviewer', () => {
		const all: QueueFilter = { ...DEFAULT_QUEUE_FILTER, view: 'all' };
		const pick = (f: Partial<QueueFilter>) =>
			ids(entries.filter((e) => matches(e, { ...all, ...f })));
		expect(pick({ view: 'high' })).toEqual([1]);
		expect(pick({ level: 'low' })).toEqual([2]);
		expect(pick({ classId: 'dog' })).toEqual([6]);
		expect(pick({ modelVersionId: 'v2' })).toEqual([5]);
		expect(pick({ status: 'flagged' })).toEqual([6]);
		expect(pick({ status: 'pending' })).toEqual([1, 2, 3]);
		expect(pick({ status: 'unreviewed' })).toEqual([1, 2, 3]);
		expect(pick({ reviewer: 'ana' })).toEqual([4]);
	});

	it('sorts most uncertain first (unpredicted first), newest, or a seeded shuffle', () => {
		expect(ids(sortQueue(entries, 'uncertain'))).toEqual([3, 6, 4, 2, 5, 1]);
		expect(ids(sortQueue(entries, 'newest'))).toEqual([6, 5, 4, 3, 2, 1]);
		const a = ids(sortQueue(entries, 'random', 7));
		expect(ids(sortQueue(entries, 'random', 7))).toEqual(a);
		expect([...a].sort()).toEqual([1, 2, 3, 4, 5, 6]);
		expect(ids(sortQueue(entries, 'random', 8))).not.toEqual(a);
	});

	it('counts every option in one pass', () => {
		const counts = countQueue(entries);
		expect(counts.views).toEqual({ 'needs-review': 3, all: 6, high: 1 });
		expect(counts.levels).toEqual({ high: 1, medium: 1, low: 1, uncertain: 2, none: 1 });
		expect(counts.statuses).toMatchObject({
			pending: 3,
			approved: 1,
			skipped: 1,
			flagged: 1,
			unreviewed: 3
		});
		expect(counts.reviewers).toEqual({ ana: 1, bo: 1 });
		expect(counts.classes).toEqual({ cat: 4, dog: 1 });
		expect(counts.modelVersions).toEqual({ v1: 5, v2: 1 });
	});
});
