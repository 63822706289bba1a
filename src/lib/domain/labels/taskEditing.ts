import { DEFAULT_THRESHOLD, LabelClass, LabelTask, type TaskKind } from '../schemas/project';

/**
 * Pure edits of a label task. Each returns a new task (never mutates), validated with the
 * schema so an invalid edit fails here with a readable message rather than in storage.
 */

export const CLASS_PALETTE = [
	'#2563eb',
	'#dc2626',
	'#16a34a',
	'#d97706',
	'#7c3aed',
	'#0891b2',
	'#db2777',
	'#65a30d',
	'#ea580c',
	'#4f46e5',
	'#0d9488',
	'#9333ea'
] as const;

export class TaskEditError extends Error {
	constructor(
		readonly code: 'duplicate-class' | 'key-conflict' | 'unknown-class' | 'invalid',
		message: string
	) {
		super(message);
		this.name = 'TaskEditError';
	}
}

export type NewId = () => string;

/** Short random ids; classes and tasks keep them for life. */
export const randomId: NewId = () => crypto.randomUUID().replaceAll('-', '').slice(0, 12);

/** What a user picks in the "new task" form: the seven visible choices. */
export const TASK_CHOICES: { label: string; kind: TaskKind; multiLabel: boolean }[] = [
	{ label: 'Image classification — single label', kind: 'image-classification', multiLabel: false },
	{ label: 'Image classification — multi-label', kind: 'image-classification', multiLabel: true },
	{ label: 'Object detection (boxes)', kind: 'object-detection', multiLabel: false },
	{ label: 'Text classification — single label', kind: 'text-classification', multiLabel: false },
	{ label: 'Text classification — multi-label', kind: 'text-classification', multiLabel: true },
	{ label: 'Named entities (spans)', kind: 'named-entities', multiLabel: false },
	{ label: 'Relations between spans', kind: 'relations', multiLabel: false }
];

export function describeTask(task: Pick<LabelTask, 'kind' | 'multiLabel'>): string {
	const choice = TASK_CHOICES.find((c) => c.kind === task.kind && c.multiLabel === task.multiLabel);
	return choice?.label ?? task.kind;
}

function parseTask(task: LabelTask): LabelTask {
	const result = LabelTask.safeParse(task);
	if (!result.success) {
		throw new TaskEditError('invalid', result.error.issues[0]?.message ?? 'invalid task');
	}
	return result.data;
}

/**
 * Example: `createTask({ name: 'Sentiment', kind: 'text-classification', multiLabel: false }, ['positive', 'negative'])`
 */
export function createTask(
	spec: { name: string; kind: TaskKind; multiLabel: boolean },
	classNames: string[] = [],
	newId: NewId = randomId
): LabelTask {
	let task: LabelTask = parseTask({
		id: newId(),
		name: spec.name,
		kind: spec.kind,
		multiLabel: spec.kind.endsWith('classification') ? spec.multiLabel : false,
		classes: [],
		threshold: DEFAULT_THRESHOLD,
		productionModelVersionId: null
	});
	for (const name of classNames) task = addClass(task, name, newId);
	return task;
}

const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export function findClassByName(task: LabelTask, name: string): LabelClass | undefined {
	return task.classes.find((c) => sameName(c.name, name));
}

/** The first digit 1–9 (then 0, then a–z) that no class of the task uses yet. */
export function nextFreeKey(task: LabelTask): string | null {
	const used = new Set(task.classes.map((c) => c.key));
	const candidates = [...'1234567890', ...'abcdefghijklmnopqrstuvwxyz'];
	return candidates.find((k) => !used.has(k)) ?? null;
}

export function addClass(task: LabelTask, name: string, newId: NewId = randomId): LabelTask {
	const trimmed = name.trim();
	if (findClassByName(task, trimmed)) {
		throw new TaskEditError('duplicate-class', `"${trimmed}" is already a class of ${task.name}`);
	}
	const cls = LabelClass.safeParse({
		id: newId(),
		name: trimmed,
		color: CLASS_PALETTE[task.classes.length % CLASS_PALETTE.length],
		key: nextFreeKey(task)
	});
	if (!cls.success) throw new TaskEditError('invalid', cls.error.issues[0]?.message ?? 'invalid');
	return parseTask({ ...task, classes: [...task.classes, cls.data] });
}

