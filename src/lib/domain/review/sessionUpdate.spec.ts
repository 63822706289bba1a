import { describe, expect, it } from 'vitest';
import type { Annotation } from '../schemas/annotation';
import { countQueue, type QueueEntry } from './queue';
import { adjustCounts, entryAfter } from './sessionUpdate';

const entry = (itemId: number, over: Partial<QueueEntry> = {}): QueueEntry => ({
	itemId,
	score: 0.5,
	level: 'uncertain',
	needsReview: true,
	modelVersionId: 'v1',
	status: 'pending',
	reviewer: null,
	classIds: ['cat'],
	...over
});

const approved: Annotation = {
	projectId: 1,
	itemId: 2,
	taskId: 't',
	value: { type: 'classes', classIds: ['dog'] },
	source: 'human',
	status: 'corrected',
	reviewer: 'ana',
	note: null,
	updatedAt: 1
};

describe('entryAfter', () => {
	it('takes status, reviewer and classes from the annotation, keeps the prediction', () => {
		expect(entryAfter(entry(2), approved)).toEqual(
			entry(2, { status: 'corrected', reviewer: 'ana', classIds: ['dog'] })
		);
		expect(entryAfter(entry(2), null)).toMatchObject({ status: null, classIds: [], score: 0.5 });
	});
});

describe('adjustCounts', () => {
	it('equals counting the queue again after one entry changed', () => {
		const entries = [entry(1), entry(2), entry(3, { level: 'high', needsReview: false })];
		const after = entryAfter(entries[1] as QueueEntry, approved);
		const expected = countQueue([entries[0] as QueueEntry, after, entries[2] as QueueEntry]);
		expect(adjustCounts(countQueue(entries), entries[1] as QueueEntry, after)).toEqual(expected);
	});
});
