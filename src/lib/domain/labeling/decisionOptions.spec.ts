import { describe, expect, it } from 'vitest';
import { LabelTask } from '../schemas/project';
import { decisionOptions } from './decisionOptions';
import { classes, task } from './fixtures';
import { mapToTask } from './mapToTask';
import { reviewDecision } from './reviewDecision';

/** A multi-label task whose classes carry the given thresholds (undefined: none stored). */
function pets(thresholds: Record<string, number | null | undefined>): LabelTask {
	const t = task({
		name: 'Pets',
		multiLabel: true,
		classNames: Object.keys(thresholds)
	});
	return {
		...t,
		classes: t.classes.map((c) => {
			const threshold = thresholds[c.id];
			return threshold === undefined ? c : { ...c, threshold };
		})
	};
}

describe('decisionOptions', () => {
	it('gives the thresholds of the classes that set one, by class id', () => {
		expect(decisionOptions(pets({ cat: 0.9, dog: null, bird: undefined, fish: 0 }))).toEqual({
			perClassThresholds: { cat: 0.9, fish: 0 }
		});
	});

	it('gives nothing when no class sets a threshold', () => {
		expect(decisionOptions(pets({ cat: null, dog: undefined }))).toEqual({});
		expect(decisionOptions(pets({}))).toEqual({});
	});

	it('ignores class thresholds on a single-label task', () => {
		expect(decisionOptions({ ...pets({ cat: 0.9 }), multiLabel: false })).toEqual({});
	});
});

describe('per-class thresholds end to end', () => {
	const opts = { modelName: 'pets-v1' };

	it('a class under its own threshold is not decided, and the item is flagged', () => {
		const t = pets({ cat: 0.9, dog: undefined });
		const p = classes(['cat', 0.85], ['dog', 0.95]);
		const options = decisionOptions(t);

		expect(mapToTask(p, t, options)).toEqual({
			ok: true,
			value: { type: 'classes', classIds: ['dog'] },
			unmatchedLabels: []
		});
		const d = reviewDecision(p, t, { ...opts, ...options });
		expect(d.needsReview).toBe(true);
		expect(d.reviewReason).toBe(
			'unsure of cat for Pets: 0.85 against its class threshold 0.90 (pets-v1)'
		);

		// Without the class threshold the task threshold (0.8) decides cat too, unflagged.
		expect(mapToTask(p, t)).toMatchObject({ value: { classIds: ['cat', 'dog'] } });
		expect(reviewDecision(p, t, opts).needsReview).toBe(false);
	});

	it('a class far below its own threshold is a sure no, not flagged', () => {
		const t = pets({ cat: 0.9, dog: undefined });
		const p = classes(['cat', 0.04], ['dog', 0.97]);
		const d = reviewDecision(p, t, { ...opts, ...decisionOptions(t) });
		expect(d.needsReview).toBe(false);
		expect(mapToTask(p, t, decisionOptions(t))).toMatchObject({ value: { classIds: ['dog'] } });
	});

	it('a lower class threshold lets a class through the task threshold would not', () => {
		const t = pets({ cat: 0.6, dog: undefined });
		const p = classes(['cat', 0.7], ['dog', 0.1]);
		expect(mapToTask(p, t, decisionOptions(t))).toMatchObject({
			value: { classIds: ['cat'] }
		});
		expect(mapToTask(p, t)).toMatchObject({ value: { classIds: [] } });
	});

	it('stored classes without a threshold still parse, and a bad one is refused', () => {
		const stored = structuredClone(task({ multiLabel: true }));
		expect(LabelTask.parse(stored).classes[0]).not.toHaveProperty('threshold');
		const withNull = { ...stored, classes: stored.classes.map((c) => ({ ...c, threshold: null })) };
		expect(LabelTask.parse(withNull).classes[0]?.threshold).toBeNull();
		const bad = { ...stored, classes: stored.classes.map((c) => ({ ...c, threshold: 1.5 })) };
		expect(LabelTask.safeParse(bad).success).toBe(false);
	});
});