function updateClass(task: LabelTask, classId: string, patch: Partial<LabelClass>): LabelTask {
	if (!task.classes.some((c) => c.id === classId)) {
		throw new TaskEditError('unknown-class', `no class ${classId} in ${task.name}`);
	}
	return parseTask({
		...task,
		classes: task.classes.map((c) => (c.id === classId ? { ...c, ...patch } : c))
	});
}

export function renameClass(task: LabelTask, classId: string, name: string): LabelTask {
	const other = findClassByName(task, name);
	if (other && other.id !== classId) {
		throw new TaskEditError(
			'duplicate-class',
			`"${name.trim()}" is already a class of ${task.name}`
		);
	}
	return updateClass(task, classId, { name: name.trim() });
}

export function recolorClass(task: LabelTask, classId: string, color: string): LabelTask {
	return updateClass(task, classId, { color: color.toLowerCase() });
}

/** Binds a review key; a key already bound to another class of the task is a conflict. */
export function setClassKey(task: LabelTask, classId: string, key: string | null): LabelTask {
	const normalised = key === null || key === '' ? null : key.toLowerCase();
	const holder = task.classes.find((c) => c.key === normalised && c.id !== classId);
	if (normalised !== null && holder) {
		throw new TaskEditError(
			'key-conflict',
			`key "${normalised}" already picks "${holder.name}"; choose another key`
		);
	}
	return updateClass(task, classId, { key: normalised });
}

/**
 * Sets a multi-label class's own review threshold (0–1); null goes back to the task threshold.
 * Single-label tasks decide on the top class only, so they take no class thresholds.
 *
 * Example: `setClassThreshold(pets, 'cat', 0.9).classes[0].threshold === 0.9`
 */
export function setClassThreshold(
	task: LabelTask,
	classId: string,
	threshold: number | null
): LabelTask {
	if (!task.multiLabel && threshold !== null) {
		throw new TaskEditError('invalid', `${task.name} is single-label: it has no class thresholds`);
	}
	if (threshold !== null && !Number.isFinite(threshold)) {
		throw new TaskEditError('invalid', 'a class threshold is a number from 0 to 1');
	}
	return updateClass(task, classId, { threshold });
}

/** Moves a class by `delta` places (−1 up, +1 down), clamped to the list. */
export function moveClass(task: LabelTask, classId: string, delta: number): LabelTask {
	const from = task.classes.findIndex((c) => c.id === classId);
	if (from < 0) throw new TaskEditError('unknown-class', `no class ${classId} in ${task.name}`);
	const to = Math.max(0, Math.min(task.classes.length - 1, from + delta));
	const classes = [...task.classes];
	const [moved] = classes.splice(from, 1);
	if (moved) classes.splice(to, 0, moved);
	return { ...task, classes };
}

export function removeClass(task: LabelTask, classId: string): LabelTask {
	return { ...task, classes: task.classes.filter((c) => c.id !== classId) };
}

export function setThreshold(task: LabelTask, threshold: number): LabelTask {
	return parseTask({ ...task, threshold });
}

export function renameTask(task: LabelTask, name: string): LabelTask {
	return parseTask({ ...task, name });
}

/**
 * Returns the class for a label read from a dataset (folder name, label column), adding it
 * to the task when it is new, so an imported dataset brings its class list along.
 */
export function ensureClass(
	task: LabelTask,
	name: string,
	newId: NewId = randomId
): { task: LabelTask; classId: string } {
	const existing = findClassByName(task, name);
	if (existing) return { task, classId: existing.id };
	const next = addClass(task, name, newId);
	const added = next.classes[next.classes.length - 1];
	if (!added) throw new TaskEditError('invalid', 'class was not added');
	return { task: next, classId: added.id };
}
