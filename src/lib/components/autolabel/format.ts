import { approxDuration } from '$lib/components/app/jobFormat';
import type { ConfidenceHistogram, ConfidenceLevel } from '$lib/domain/labeling/schemas';
import type { AutoLabelJob } from '$lib/domain/schemas';

export { approxDuration, exactDuration, STATUS_LABELS } from '$lib/components/app/jobFormat';

/**
 * Pure formatting for the auto-label page: estimates, progress lines, job status and
 * confidence histograms. Durations and status words are shared with other jobs
 * (components/app/jobFormat).
 */

const count = (n: number): string => n.toLocaleString('en');

/** Items per second with one decimal: `'12.5'`. */
export function formatRate(itemsPerSecond: number): string {
	return itemsPerSecond.toLocaleString('en', {
		minimumFractionDigits: 1,
		maximumFractionDigits: 1
	});
}

/** `'2.1 ms per item'`; whole milliseconds from 10 ms up. */
export function formatMsPerItem(ms: number): string {
	const value =
		ms < 10
			? ms.toLocaleString('en', { minimumFractionDigits: 1, maximumFractionDigits: 1 })
			: count(Math.round(ms));
	return `${value} ms per item`;
}

/** `'12 items · about 3 s'` */
export function estimateText(items: number, seconds: number): string {
	return `${count(items)} ${items === 1 ? 'item' : 'items'} · ${approxDuration(seconds)}`;
}

type JobProgress = Pick<AutoLabelJob, 'status' | 'summary'> & {
	params: Pick<AutoLabelJob['params'], 'itemCount'>;
};

/** Seconds left at the job's rate so far; null unless it runs and has a rate. */
export function etaSeconds(job: JobProgress): number | null {
	const { processed, itemsPerSecond } = job.summary;
	if (job.status !== 'running' || itemsPerSecond <= 0) return null;
	return Math.max(0, job.params.itemCount - processed) / itemsPerSecond;
}

/** Share of the job's items done, 0–100. */
export function progressPercent(job: JobProgress): number {
	const total = job.params.itemCount;
	return total === 0 ? 100 : Math.min(100, (job.summary.processed / total) * 100);
}

/** `'40 of 120 items · 12.5 items/s · ETA about 6 s'` (ETA only while running). */
export function progressText(job: JobProgress): string {
	const eta = etaSeconds(job);
	const base = `${count(job.summary.processed)} of ${count(job.params.itemCount)} items · ${formatRate(job.summary.itemsPerSecond)} items/s`;
	return eta === null ? base : `${base} · ETA ${approxDuration(eta)}`;
}

export const LEVEL_LABELS: Record<ConfidenceLevel, string> = {
	high: 'High',
	medium: 'Medium',
	low: 'Low',
	uncertain: 'Uncertain'
};

export const LEVELS: readonly ConfidenceLevel[] = ['high', 'medium', 'low', 'uncertain'];

/** One bar of a histogram: its count split by level (only the last bin mixes two). */
export interface HistogramBar {
	/** Lower bound of the bin, 0–0.9. */
	from: number;
	total: number;
	segments: { level: ConfidenceLevel; count: number }[];
}

/** The level of every score in bin i of 10, except the last bin (0.9–1), which mixes two. */
function binLevel(i: number): ConfidenceLevel {
	if (i >= 8) return 'medium';
	if (i >= 6) return 'low';
	return 'uncertain';
}

/**
 * The 10 bars of a histogram, coloured by level. Bin 9 holds 0.9–1: its high part is
 * `levels.high` (every score ≥ 0.95), the rest is medium.
 *
 * Example: `histogramBars({bins:[0,0,0,0,0,0,1,0,0,3], levels:{high:2,medium:1,low:1,uncertain:0}, total:4})[9].segments`
 * → `[{level:'high',count:2},{level:'medium',count:1}]`
 */
export function histogramBars(h: ConfidenceHistogram): HistogramBar[] {
	return h.bins.map((n, i) => {
		if (i < h.bins.length - 1) {
			return { from: i / 10, total: n, segments: [{ level: binLevel(i), count: n }] };
		}
		const high = Math.min(n, h.levels.high);
		return {
			from: i / 10,
			total: n,
			segments: [
				{ level: 'high', count: high },
				{ level: 'medium', count: n - high }
			]
		};
	});
}

/** `'Confidence histogram for Colour: high 3, medium 1, low 0, uncertain 2'` */
export function histogramLabel(taskName: string, h: ConfidenceHistogram): string {
	const { high, medium, low, uncertain } = h.levels;
	return `Confidence histogram for ${taskName}: high ${high}, medium ${medium}, low ${low}, uncertain ${uncertain}`;
}
