import { describe, expect, it } from 'vitest';
import type { AnnotationState, ReviewEvent } from '../schemas';
import { createTask } from '../labels/taskEditing';
import { decide, emptyValue, ReviewError, undoTarget } from './reviewActions';

const pets = createTask({ name: 'Pets', kind: 'image-classification', multiLabel: false }, [
	'cat',
	'dog'
]);
const [cat, dog] = pets.classes.map((c) => c.id) as [string, string];
const objects = createTask({ name: 'Objects', kind: 'object-detection', multiLabel: false }, [
	'car'
]);

const modelSaysCat: AnnotationState = {
	value: { type: 'classes', classIds: [cat] },
	status: 'pending',
	source: 'model',
	reviewer: null,
	note: null
};

describe('decide', () => {
	it('approving keeps the value and makes it a human decision', () => {
		const d = decide(modelSaysCat, pets, { action: 'approve', reviewer: 'ana' });
		expect(d.action).toBe('approve');
		expect(d.after).toEqual({
			...modelSaysCat,
			status: 'approved',
			source: 'human',
			reviewer: 'ana'
		});
	});

	it('approving a changed value is a correction', () => {
		const value = { type: 'classes' as const, classIds: [dog] };
		const d = decide(modelSaysCat, pets, { action: 'approve', reviewer: 'ana', value });
		expect(d.action).toBe('correct');
		expect(d.after.status).toBe('corrected');
		expect(d.after.value).toEqual(value);
		expect(
			decide(modelSaysCat, pets, { action: 'correct', reviewer: 'ana', value }).after.status
		).toBe('corrected');
	});

	it('a classification with no label has nothing to approve; an empty box list can be approved', () => {
		expect(() => decide(null, pets, { action: 'approve', reviewer: 'ana' })).toThrow(ReviewError);
		const none = decide(null, objects, { action: 'approve', reviewer: 'ana' });
		expect(none.after.value).toEqual({ type: 'boxes', boxes: [] });
		expect(none.after.status).toBe('approved');
	});

	it('reject, skip and flag keep the value; a flag keeps its trimmed note', () => {
		expect(decide(modelSaysCat, pets, { action: 'reject', reviewer: 'b' }).after).toMatchObject({
			status: 'rejected',
			value: modelSaysCat.value
		});
		expect(decide(null, pets, { action: 'skip', reviewer: 'b' }).after).toMatchObject({
			status: 'skipped',
			value: emptyValue(pets)
		});
		expect(
			decide(modelSaysCat, pets, { action: 'flag', reviewer: 'b', note: '  fox?  ' }).after
		).toMatchObject({ status: 'flagged', note: 'fox?' });
	});

	it('refuses a value of another kind and a correction without a value', () => {
		expect(() =>
			decide(modelSaysCat, pets, {
				action: 'correct',
				reviewer: 'a',
				value: { type: 'boxes', boxes: [] }
			})
		).toThrow('Pets takes classes, not boxes.');
		expect(() => decide(modelSaysCat, pets, { action: 'correct', reviewer: 'a' })).toThrow(
			ReviewError
		);
	});
});

describe('undoTarget', () => {
	const event = (seq: number, action: ReviewEvent['action'], undoes: number | null = null) =>
		({ seq, action, undoes }) as ReviewEvent;

	it('walks back past undone events, one level per undo', () => {
		expect(undoTarget([event(3, 'reject'), event(2, 'approve')])?.seq).toBe(3);
		expect(undoTarget([event(4, 'undo', 3), event(3, 'reject'), event(2, 'approve')])?.seq).toBe(2);
		expect(
			undoTarget([
				event(5, 'undo', 2),
				event(4, 'undo', 3),
				event(3, 'reject'),
				event(2, 'approve')
			])
		).toBeNull();
	});
});
