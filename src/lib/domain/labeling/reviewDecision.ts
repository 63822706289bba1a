import type { Prediction, ScoredBox, ScoredSpan } from '../schemas/inference';
import type { LabelTask } from '../schemas/project';
import {
	byScoreDesc,
	clampScore,
	classMatcher,
	multiLabelClasses,
	predictionKindFor,
	unmatchedLabelMessage,
	type DecisionOptions
} from './classMatch';
import { confidenceLevel } from './confidence';
import type { ReviewDecision } from './schemas';

/** Best two single-label scores closer than this are a tie. */
export const TIE_MARGIN = 0.05;

export interface ReviewOptions extends DecisionOptions {
	/** Shown in reasons, e.g. "distilbert-sst2 1.0.0". */
	modelName: string;
}

type Task = Pick<LabelTask, 'name' | 'kind' | 'multiLabel' | 'classes' | 'threshold'>;

interface ScorePart {
	score: number;
	/** Reasons that flag review whatever the score. */
	flags: string[];
	/** The score is a stand-in (0 for empty or unusable output): the flags say it all. */
	standIn?: boolean;
	/** Said after the score in the low-confidence reason, e.g. "lowest box: car". */
	detail?: string;
}

/**
 * The review decision for one prediction on one task: the score used for review, its level,
 * and whether a person should look (with the reason in words).
 *
 * Score per kind:
 * - single-label classes: the top class's score. A tie at the top (best two within
 *   `TIE_MARGIN`) and a top label with no task class also flag review.
 * - multi-label classes: each listed label that matches a task class is a yes/no decision
 *   at its class threshold; the score is the least sure of them, min over classes of
 *   max(p, 1 − p), so 0.5 is the least sure a class can be. Unmatched labels are ignored.
 *   A class with its own threshold (`perClassThresholds`) is also flagged when its
 *   max(p, 1 − p) is under that threshold; a class threshold never relaxes the task's.
 * - boxes and spans: the lowest score among kept ones (matching a task class, at or above
 *   `minScore`).
 * - empty output (no classes, nothing found, or nothing kept): score 0, flagged, with a reason
 *   naming what was missing. "Nothing found" is not trusted: the model gives no score for it.
 * - a prediction of another kind than the task takes (an embedding, say): score 0, flagged.
 *
 * `needsReview` is `score < task.threshold` or any of the flags above.
 *
 * Example: `reviewDecision({kind:'classes', classes:[{label:'positive', index:1, score:0.62},
 * …]}, sentiment, {modelName:'SST-2'}).reviewReason === 'low confidence for Sentiment: 0.62 (SST-2)'`.
 */
export function reviewDecision(
	prediction: Prediction,
	task: Task,
	options: ReviewOptions
): ReviewDecision {
	const part = scoreFor(prediction, task, options);
	const score = clampScore(part.score);
	const level = confidenceLevel(score);
	const reasons: string[] = [];
	if (score < task.threshold && !part.standIn) {
		const detail = part.detail ? `, ${part.detail}` : '';
		reasons.push(`${level} confidence for ${task.name}: ${score.toFixed(2)}${detail}`);
	}
	reasons.push(...part.flags);
	const needsReview = reasons.length > 0;
	return {
		score,
		level,
		needsReview,
		reviewReason: needsReview ? `${reasons.join('; ')} (${options.modelName})` : null
	};
}

function scoreFor(prediction: Prediction, task: Task, options: ReviewOptions): ScorePart {
	const expected = predictionKindFor(task.kind);
	if (prediction.kind !== expected) {
		return {
			score: 0,
			standIn: true,
			flags: [`model output '${prediction.kind}' does not fit task ${task.name} (${task.kind})`]
		};
	}
	switch (prediction.kind) {
		case 'classes':
			return task.multiLabel
				? multiLabelScore(prediction.classes, task, options)
				: singleLabelScore(prediction.classes, task);
		case 'boxes':
			return lowestKept(prediction.boxes, task, options, 'boxes', 'box');
		case 'spans':
			return lowestKept(prediction.spans, task, options, 'spans', 'span');
	}
}

function singleLabelScore(
	classes: Extract<Prediction, { kind: 'classes' }>['classes'],
	task: Task
): ScorePart {
	const [top, second] = byScoreDesc(classes);
	if (!top)
		return { score: 0, standIn: true, flags: [`empty prediction: no classes for ${task.name}`] };
	const score = clampScore(top.score);
	const flags: string[] = [];
	if (!classMatcher(task)(top.label)) flags.push(unmatchedLabelMessage(top.label, task));
	if (second && score - clampScore(second.score) < TIE_MARGIN) {
		flags.push(
			`tie at the top for ${task.name}: ${top.label} ${score.toFixed(2)} vs ` +
				`${second.label} ${clampScore(second.score).toFixed(2)}`
		);
	}
	return { score, flags };
}

function multiLabelScore(
	classes: Extract<Prediction, { kind: 'classes' }>['classes'],
	task: Task,
	options: DecisionOptions
): ScorePart {
	if (classes.length === 0) {
		return { score: 0, standIn: true, flags: [`empty prediction: no classes for ${task.name}`] };
	}
	const decisions = multiLabelClasses(classes, task, options);
	if (decisions.length === 0) {
		return {
			score: 0,
			standIn: true,
			flags: [`no model label matches a class of task ${task.name}`]
		};
	}
	let least = decisions[0] as (typeof decisions)[number];
	let leastSure = Math.max(least.score, 1 - least.score);
	for (const d of decisions) {
		const sure = Math.max(d.score, 1 - d.score);
		if (sure < leastSure) [least, leastSure] = [d, sure];
	}
	// A class with its own threshold is also flagged when it is less sure than that threshold.
	const flags: string[] = [];
	for (const d of decisions) {
		if (options.perClassThresholds?.[d.cls.id] === undefined) continue;
		if (Math.max(d.score, 1 - d.score) < d.threshold) {
			flags.push(
				`unsure of ${d.cls.name} for ${task.name}: ${d.score.toFixed(2)} ` +
					`against its class threshold ${d.threshold.toFixed(2)}`
			);
		}
	}
	return {
		score: leastSure,
		flags,
		detail: `least sure: ${least.cls.name} ${least.score.toFixed(2)}`
	};
}

function lowestKept(
	found: readonly (ScoredBox | ScoredSpan)[],
	task: Task,
	options: DecisionOptions,
	plural: 'boxes' | 'spans',
	singular: 'box' | 'span'
): ScorePart {
	if (found.length === 0) {
		return { score: 0, standIn: true, flags: [`nothing found: no ${plural} for ${task.name}`] };
	}
	const match = classMatcher(task);
	const minScore = options.minScore ?? 0;
	const kept = found.filter((f) => match(f.label) && clampScore(f.score) >= minScore);
	if (kept.length === 0) {
		return {
			score: 0,
			standIn: true,
			flags: [`no ${singular} kept for ${task.name}: none matches a class at score ≥ ${minScore}`]
		};
	}
	let lowest = kept[0] as ScoredBox | ScoredSpan;
	for (const k of kept) if (clampScore(k.score) < clampScore(lowest.score)) lowest = k;
	return { score: lowest.score, flags: [], detail: `lowest ${singular}: ${lowest.label}` };
}
