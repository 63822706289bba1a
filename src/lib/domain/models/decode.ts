/**
 * Output decoding shared by every raw-ONNX model: activations, top-k, box formats and NMS.
 * Plain numbers and typed arrays only, so it runs the same in Node, workers and the page.
 */

/** Corner box `[x1, y1, x2, y2]`, the one format the rest of the app works in. */
export type BoxXyxy = [x1: number, y1: number, x2: number, y2: number];

export type BoxFormat = 'xyxy' | 'xywh' | 'cxcywh';

export type Activation = 'softmax' | 'sigmoid' | 'none';

export interface ScoredLabel {
	label: string;
	index: number;
	score: number;
}

export interface Detection {
	box: BoxXyxy;
	score: number;
	classIndex: number;
}

/**
 * Softmax that subtracts the maximum first, so logits in the hundreds (common for
 * uncalibrated heads) do not overflow `exp` into Infinity/NaN.
 */
export function softmax(logits: ArrayLike<number>): number[] {
	const n = logits.length;
	if (n === 0) return [];
	let max = -Infinity;
	for (let i = 0; i < n; i++) max = Math.max(max, logits[i] as number);
	if (Number.isNaN(max)) return Array.from({ length: n }, () => Number.NaN);
	// Infinite maxima would give Inf - Inf = NaN; the limit of softmax is well defined instead.
	if (max === Infinity || max === -Infinity) {
		const hits: boolean[] = [];
		let count = 0;
		for (let i = 0; i < n; i++) {
			const hit = logits[i] === max;
			hits.push(hit);
			if (hit) count++;
		}
		return hits.map((hit) => (hit ? 1 / count : 0));
	}
	const out = new Array<number>(n);
	let sum = 0;
	for (let i = 0; i < n; i++) {
		const e = Math.exp((logits[i] as number) - max);
		out[i] = e;
		sum += e;
	}
	for (let i = 0; i < n; i++) out[i] = (out[i] as number) / sum;
	return out;
}

/** Logistic function, written in two branches so large |x| never evaluates exp(+large). */
export function sigmoid(x: number): number {
	if (x >= 0) return 1 / (1 + Math.exp(-x));
	const e = Math.exp(x);
	return e / (1 + e);
}

export function sigmoidAll(values: ArrayLike<number>): number[] {
	return Array.from(values, sigmoid);
}

/** Turns one row of raw outputs into scores as the manifest's `activation` says. */
export function applyActivation(values: ArrayLike<number>, activation: Activation): number[] {
	if (activation === 'softmax') return softmax(values);
	if (activation === 'sigmoid') return sigmoidAll(values);
	return Array.from(values);
}

/**
 * How many classes a classification prediction keeps: all of them up to `ALL_CLASSES_UP_TO`
 * labels (multi-label tasks with per-class thresholds see every class), else the best
 * `TOP_CLASSES` — 1000 ImageNet scores per image would cost more to sort, send and store than
 * they are worth.
 */
export const ALL_CLASSES_UP_TO = 50;
export const TOP_CLASSES = 20;

export function keptClassCount(labels: number): number {
	return labels > ALL_CLASSES_UP_TO ? TOP_CLASSES : labels;
}

/** `a` ranks before `b`: higher score, then lower index (the order topK returns). */
const ranksBefore = (scores: ArrayLike<number>, a: number, b: number): boolean => {
	const sa = scores[a] as number;
	const sb = scores[b] as number;
	return sa > sb || (sa === sb && a < b);
};

/**
 * The k best scores, highest first. Ties keep the lower index first so results never
 * depend on the sort implementation; NaN scores are skipped (they cannot be ranked).
 * A missing label falls back to the index so a short label list still yields usable output.
 * A small k out of many scores is a partial selection (one pass keeping the k best in order)
 * rather than a sort of them all; both give the same list.
 */
