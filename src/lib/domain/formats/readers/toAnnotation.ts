import { ensureClass } from '../../labels/taskEditing';
import type { AnnotationValue } from '../../schemas/annotation';
import type { LabelTask } from '../../schemas/project';
import type { ImportedLabel } from './dataset';

/**
 * An imported label (classes by name) as a stored annotation value (class ids), adding the
 * classes the tasks do not know yet. Relations put their types on the relations task and
 * their entity classes on `entityTask` (a relations task's classes are relation types).
 *
 * Example: `{type:'classes', names:['cat']}` on a task with class cat (id c1) →
 * `{ value: {type:'classes', classIds:['c1']}, task, entityTask }`.
 */
export function toAnnotationValue(
	label: ImportedLabel,
	task: LabelTask,
	entityTask: LabelTask | null = null
): { value: AnnotationValue; task: LabelTask; entityTask: LabelTask | null } {
	let current = task;
	const classId = (name: string): string => {
		const ensured = ensureClass(current, name);
		current = ensured.task;
		return ensured.classId;
	};
	switch (label.type) {
		case 'classes':
			return {
				value: { type: 'classes', classIds: [...new Set(label.names.map(classId))] },
				task: current,
				entityTask
			};
		case 'boxes':
			return {
				value: {
					type: 'boxes',
					boxes: label.boxes.map((b) => ({
						classId: classId(b.name),
						x: b.x,
						y: b.y,
						w: b.w,
						h: b.h,
						score: null
					}))
				},
				task: current,
				entityTask
			};
		case 'spans': {
			let entities = entityTask ?? current;
			const entityId = (name: string): string => {
				const ensured = ensureClass(entities, name);
				entities = ensured.task;
				return ensured.classId;
			};
			const spans = label.spans.map((s) => ({
				id: s.id,
				classId: entityId(s.name),
				start: s.start,
				end: s.end
			}));
			if (!entityTask) current = entities;
			const relations = label.relations.map((r) => ({
				head: r.head,
				tail: r.tail,
				classId: classId(r.name)
			}));
			return {
				value: { type: 'spans', spans, relations },
				task: current,
				entityTask: entityTask ? entities : null
			};
		}
	}
}
