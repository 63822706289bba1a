import { describe, expect, it } from 'vitest';
import {
	applyActivation,
	denormalizeBox,
	iou,
	nms,
	nmsPerClass,
	sigmoid,
	sigmoidAll,
	softmax,
	toXyxy,
	keptClassCount,
	topK,
	type BoxXyxy,
	type Detection
} from './decode';

function expectClose(actual: ArrayLike<number>, expected: readonly number[], digits = 5): void {
	expect(actual.length).toBe(expected.length);
	expected.forEach((v, i) => expect(actual[i]).toBeCloseTo(v, digits));
}

describe('softmax', () => {
	it('matches hand-computed values for [1, 2, 3]', () => {
		// e^1, e^2, e^3 = 2.71828, 7.38906, 20.08554; sum 30.19288
		expectClose(softmax([1, 2, 3]), [0.09003, 0.24473, 0.66524]);
	});

	it('is shift-invariant and does not overflow on large logits', () => {
		expectClose(softmax([1001, 1002, 1003]), [0.09003, 0.24473, 0.66524]);
		expectClose(softmax(new Float32Array([-1000, 0])), [0, 1]);
	});

	it('sums to 1 and handles edge cases', () => {
		const p = softmax([0.3, -2, 7, 7, 1e-3]);
		expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
		expect(softmax([])).toEqual([]);
		expect(softmax([5])).toEqual([1]);
		expectClose(softmax([0, 0, 0, 0]), [0.25, 0.25, 0.25, 0.25]);
	});

	it('turns log-probabilities back into probabilities', () => {
		// A LogSoftmax head (the PyTorch MNIST model) decodes with the same softmax.
		const probs = [0.7, 0.2, 0.1];
		expectClose(softmax(probs.map(Math.log)), probs);
	});

	it('gives the limit for infinite logits instead of NaN', () => {
		expect(softmax([Infinity, 1, Infinity])).toEqual([0.5, 0, 0.5]);
		expect(softmax([-Infinity, -Infinity])).toEqual([0.5, 0.5]);
		expect(softmax([-Infinity, 0])).toEqual([0, 1]);
		expect(softmax([Number.NaN, 1]).every(Number.isNaN)).toBe(true);
	});
});

describe('sigmoid', () => {
	it('matches hand-computed values', () => {
		expect(sigmoid(0)).toBe(0.5);
		expect(sigmoid(2)).toBeCloseTo(0.8808, 4); // 1 / (1 + e^-2) = 1 / 1.135335
		expect(sigmoid(-2)).toBeCloseTo(0.1192, 4);
		expectClose(sigmoidAll(new Float32Array([0, 1])), [0.5, 0.73106]);
	});

	it('saturates cleanly at extremes', () => {
		expect(sigmoid(1000)).toBe(1);
		expect(sigmoid(-1000)).toBe(0);
		expect(Number.isNaN(sigmoid(-1000))).toBe(false);
	});

	it('applyActivation dispatches on the manifest value', () => {
		expectClose(applyActivation([1, 2, 3], 'softmax'), [0.09003, 0.24473, 0.66524]);
		expectClose(applyActivation([0], 'sigmoid'), [0.5]);
		expect(applyActivation(new Float32Array([1.5, -2]), 'none')).toEqual([1.5, -2]);
	});
});

describe('keptClassCount', () => {
	it('keeps every class up to 50 labels, else the best 20', () => {
		expect([2, 10, 50, 51, 1000].map(keptClassCount)).toEqual([2, 10, 50, 20, 20]);
	});
});

describe('topK', () => {
	const labels = ['cat', 'dog', 'bird', 'fish'];

	it('returns the best k, highest first, with labels and indices', () => {
		expect(topK([0.1, 0.6, 0.05, 0.25], 2, labels)).toEqual([
			{ label: 'dog', index: 1, score: 0.6 },
			{ label: 'fish', index: 3, score: 0.25 }
		]);
	});

	it('keeps the lower index first on ties', () => {
		expect(topK([0.3, 0.4, 0.3, 0.4], 4, labels).map((r) => r.index)).toEqual([1, 3, 0, 2]);
	});

	it('clips k, skips NaN and falls back to the index as label', () => {
		expect(topK([0.2, Number.NaN, 0.8], 10).map((r) => [r.label, r.score])).toEqual([
			['2', 0.8],
			['0', 0.2]
		]);
		expect(topK([1, 2], 0, labels)).toEqual([]);
		expect(topK([1, 2], -3, labels)).toEqual([]);
	});

	it('works on typed arrays', () => {
		const r = topK(new Float32Array([0.5, 0.25, 0.125]), 1, labels);
		expect(r).toEqual([{ label: 'cat', index: 0, score: 0.5 }]);
	});

	it('selects a few of many exactly as the full sort would (ties, NaN, infinities)', () => {
		let state = 12345;
		const next = () => {
			state = (state * 1103515245 + 12345) % 2147483648;
			return state / 2147483648;
		};
		for (let round = 0; round < 20; round++) {
			// Few distinct values, so ties are everywhere.
			const scores = Array.from({ length: 1000 }, () => Math.floor(next() * 40) / 40);
			if (round % 2 === 1) {
				scores[17] = Number.NaN;
				scores[400] = Infinity;
				scores[401] = Infinity;
				scores[999] = -Infinity;
			}
			const all = topK(scores, scores.length);
			for (const k of [1, 5, 20, 100]) {
				expect(topK(scores, k)).toEqual(all.slice(0, k));
			}
		}
	});
});

