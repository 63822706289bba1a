import type { AnnotationValue } from '../schemas/annotation';
import type { Prediction } from '../schemas/inference';
import type { LabelTask } from '../schemas/project';
import {
	byScoreDesc,
	clampScore,
	classMatcher,
	multiLabelClasses,
	predictionKindFor,
	unmatchedLabels,
	type DecisionOptions
} from './classMatch';

/**
 * A prediction as the task's annotation value: model labels become task class ids by name
 * (case-insensitive, trimmed), boxes keep their pixel coordinates (corners → x, y, w, h) and
 * score, spans keep their offsets. `unmatchedLabels` lists every distinct model label in the
 * prediction with no task class, so the job can say "model label 'neutral' has no class in
 * task Sentiment" (see `unmatchedLabelMessage`).
 *
 * - single-label: the top label's class, or no class when the top label has none (the next
 *   best is not promoted: the model did not pick it). An empty prediction gives no class.
 * - multi-label: the classes at or above their threshold, in the order the model listed them.
 * - boxes / spans: the ones whose label matches a class and whose score is ≥ `minScore`.
 *   Spans are ordered by start, then end, and get ids `s1`, `s2`, … (no relations).
 *
 * Example: `mapToTask({kind:'classes', classes:[{label:'Positive', index:1, score:0.9}]},
 * sentiment)` → `{ ok: true, value: { type: 'classes', classIds: ['pos'] }, unmatchedLabels: [] }`.
 */
export type MapResult =
	{ ok: true; value: AnnotationValue; unmatchedLabels: string[] } | { ok: false; reason: string };

type Task = Pick<LabelTask, 'name' | 'kind' | 'multiLabel' | 'classes' | 'threshold'>;

export function mapToTask(
	prediction: Prediction,
	task: Task,
	options: DecisionOptions = {}
): MapResult {
	if (prediction.kind !== predictionKindFor(task.kind)) {
		return {
			ok: false,
			reason: `model output '${prediction.kind}' does not fit task ${task.name} (${task.kind})`
		};
	}
	const match = classMatcher(task);
	const minScore = options.minScore ?? 0;
	switch (prediction.kind) {
		case 'classes': {
			const unmatched = unmatchedLabels(
				prediction.classes.map((c) => c.label),
				match
			);
			let classIds: string[];
			if (task.multiLabel) {
				classIds = multiLabelClasses(prediction.classes, task, options)
					.filter((d) => d.decided)
					.map((d) => d.cls.id);
			} else {
				const [top] = byScoreDesc(prediction.classes);
				const cls = top ? match(top.label) : undefined;
				classIds = cls ? [cls.id] : [];
			}
			return { ok: true, value: { type: 'classes', classIds }, unmatchedLabels: unmatched };
		}
		case 'boxes': {
			const boxes = [];
			for (const b of prediction.boxes) {
				const cls = match(b.label);
				if (!cls || clampScore(b.score) < minScore) continue;
				const [x1, y1, x2, y2] = b.box;
				boxes.push({
					classId: cls.id,
					x: Math.min(x1, x2),
					y: Math.min(y1, y2),
					w: Math.abs(x2 - x1),
					h: Math.abs(y2 - y1),
					score: b.score
				});
			}
			return {
				ok: true,
				value: { type: 'boxes', boxes },
				unmatchedLabels: unmatchedLabels(
					prediction.boxes.map((b) => b.label),
					match
				)
			};
		}
		case 'spans': {
			const kept = prediction.spans
				.filter((s) => match(s.label) && clampScore(s.score) >= minScore)
				.sort((a, b) => a.start - b.start || a.end - b.end);
			const spans = kept.map((s, i) => ({
				id: `s${i + 1}`,
				classId: (match(s.label) as { id: string }).id,
				start: s.start,
				end: s.end
			}));
			return {
				ok: true,
				value: { type: 'spans', spans, relations: [] },
				unmatchedLabels: unmatchedLabels(
					prediction.spans.map((s) => s.label),
					match
				)
			};
		}
	}
}
