import { clampScore } from './classMatch';
import { confidenceLevel } from './confidence';
import { HISTOGRAM_BINS, type ConfidenceHistogram } from './schemas';

/**
 * Confidence histograms per task, built batch by batch: fold a batch's scores into a fresh
 * histogram with `addScores`, then `mergeHistograms` it into the job's. Both are pure and
 * merging is order-free, so a resumed job sums to the same figures.
 *
 * Example: `addScores(emptyHistogram(), [0.62, 0.97]).levels` → `{ high: 1, medium: 0, low: 1, uncertain: 0 }`.
 */

export function emptyHistogram(): ConfidenceHistogram {
	return {
		bins: Array.from({ length: HISTOGRAM_BINS }, () => 0),
		levels: { high: 0, medium: 0, low: 0, uncertain: 0 },
		total: 0
	};
}

/** Bin i holds [i/10, (i+1)/10); a score of 1 goes in the last bin. Out-of-range scores are clamped. */
export function binIndex(score: number): number {
	return Math.min(HISTOGRAM_BINS - 1, Math.floor(clampScore(score) * HISTOGRAM_BINS));
}

export function addScores(h: ConfidenceHistogram, scores: Iterable<number>): ConfidenceHistogram {
	const bins = [...h.bins];
	const levels = { ...h.levels };
	let total = h.total;
	for (const s of scores) {
		const i = binIndex(s);
		bins[i] = (bins[i] ?? 0) + 1;
		levels[confidenceLevel(clampScore(s))] += 1;
		total += 1;
	}
	return { bins, levels, total };
}

export function mergeHistograms(
	a: ConfidenceHistogram,
	b: ConfidenceHistogram
): ConfidenceHistogram {
	return {
		bins: a.bins.map((n, i) => n + (b.bins[i] ?? 0)),
		levels: {
			high: a.levels.high + b.levels.high,
			medium: a.levels.medium + b.levels.medium,
			low: a.levels.low + b.levels.low,
			uncertain: a.levels.uncertain + b.levels.uncertain
		},
		total: a.total + b.total
	};
}
