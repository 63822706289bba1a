import type { Annotation, AnnotationStatus, LabelTask } from '$lib/domain/schemas';

export type ClassInfo = { taskName: string; name: string; color: string };

export type Chip = { key: string; name: string; color: string; status: AnnotationStatus };

/** `taskId:classId` → class name and colour, for every class of every task. */
export function classLookup(tasks: readonly LabelTask[]): Map<string, ClassInfo> {
	const out = new Map<string, ClassInfo>();
	for (const task of tasks) {
		for (const c of task.classes) {
			out.set(`${task.id}:${c.id}`, { taskName: task.name, name: c.name, color: c.color });
		}
	}
	return out;
}

/** Class ids an annotation uses, whatever its shape (classes, boxes or spans). */
export function classIdsOf(annotation: Annotation): string[] {
	const v = annotation.value;
	if (v.type === 'classes') return v.classIds;
	if (v.type === 'boxes') return [...new Set(v.boxes.map((b) => b.classId))];
	return [...new Set(v.spans.map((s) => s.classId))];
}

/**
 * One chip per distinct class across an item's annotations, in task order; classes that
 * were deleted from their task are skipped.
 *
 * Example: `chipsFor(annotations, classLookup(project.tasks))[0]?.name` → `'cat'`
 */
export function chipsFor(
	annotations: readonly Annotation[] | undefined,
	lookup: ReadonlyMap<string, ClassInfo>
): Chip[] {
	if (!annotations) return [];
	const chips: Chip[] = [];
	const seen = new Set<string>();
	for (const a of annotations) {
		for (const classId of classIdsOf(a)) {
			const key = `${a.taskId}:${classId}`;
			const info = lookup.get(key);
			if (!info || seen.has(key)) continue;
			seen.add(key);
			chips.push({ key, name: info.name, color: info.color, status: a.status });
		}
	}
	return chips;
}
