import { z } from 'zod';

/**
 * Label task kinds. Classification tasks carry `multiLabel`; together they give the seven
 * choices a user sees (image single/multi, boxes, text single/multi, spans, relations).
 */
export const TaskKind = z.enum([
	'image-classification',
	'object-detection',
	'text-classification',
	'named-entities',
	'relations'
]);
export type TaskKind = z.infer<typeof TaskKind>;

/** Which item kind a task labels; relations and spans live on texts. */
export const taskItemKind: Record<TaskKind, 'image' | 'text'> = {
	'image-classification': 'image',
	'object-detection': 'image',
	'text-classification': 'text',
	'named-entities': 'text',
	relations: 'text'
};

export const HexColor = z.string().regex(/^#[0-9a-f]{6}$/i, 'colour must look like #12ab34');

/** A class keeps its `id` for life: renaming or reordering never orphans a label. */
export const LabelClass = z.object({
	id: z.string().min(1),
	name: z.string().trim().min(1, 'class name is empty').max(120),
	color: HexColor,
	/** One key that picks this class while reviewing; null when unbound. */
	key: z
		.string()
		.regex(/^[a-z0-9]$/, 'a key is one letter or digit')
		.nullable(),
	/**
	 * Multi-label tasks: this class's own review threshold (a yes/no decision per class).
	 * Null or absent: the task threshold. Records stored before it existed parse unchanged.
	 */
	threshold: z
		.number()
		.min(0, 'a class threshold is a number from 0 to 1')
		.max(1, 'a class threshold is a number from 0 to 1')
		.nullable()
		.optional()
});
export type LabelClass = z.infer<typeof LabelClass>;

export const DEFAULT_THRESHOLD = 0.8;

export const LabelTask = z.object({
	id: z.string().min(1),
	name: z.string().trim().min(1, 'task name is empty').max(120),
	kind: TaskKind,
	multiLabel: z.boolean(),
	classes: z.array(LabelClass),
	threshold: z.number().min(0).max(1),
	productionModelVersionId: z.string().nullable()
});
export type LabelTask = z.infer<typeof LabelTask>;

export const Project = z.object({
	id: z.number().int().positive().optional(),
	name: z.string().trim().min(1, 'project name is empty').max(200),
	tasks: z.array(LabelTask),
	createdAt: z.number(),
	updatedAt: z.number()
});
export type Project = z.infer<typeof Project>;
