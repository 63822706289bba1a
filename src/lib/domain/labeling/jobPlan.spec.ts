import { describe, expect, it } from 'vitest';
import { addBatch, emptySummary, estimateSeconds, nextBatch } from './jobPlan';
import { JobSummary } from './schemas';

describe('nextBatch', () => {
	const ids = [1, 3, 5, 7, 9];

	it('starts from the first id without a cursor', () => {
		expect(nextBatch(ids, null, 2)).toEqual({ ids: [1, 3], remainingAfter: 3 });
	});

	it('resumes right after the cursor, whether or not the cursor is in the list', () => {
		expect(nextBatch(ids, 3, 2)).toEqual({ ids: [5, 7], remainingAfter: 1 });
		expect(nextBatch(ids, 4, 2)).toEqual({ ids: [5, 7], remainingAfter: 1 });
		expect(nextBatch(ids, 7, 2)).toEqual({ ids: [9], remainingAfter: 0 });
		expect(nextBatch(ids, 0, 10)).toEqual({ ids, remainingAfter: 0 });
	});

	it('is empty once past the last id', () => {
		expect(nextBatch(ids, 9, 2)).toEqual({ ids: [], remainingAfter: 0 });
		expect(nextBatch([], null, 2)).toEqual({ ids: [], remainingAfter: 0 });
	});

	it('walks every id exactly once in batches', () => {
		const all = Array.from({ length: 103 }, (_, i) => i * 2 + 1);
		const seen: number[] = [];
		let cursor: number | null = null;
		for (;;) {
			const b = nextBatch(all, cursor, 10);
			if (b.ids.length === 0) break;
			seen.push(...b.ids);
			cursor = b.ids[b.ids.length - 1] as number;
		}
		expect(seen).toEqual(all);
	});

	it('rejects a batch size that is not a positive whole number', () => {
		expect(() => nextBatch(ids, null, 0)).toThrow(RangeError);
		expect(() => nextBatch(ids, null, 1.5)).toThrow(RangeError);
	});
});

describe('estimateSeconds', () => {
	it('adds per-item time and per-batch overhead, rounded up', () => {
		// 1000 × 12 ms + ⌈1000 / 32⌉ = 32 batches × 50 ms = 13 600 ms → 14 s
		expect(estimateSeconds(1000, 12, 32, 50)).toBe(14);
		expect(estimateSeconds(1000, 12, 32)).toBe(12);
		expect(estimateSeconds(1, 1, 8)).toBe(1);
		expect(estimateSeconds(0, 12, 32, 50)).toBe(0);
		expect(() => estimateSeconds(10, 1, 0)).toThrow(RangeError);
	});
});

describe('job summary', () => {
	it('folds batches and computes items/s over running time', () => {
		let s = emptySummary();
		s = addBatch(s, {
			items: 2,
			elapsedMs: 400,
			outcomes: [
				{ ok: true, level: 'high', needsReview: false, autoApproved: true },
				{ ok: true, level: 'low', needsReview: true, autoApproved: false },
				{ ok: true, level: 'high', needsReview: false, autoApproved: false },
				{ ok: false }
			]
		});
		s = addBatch(s, {
			items: 1,
			elapsedMs: 100,
			outcomes: [{ ok: true, level: 'medium', needsReview: false, autoApproved: false }]
		});
		expect(s).toEqual({
			processed: 3,
			highConfidence: 2,
			needsReview: 2,
			autoApproved: 1,
			failed: 1,
			durationMs: 500,
			itemsPerSecond: 6
		});
		expect(JobSummary.parse(s)).toEqual(s);
	});

	it('reports 0 items/s before any time has run', () => {
		expect(addBatch(emptySummary(), { items: 0, elapsedMs: 0, outcomes: [] }).itemsPerSecond).toBe(
			0
		);
	});
});
