/**
 * Side-by-side comparison of two versions' metrics, for the registry's compare view. Whether
 * higher is better is read from the metric's name: losses, errors and latencies are lower-is-
 * better, everything else (accuracy, F1, mAP, items/s) higher-is-better.
 */

export interface MetricRow {
	name: string;
	a: number | null;
	b: number | null;
	/** b − a when both exist. */
	delta: number | null;
	/** Which side is better, `equal`, or null when one side lacks the metric. */
	better: 'a' | 'b' | 'equal' | null;
	lowerIsBetter: boolean;
}

const LOWER_IS_BETTER =
	/(loss|error|err|latency|_ms$|ms$|time|seconds|size|bytes|ece|brier|mae|mse|rmse)/i;

export function lowerIsBetter(name: string): boolean {
	return LOWER_IS_BETTER.test(name);
}

export function compareMetrics(
	a: Readonly<Record<string, number>>,
	b: Readonly<Record<string, number>>
): MetricRow[] {
	const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
	return names.map((name) => {
		const x = a[name] ?? null;
		const y = b[name] ?? null;
		const lower = lowerIsBetter(name);
		if (x === null || y === null) {
			return { name, a: x, b: y, delta: null, better: null, lowerIsBetter: lower };
		}
		const delta = y - x;
		const better = delta === 0 ? 'equal' : delta > 0 !== lower ? 'b' : 'a';
		return { name, a: x, b: y, delta, better, lowerIsBetter: lower };
	});
}
