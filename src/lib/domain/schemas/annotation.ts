import { z } from 'zod';

/** Current label state of one item for one task. History lives in review events (later). */
export const AnnotationValue = z.discriminatedUnion('type', [
	z.object({ type: z.literal('classes'), classIds: z.array(z.string()) }),
	z.object({
		type: z.literal('boxes'),
		boxes: z.array(
			z.object({
				classId: z.string(),
				x: z.number(),
				y: z.number(),
				w: z.number(),
				h: z.number(),
				score: z.number().nullable()
			})
		)
	}),
	z.object({
		type: z.literal('spans'),
		spans: z.array(
			z.object({
				id: z.string(),
				classId: z.string(),
				start: z.number().int().nonnegative(),
				end: z.number().int().nonnegative()
			})
		),
		relations: z.array(z.object({ head: z.string(), tail: z.string(), classId: z.string() }))
	})
]);
export type AnnotationValue = z.infer<typeof AnnotationValue>;

/** `skipped` and `flagged` are review decisions too (issue 5): the item is looked at later. */
export const AnnotationStatus = z.enum([
	'pending',
	'approved',
	'rejected',
	'corrected',
	'skipped',
	'flagged'
]);
export type AnnotationStatus = z.infer<typeof AnnotationStatus>;

export const Annotation = z.object({
	id: z.number().int().positive().optional(),
	projectId: z.number().int().positive(),
	itemId: z.number().int().positive(),
	taskId: z.string(),
	value: AnnotationValue,
	source: z.enum(['model', 'human']),
	status: AnnotationStatus,
	reviewer: z.string().nullable(),
	/** A flag's note ("is this a fox or a dog?"); absent on records from before review. */
	note: z.string().max(2000).nullable().optional(),
	/**
	 * Where a human label came from when nobody typed it here: the dataset format it was
	 * imported with (`coco`, `yolo`, `conll`, `folder`, `column`…). Absent on older records.
	 */
	origin: z.string().max(40).nullable().optional(),
	updatedAt: z.number()
});
export type Annotation = z.infer<typeof Annotation>;
