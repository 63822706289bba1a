import { z } from 'zod';
import { AnnotationStatus, AnnotationValue } from './annotation';

/** An annotation as a review event saw it: enough to restore it exactly (undo). */
export const AnnotationState = z.object({
	value: AnnotationValue,
	status: AnnotationStatus,
	source: z.enum(['model', 'human']),
	reviewer: z.string().nullable(),
	note: z.string().nullable()
});
export type AnnotationState = z.infer<typeof AnnotationState>;

/** What a reviewer did. `correct` is an approval of a value the reviewer changed. */
export const ReviewAction = z.enum(['approve', 'reject', 'correct', 'skip', 'flag', 'undo']);
export type ReviewAction = z.infer<typeof ReviewAction>;

/** Actions a reviewer takes on an item (undo is taken on the log). */
export const DecisionAction = ReviewAction.exclude(['undo']);
export type DecisionAction = z.infer<typeof DecisionAction>;

/**
 * One entry of the append-only review log (IndexedDB `reviewEvents`). `seq` grows with every
 * event (auto-increment), so undo, agreement, learning and sync can all read "what happened
 * after N". Written in the same transaction as the annotation it changed; never edited.
 *
 * - `before` / `after`: the annotation either side (null: there was none / it was removed).
 * - `undoes`: for `undo`, the seq of the event it reverts.
 * - `secondOpinion`: a decision given blind on an item someone else had decided; it is
 *   logged for agreement and leaves the annotation alone.
 */
export const ReviewEvent = z.object({
	seq: z.number().int().positive().optional(),
	projectId: z.number().int().positive(),
	itemId: z.number().int().positive(),
	taskId: z.string().min(1),
	reviewer: z.string(),
	action: ReviewAction,
	before: AnnotationState.nullable(),
	after: AnnotationState.nullable(),
	undoes: z.number().int().positive().nullable(),
	secondOpinion: z.boolean(),
	at: z.number()
});
export type ReviewEvent = z.infer<typeof ReviewEvent>;
