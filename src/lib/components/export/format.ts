import { approxDuration } from '$lib/components/app/jobFormat';
import { EXPORT_SPLITS, type ExportSplit, type SplitRatios } from '$lib/domain/formats/snapshot';
import { formatBytes } from '$lib/domain/import/formatBytes';
import type { ExportJob } from '$lib/domain/schemas';

/** Pure formatting for the export page: the preview line, the class chart and job progress. */

const count = (n: number): string => n.toLocaleString('en');

export const SPLIT_LABELS: Record<ExportSplit, string> = {
	train: 'train',
	validation: 'validation',
	test: 'test'
};

/** `'train 8 · validation 1 · test 1'` */
export function splitText(perSplit: Partial<Record<string, number>>): string {
	return EXPORT_SPLITS.map((s) => `${SPLIT_LABELS[s]} ${count(perSplit[s] ?? 0)}`).join(' · ');
}

/** `'10 items · train 8 · validation 1 · test 1'` */
export function previewText(kept: number, perSplit: Partial<Record<string, number>>): string {
	return `${count(kept)} ${kept === 1 ? 'item' : 'items'} · ${splitText(perSplit)}`;
}

/** Splits that were asked for (ratio above 0) but get no item. */
export function emptySplits(
	perSplit: Partial<Record<string, number>>,
	ratios: SplitRatios
): ExportSplit[] {
	return EXPORT_SPLITS.filter((s) => ratios[s] > 0 && (perSplit[s] ?? 0) === 0);
}

export type ClassBar = { id: string; name: string; count: number; percent: number };

/** One bar per class of the task (in task order; ids no longer in it last), scaled to the largest. */
export function classBars(
	classes: readonly { id: string; name: string }[],
	perClass: Record<string, number>
): ClassBar[] {
	const known = new Set(classes.map((c) => c.id));
	const rows = [
		...classes.map((c) => ({ id: c.id, name: c.name, count: perClass[c.id] ?? 0 })),
		...Object.entries(perClass)
			.filter(([id]) => !known.has(id))
			.map(([id, n]) => ({ id, name: 'a deleted class', count: n }))
	];
	const max = Math.max(1, ...rows.map((r) => r.count));
	return rows.map((r) => ({ ...r, percent: (r.count / max) * 100 }));
}

/** `'Items per class: cat 3, dog 2'` (the chart's accessible name). */
export function classChartLabel(bars: readonly ClassBar[]): string {
	if (bars.length === 0) return 'Items per class: no classes';
	return `Items per class: ${bars.map((b) => `${b.name} ${count(b.count)}`).join(', ')}`;
}

type Progress = Pick<ExportJob, 'status' | 'progress'>;

/** Seconds left at the rate so far; null until some items are written, or once it ended. */
export function exportEta(job: Progress, now: number): number | null {
	const { items, doneItems, startedAt } = job.progress;
	const elapsed = (now - startedAt) / 1000;
	if (job.status !== 'running' || doneItems <= 0 || elapsed <= 0) return null;
	return (Math.max(0, items - doneItems) / doneItems) * elapsed;
}

/** `'4 of 10 items · 5 files · 1.2 MiB · ETA about 3 s'` (ETA once it can be told). */
export function exportProgressText(job: Progress, now: number): string {
	const p = job.progress;
	const base = `${count(p.doneItems)} of ${count(p.items)} items · ${count(p.files)} ${p.files === 1 ? 'file' : 'files'} · ${formatBytes(p.zipBytes)}`;
	const eta = exportEta(job, now);
	return eta === null ? base : `${base} · ETA ${approxDuration(eta)}`;
}

const percent = (ratio: number): string => String(Math.round(ratio * 100));

/**
 * What an export was made with, in one line for its history card.
 *
 * Example: `'split 80/10/10 · seed 42 · approved, corrected · metadata'`;
 * a project file: `'with model versions'`.
 */
export function optionsText(params: ExportJob['params']): string {
	if (params.kind === 'project') {
		return params.includeModels ? 'with model versions' : 'without model versions';
	}
	const o = params.options;
	const f = o.filters;
	const parts = [
		o.keepItemSplits
			? 'stored splits'
			: `split ${percent(o.split.train)}/${percent(o.split.validation)}/${percent(o.split.test)}`,
		`seed ${o.seed}`,
		f.statuses.join(', ')
	];
	if (f.classIds.length > 0) parts.push(`${f.classIds.length} classes`);
	if (f.reviewers.length > 0) parts.push(`by ${f.reviewers.join(', ')}`);
	if (f.from !== null || f.to !== null) parts.push('date range');
	if (f.minConfidence !== null) parts.push(`confidence ≥ ${f.minConfidence}`);
	if (f.levels.length > 0) parts.push(f.levels.join('/'));
	if (o.format === 'conll') parts.push(o.tagScheme);
	if (o.format === 'tfrecord') parts.push(`${o.shardSize} per shard`);
	if (o.includeMetadata) parts.push('metadata');
	if (o.includeScores) parts.push('scores');
	return parts.join(' · ');
}
