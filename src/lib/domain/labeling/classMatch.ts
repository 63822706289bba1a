import type { ScoredLabel } from '../schemas/inference';
import type { LabelClass, LabelTask, TaskKind } from '../schemas/project';

/**
 * How model outputs meet a label task: by class name, case-insensitive and trimmed. Shared by
 * the review decision and the annotation mapping so both see the same classes.
 */

/** Options both `reviewDecision` and `mapToTask` take, so they decide the same way. */
export interface DecisionOptions {
	/** Multi-label: per-class threshold by task class id; missing classes use the task threshold. */
	perClassThresholds?: Readonly<Record<string, number>>;
	/** Detection and spans: boxes/spans scoring below this are dropped (default 0: keep all). */
	minScore?: number;
}

export function normalizeLabel(label: string): string {
	return label.trim().toLowerCase();
}

/**
 * A lookup from model label to task class. Zero-shot models are given the class names as
 * candidate labels, so their labels match the same way. When two classes share a normalized
 * name the first one wins.
 *
 * Example: `classMatcher(task)(' Positive ')?.id` is the id of the class named "positive".
 */
export function classMatcher(
	task: Pick<LabelTask, 'classes'>
): (label: string) => LabelClass | undefined {
	const byName = new Map<string, LabelClass>();
	for (const c of task.classes) {
		const key = normalizeLabel(c.name);
		if (!byName.has(key)) byName.set(key, c);
	}
	return (label) => byName.get(normalizeLabel(label));
}

/** "model label 'neutral' has no class in task Sentiment" */
export function unmatchedLabelMessage(label: string, task: Pick<LabelTask, 'name'>): string {
	return `model label '${label}' has no class in task ${task.name}`;
}

/** The prediction kind a task kind takes; null for relations (no model fits them yet). */
export function predictionKindFor(kind: TaskKind): 'classes' | 'boxes' | 'spans' | null {
	switch (kind) {
		case 'image-classification':
		case 'text-classification':
			return 'classes';
		case 'object-detection':
			return 'boxes';
		case 'named-entities':
			return 'spans';
		case 'relations':
			return null;
	}
}

/** Scores outside [0, 1] are clamped; NaN counts as 0. */
export function clampScore(score: number): number {
	if (Number.isNaN(score)) return 0;
	return Math.min(1, Math.max(0, score));
}

/** Distinct labels, in first-seen order, that match no class of the task. */
export function unmatchedLabels(
	labels: readonly string[],
	match: (label: string) => LabelClass | undefined
): string[] {
	const seen = new Set<string>();
	const out: string[] = [];
	for (const label of labels) {
		if (match(label) || seen.has(label)) continue;
		seen.add(label);
		out.push(label);
	}
	return out;
}

export interface MultiLabelClass {
	cls: LabelClass;
	score: number;
	threshold: number;
	decided: boolean;
}

/**
 * Multi-label decisions: every listed label that matches a task class (the first listing of a
 * class wins), decided when its score is at or above its class threshold. Task classes the
 * model did not list scored below its last listed label and count as not decided.
 */
export function multiLabelClasses(
	classes: readonly ScoredLabel[],
	task: Pick<LabelTask, 'classes' | 'threshold'>,
	options: DecisionOptions = {}
): MultiLabelClass[] {
	const match = classMatcher(task);
	const seen = new Set<string>();
	const out: MultiLabelClass[] = [];
	for (const s of classes) {
		const cls = match(s.label);
		if (!cls || seen.has(cls.id)) continue;
		seen.add(cls.id);
		const threshold = options.perClassThresholds?.[cls.id] ?? task.threshold;
		const score = clampScore(s.score);
		out.push({ cls, score, threshold, decided: score >= threshold });
	}
	return out;
}

/** Labels best first, without mutating the input; equal scores keep their listed order. */
export function byScoreDesc<T extends { score: number }>(items: readonly T[]): T[] {
	return [...items].sort((a, b) => clampScore(b.score) - clampScore(a.score));
}
