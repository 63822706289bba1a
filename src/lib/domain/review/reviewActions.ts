import type { Annotation, AnnotationValue } from '../schemas/annotation';
import type { LabelTask, TaskKind } from '../schemas/project';
import type { AnnotationState, DecisionAction, ReviewEvent } from '../schemas/review';

/**
 * What a review decision does to an item's annotation, and which event an undo reverts.
 * Pure: the review service runs these inside the transaction that writes the annotation
 * and its event.
 */

export type ReviewErrorCode = 'nothing-to-approve' | 'no-value' | 'wrong-kind' | 'changed-since';

export class ReviewError extends Error {
	constructor(
		readonly code: ReviewErrorCode,
		message: string
	) {
		super(message);
		this.name = 'ReviewError';
	}
}

const VALUE_TYPE: Record<TaskKind, AnnotationValue['type']> = {
	'image-classification': 'classes',
	'text-classification': 'classes',
	'object-detection': 'boxes',
	'named-entities': 'spans',
	relations: 'spans'
};

/** The value a task holds when nothing is labelled: no class, no box, no span. */
export function emptyValue(task: Pick<LabelTask, 'kind'>): AnnotationValue {
	switch (VALUE_TYPE[task.kind]) {
		case 'classes':
			return { type: 'classes', classIds: [] };
		case 'boxes':
			return { type: 'boxes', boxes: [] };
		case 'spans':
			return { type: 'spans', spans: [], relations: [] };
	}
}

export function stateOf(annotation: Annotation | undefined | null): AnnotationState | null {
	if (!annotation) return null;
	return {
		value: annotation.value,
		status: annotation.status,
		source: annotation.source,
		reviewer: annotation.reviewer,
		note: annotation.note ?? null
	};
}

/** Deep equality of two values, whatever order their fields were written in. */
export function sameValue(a: AnnotationValue | undefined, b: AnnotationValue | undefined): boolean {
	return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
	return JSON.stringify(value, (_key, v: unknown) =>
		v && typeof v === 'object' && !Array.isArray(v)
			? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : 1)))
			: v
	);
}

export function sameState(a: AnnotationState | null, b: AnnotationState | null): boolean {
	if (a === null || b === null) return a === b;
	return (
		a.status === b.status &&
		a.source === b.source &&
		a.reviewer === b.reviewer &&
		a.note === b.note &&
		sameValue(a.value, b.value)
	);
}

export interface DecisionInput {
	action: DecisionAction;
	reviewer: string;
	/** The value the reviewer settled on (a corrected class, edited boxes or spans). */
	value?: AnnotationValue;
	/** A flag's note. */
	note?: string | null;
}

export interface Decision {
	/** `approve` with a changed value is recorded as `correct`. */
	action: DecisionAction;
	after: AnnotationState;
}

/**
 * The annotation after a decision. Every decision is human: source becomes 'human', so a
 * later model run never overwrites it.
 *
 * - approve: the given value, else the current one. A classification with no label at all
 *   cannot be approved (there is nothing to approve); an empty box or span list can ("no
 *   objects here"). A value that differs from the current one makes it a correction.
 * - correct: needs a value. reject, skip and flag keep the value there is (rejecting the
 *   model's label keeps it, so learning can use the negative).
 *
 * Example: `decide(modelSaysCat, pets, { action: 'approve', reviewer: 'ana' }).after.status`
 * → 'approved'.
 */
export function decide(
	current: AnnotationState | null,
	task: Pick<LabelTask, 'kind' | 'name'>,
	input: DecisionInput
): Decision {
	const expected = VALUE_TYPE[task.kind];
	if (input.value && input.value.type !== expected) {
		throw new ReviewError('wrong-kind', `${task.name} takes ${expected}, not ${input.value.type}.`);
	}
	const base = { source: 'human' as const, reviewer: input.reviewer, note: null };
	const kept = current?.value ?? emptyValue(task);
	switch (input.action) {
		case 'approve': {
			const value = input.value ?? current?.value;
			if (!value && expected === 'classes') {
				throw new ReviewError(
					'nothing-to-approve',
					`Nothing to approve: this item has no ${task.name} label yet. Pick a class first.`
				);
			}
			const changed =
				current !== null && input.value !== undefined && !sameValue(input.value, current.value);
			const status = changed ? 'corrected' : 'approved';
			return {
				action: changed ? 'correct' : 'approve',
				after: { ...base, value: value ?? emptyValue(task), status }
			};
		}
		case 'correct':
			if (!input.value) {
				throw new ReviewError('no-value', `A correction needs the new ${task.name} label.`);
			}
			return { action: 'correct', after: { ...base, value: input.value, status: 'corrected' } };
		case 'reject':
			return { action: 'reject', after: { ...base, value: kept, status: 'rejected' } };
		case 'skip':
			return { action: 'skip', after: { ...base, value: kept, status: 'skipped' } };
		case 'flag':
			return {
				action: 'flag',
				after: { ...base, value: kept, status: 'flagged', note: input.note?.trim() || null }
			};
	}
}

/**
 * The event an undo reverts: the newest of the reviewer's events (given newest first) that is
 * not an undo and not undone already. Repeated undos walk further back.
 *
 * Example: newest first [9: undo of 8, 8: reject, 7: approve] → the target is event 7.
 */
export function undoTarget(newestFirst: readonly ReviewEvent[]): ReviewEvent | null {
	const undone = new Set<number>();
	for (const event of newestFirst) {
		if (event.action === 'undo') {
			if (event.undoes !== null) undone.add(event.undoes);
			continue;
		}
		if (event.seq !== undefined && !undone.has(event.seq)) return event;
	}
	return null;
}

/** The annotation fields to store for a state (the record keeps its id and keys). */
export function annotationFrom(
	state: AnnotationState,
	keys: { projectId: number; itemId: number; taskId: string; id?: number },
	now: number
): Annotation {
	return {
		...(keys.id === undefined ? {} : { id: keys.id }),
		projectId: keys.projectId,
		itemId: keys.itemId,
		taskId: keys.taskId,
		value: state.value,
		source: state.source,
		status: state.status,
		reviewer: state.reviewer,
		note: state.note,
		updatedAt: now
	};
}
