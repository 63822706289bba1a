import type { ConfidenceLevel } from '$lib/domain/labeling/confidence';
import type { AnnotationStatus } from '$lib/domain/schemas/annotation';
import type { LabelTask } from '$lib/domain/schemas/project';
import { formatsFor } from '$lib/domain/formats/registry';
import {
	DEFAULT_FILTERS,
	defaultExportOptions,
	type ExportOptions,
	type FormatId,
	type TagScheme
} from '$lib/domain/formats/snapshot';

/**
 * The dataset export form as the user fills it in (percentages, text, dates as typed) and
 * its translation into `ExportOptions`, with the first problem that stops an export.
 */

export type ExportDraft = {
	taskId: string;
	format: FormatId;
	/** Percentages; null while a field is empty. */
	train: number | null;
	validation: number | null;
	test: number | null;
	seed: number | null;
	keepItemSplits: boolean;
	statuses: AnnotationStatus[];
	classIds: string[];
	/** Comma-separated names. */
	reviewers: string;
	/** `YYYY-MM-DD` from a date input, or ''. */
	from: string;
	to: string;
	minConfidence: number | null;
	levels: ConfidenceLevel[];
	includeMetadata: boolean;
	includeScores: boolean;
	tagScheme: TagScheme;
	shardSize: number | null;
};

/** The form's starting values for a task: its first fitting format, 80/10/10, seed 42. */
export function newDraft(task: LabelTask): ExportDraft {
	const format = formatsFor(task)[0]?.id ?? 'imagefolder';
	const d = defaultExportOptions(format, task.id);
	return {
		taskId: task.id,
		format,
		train: d.split.train * 100,
		validation: d.split.validation * 100,
		test: d.split.test * 100,
		seed: d.seed,
		keepItemSplits: d.keepItemSplits,
		statuses: [...DEFAULT_FILTERS.statuses],
		classIds: [],
		reviewers: '',
		from: '',
		to: '',
		minConfidence: null,
		levels: [],
		includeMetadata: d.includeMetadata,
		includeScores: d.includeScores,
		tagScheme: d.tagScheme,
		shardSize: d.shardSize
	};
}

/** The draft moved to another task: classes reset, a format that does not fit is replaced. */
export function draftForTask(draft: ExportDraft, task: LabelTask): ExportDraft {
	const formats = formatsFor(task);
	const format = formats.some((f) => f.id === draft.format)
		? draft.format
		: (formats[0]?.id ?? draft.format);
	return { ...draft, taskId: task.id, format, classIds: [] };
}

const isNumber = (n: number | null | undefined): n is number =>
	typeof n === 'number' && Number.isFinite(n);

/**
 * Why the split percentages cannot be used, or null.
 *
 * Example: `splitProblem({ train: 70, validation: 20, test: 5 })`
 * → `'Train, validation and test must add up to 100 % (now 95 %).'`
 */
export function splitProblem(d: Pick<ExportDraft, 'train' | 'validation' | 'test'>): string | null {
	const parts = [d.train, d.validation, d.test];
	if (!parts.every(isNumber)) return 'Give each split a percentage (0 for none).';
	if (parts.some((p) => p < 0 || p > 100)) return 'Each split is between 0 and 100 %.';
	const sum = parts.reduce((a, b) => a + b, 0);
	if (Math.abs(sum - 100) > 1e-6) {
		const shown = Math.round(sum * 100) / 100;
		return `Train, validation and test must add up to 100 % (now ${shown} %).`;
	}
	return null;
}

/** Local midnight of a `YYYY-MM-DD` day, or the last millisecond of it with `end`. */
export function dayToTime(day: string, end = false): number | null {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
	if (!m) return null;
	const [y, mo, d] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
	return end ? new Date(y, mo, d, 23, 59, 59, 999).getTime() : new Date(y, mo, d).getTime();
}

export type DraftResult =
	| { ok: true; options: ExportOptions }
	| { ok: false; field: 'split' | 'seed' | 'filters' | 'shard'; problem: string };

/**
 * The export options a draft describes, or the first problem with it.
 *
 * Example: `draftOptions(newDraft(task))` → `{ ok: true, options: { split: { train: 0.8, … } } }`
 */
export function draftOptions(d: ExportDraft): DraftResult {
	const split = splitProblem(d);
	if (split) return { ok: false, field: 'split', problem: split };
	if (!isNumber(d.seed) || !Number.isInteger(d.seed)) {
		return { ok: false, field: 'seed', problem: 'The seed is a whole number.' };
	}
	const min = d.minConfidence;
	if (isNumber(min) && (min < 0 || min > 1)) {
		return { ok: false, field: 'filters', problem: 'Minimum confidence is between 0 and 1.' };
	}
	const from = dayToTime(d.from);
	const to = dayToTime(d.to, true);
	if (from !== null && to !== null && from > to) {
		return { ok: false, field: 'filters', problem: 'The From date is after the To date.' };
	}
	if (
		d.format === 'tfrecord' &&
		(!isNumber(d.shardSize) || !Number.isInteger(d.shardSize) || d.shardSize < 1)
	) {
		return { ok: false, field: 'shard', problem: 'Records per shard is a whole number from 1.' };
	}
	return {
		ok: true,
		options: {
			format: d.format,
			taskId: d.taskId,
			split: {
				train: (d.train as number) / 100,
				validation: (d.validation as number) / 100,
				test: (d.test as number) / 100
			},
			seed: d.seed,
			keepItemSplits: d.keepItemSplits,
			filters: {
				statuses: [...d.statuses],
				classIds: [...d.classIds],
				reviewers: d.reviewers
					.split(',')
					.map((r) => r.trim())
					.filter((r) => r.length > 0),
				from,
				to,
				minConfidence: isNumber(min) ? min : null,
				levels: [...d.levels]
			},
			includeMetadata: d.includeMetadata,
			includeScores: d.includeScores,
			tagScheme: d.tagScheme,
			shardSize: isNumber(d.shardSize) && d.shardSize >= 1 ? Math.floor(d.shardSize) : 1000
		}
	};
}