export function topK(
	scores: ArrayLike<number>,
	k: number,
	labels: readonly string[] = []
): ScoredLabel[] {
	if (!(k > 0)) return [];
	const want = Math.floor(k);
	let indices: number[] = [];
	if (want * 8 <= scores.length) {
		// Insertion into the k best so far; most scores fail the first test against the worst.
		for (let i = 0; i < scores.length; i++) {
			if (Number.isNaN(scores[i])) continue;
			const full = indices.length === want;
			if (full && !ranksBefore(scores, i, indices[want - 1] as number)) continue;
			let at = full ? want - 1 : indices.length;
			while (at > 0 && ranksBefore(scores, i, indices[at - 1] as number)) {
				indices[at] = indices[at - 1] as number;
				at--;
			}
			indices[at] = i;
		}
	} else {
		for (let i = 0; i < scores.length; i++) {
			if (!Number.isNaN(scores[i])) indices.push(i);
		}
		indices.sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
		indices = indices.slice(0, want);
	}
	return indices.map((index) => ({
		label: labels[index] ?? String(index),
		index,
		score: scores[index] as number
	}));
}

export function toXyxy(box: readonly [number, number, number, number], format: BoxFormat): BoxXyxy {
	const [a, b, c, d] = box;
	if (format === 'xywh') return [a, b, a + c, b + d];
	if (format === 'cxcywh') return [a - c / 2, b - d / 2, a + c / 2, b + d / 2];
	return [a, b, c, d];
}

/** Normalised (0..1) corners to model-input pixels. */
export function denormalizeBox(box: BoxXyxy, width: number, height: number): BoxXyxy {
	return [box[0] * width, box[1] * height, box[2] * width, box[3] * height];
}

/** Inverted or empty boxes count as zero area rather than negative, so IoU stays in 0..1. */
function area(box: BoxXyxy): number {
	return Math.max(0, box[2] - box[0]) * Math.max(0, box[3] - box[1]);
}

export function iou(a: BoxXyxy, b: BoxXyxy): number {
	const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
	const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
	if (w <= 0 || h <= 0) return 0;
	const inter = w * h;
	const union = area(a) + area(b) - inter;
	return union > 0 ? inter / union : 0;
}

/** Score order with input order as tie-break, so equal scores give a reproducible result. */
function byScore<T extends Detection>(detections: readonly T[]): T[] {
	return detections
		.map((d, i) => ({ d, i }))
		.sort((x, y) => y.d.score - x.d.score || x.i - y.i)
		.map(({ d }) => d);
}

function greedy<T extends Detection>(sorted: readonly T[], iouThreshold: number, max: number): T[] {
	const kept: T[] = [];
	for (const candidate of sorted) {
		if (kept.length >= max) break;
		// Strictly greater, as torchvision does: a threshold of 0.5 keeps a pair at exactly 0.5.
		if (kept.every((k) => iou(k.box, candidate.box) <= iouThreshold)) kept.push(candidate);
	}
	return kept;
}

/**
 * Class-agnostic greedy NMS: a box suppresses any lower-scored box that overlaps it by more
 * than `iouThreshold`, whatever their classes. Generic so callers keep their extra fields.
 */
export function nms<T extends Detection>(
	detections: readonly T[],
	iouThreshold: number,
	maxDetections: number = Infinity
): T[] {
	if (!(maxDetections > 0)) return [];
	return greedy(byScore(detections), iouThreshold, maxDetections);
}

/**
 * Per-class greedy NMS: boxes only suppress boxes of their own class (a person on a horse keeps
 * both), then the survivors are merged by score and capped at `maxDetections`.
 */
export function nmsPerClass<T extends Detection>(
	detections: readonly T[],
	iouThreshold: number,
	maxDetections: number = Infinity
): T[] {
	if (!(maxDetections > 0)) return [];
	const sorted = byScore(detections);
	const groups = new Map<number, T[]>();
	for (const d of sorted) {
		const group = groups.get(d.classIndex);
		if (group) group.push(d);
		else groups.set(d.classIndex, [d]);
	}
	const survivors = new Set<T>();
	for (const group of groups.values()) {
		for (const d of greedy(group, iouThreshold, maxDetections)) survivors.add(d);
	}
	// Filtering the already sorted list keeps the global score order and its tie-break.
	return sorted.filter((d) => survivors.has(d)).slice(0, maxDetections);
}
