import type { LabelTask } from '../schemas/project';
import type { DecisionOptions } from './classMatch';

/**
 * The decision options a task's own settings give `reviewDecision` and `mapToTask`: for a
 * multi-label task, the per-class thresholds of the classes that set one (classes without one
 * use the task threshold). Single-label tasks decide on the top class only, so their class
 * thresholds, if any were stored, are ignored.
 *
 * Example: `decisionOptions({ multiLabel: true, classes: [{ id: 'cat', threshold: 0.9, … },
 * { id: 'dog', threshold: null, … }] })` → `{ perClassThresholds: { cat: 0.9 } }`.
 */
export function decisionOptions(task: Pick<LabelTask, 'multiLabel' | 'classes'>): DecisionOptions {
	if (!task.multiLabel) return {};
	const perClassThresholds: Record<string, number> = {};
	let any = false;
	for (const c of task.classes) {
		if (typeof c.threshold !== 'number') continue;
		perClassThresholds[c.id] = c.threshold;
		any = true;
	}
	return any ? { perClassThresholds } : {};
}