describe('boxes', () => {
	it('converts formats to corners', () => {
		expect(toXyxy([10, 20, 30, 40], 'xyxy')).toEqual([10, 20, 30, 40]);
		expect(toXyxy([10, 20, 30, 40], 'xywh')).toEqual([10, 20, 40, 60]);
		expect(toXyxy([10, 20, 30, 40], 'cxcywh')).toEqual([-5, 0, 25, 40]);
	});

	it('denormalises fractions of the input size', () => {
		expect(denormalizeBox([0.25, 0.5, 0.75, 1], 416, 320)).toEqual([104, 160, 312, 320]);
	});

	it('computes IoU by hand', () => {
		// intersection 5×5 = 25; union 100 + 100 - 25 = 175
		expect(iou([0, 0, 10, 10], [5, 5, 15, 15])).toBeCloseTo(25 / 175, 10);
		expect(iou([0, 0, 10, 10], [0, 0, 10, 10])).toBe(1);
		// intersection 10×5 = 50 of a box inside a box: 50 / 100
		expect(iou([0, 0, 10, 10], [0, 0, 10, 5])).toBe(0.5);
	});

	it('gives 0 for disjoint, touching and degenerate boxes', () => {
		expect(iou([0, 0, 10, 10], [20, 20, 30, 30])).toBe(0);
		expect(iou([0, 0, 10, 10], [10, 0, 20, 10])).toBe(0);
		expect(iou([5, 5, 5, 5], [5, 5, 5, 5])).toBe(0);
		expect(iou([10, 10, 0, 0], [0, 0, 10, 10])).toBe(0);
	});
});

describe('nms', () => {
	const det = (
		box: BoxXyxy,
		score: number,
		classIndex = 0,
		id = ''
	): Detection & { id: string } => ({
		box,
		score,
		classIndex,
		id
	});
	// Cluster A: IoU 81/119 = 0.68; cluster B: IoU 90/110 = 0.82; clusters are disjoint.
	const a1 = det([0, 0, 10, 10], 0.9, 0, 'a1');
	const a2 = det([1, 1, 11, 11], 0.8, 0, 'a2');
	const b1 = det([20, 20, 30, 30], 0.7, 0, 'b1');
	const b2 = det([21, 20, 31, 30], 0.95, 0, 'b2');

	it('keeps the highest-scoring box of each cluster, in score order', () => {
		expect(nms([a1, a2, b1, b2], 0.5).map((d) => d.id)).toEqual(['b2', 'a1']);
	});

	it('keeps overlapping boxes when their IoU is below the threshold', () => {
		expect(nms([a1, a2, b1, b2], 0.7).map((d) => d.id)).toEqual(['b2', 'a1', 'a2']);
		// IoU exactly at the threshold is kept (suppression needs strictly more).
		const half1 = det([0, 0, 10, 10], 0.9, 0, 'h1');
		const half2 = det([0, 0, 10, 5], 0.8, 0, 'h2');
		expect(nms([half1, half2], 0.5).map((d) => d.id)).toEqual(['h1', 'h2']);
	});

	it('caps at maxDetections', () => {
		expect(nms([a1, a2, b1, b2], 0.9, 2).map((d) => d.id)).toEqual(['b2', 'a1']);
		expect(nms([a1, b2], 0.5, 0)).toEqual([]);
		expect(nms([], 0.5)).toEqual([]);
	});

	it('breaks score ties by input order', () => {
		const x = det([0, 0, 10, 10], 0.5, 0, 'x');
		const y = det([0, 0, 10, 10], 0.5, 0, 'y');
		expect(nms([x, y], 0.5).map((d) => d.id)).toEqual(['x']);
		expect(nms([y, x], 0.5).map((d) => d.id)).toEqual(['y']);
	});

	it('class-agnostic NMS suppresses across classes; per-class does not', () => {
		const person = det([0, 0, 10, 10], 0.9, 0, 'person');
		const horse = det([1, 1, 11, 11], 0.8, 17, 'horse');
		const person2 = det([0, 1, 10, 11], 0.6, 0, 'person2');
		expect(nms([person, horse, person2], 0.5).map((d) => d.id)).toEqual(['person']);
		expect(nmsPerClass([person, horse, person2], 0.5).map((d) => d.id)).toEqual([
			'person',
			'horse'
		]);
	});

	it('per-class NMS merges classes by score and caps the total', () => {
		const dets = [
			det([0, 0, 10, 10], 0.6, 1, 'c1'),
			det([0, 0, 10, 10], 0.9, 2, 'c2'),
			det([0, 0, 10, 10], 0.75, 3, 'c3'),
			det([0, 0, 10, 10], 0.7, 2, 'c2-dup')
		];
		expect(nmsPerClass(dets, 0.5).map((d) => d.id)).toEqual(['c2', 'c3', 'c1']);
		expect(nmsPerClass(dets, 0.5, 2).map((d) => d.id)).toEqual(['c2', 'c3']);
	});

	it('does not mutate its input', () => {
		const input = [a1, a2, b1, b2];
		nms(input, 0.5);
		nmsPerClass(input, 0.5);
		expect(input.map((d) => d.id)).toEqual(['a1', 'a2', 'b1', 'b2']);
	});
});
