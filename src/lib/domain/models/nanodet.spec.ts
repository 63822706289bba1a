import { describe, expect, it } from 'vitest';
import { decodeNanodetPlus, distributionIntegral, gridPoint, gridSize } from './nanodet';

const LN3 = Math.log(3);

describe('distributionIntegral', () => {
	it('is the mean bin for equal logits', () => {
		expect(distributionIntegral(new Array(8).fill(0.3), 0, 8)).toBeCloseTo(3.5, 12);
	});

	it('weights bins by their softmax probability', () => {
		// softmax([0, ln 3]) = [1/4, 3/4] → 0·¼ + 1·¾
		expect(distributionIntegral([0, LN3], 0, 2)).toBeCloseTo(0.75, 12);
		// softmax([ln 1, ln 2, ln 1]) = [¼, ½, ¼] → 1
		expect(distributionIntegral([0, Math.log(2), 0], 0, 3)).toBeCloseTo(1, 12);
	});

	it('reads the bins at an offset and survives huge logits', () => {
		expect(distributionIntegral([9, 9, 0, 1000, 0], 2, 3)).toBeCloseTo(1, 12);
		expect(distributionIntegral([-1000, -1000, 1000], 0, 3)).toBe(2);
	});
});

describe('gridPoint', () => {
	it('puts the point at the centre pixel of a cell (OpenCV Zoo), or as asked', () => {
		expect(gridPoint(0, 8, 'pixel-center')).toBe(3.5);
		expect(gridPoint(3, 8, 'pixel-center')).toBe(27.5);
		expect(gridPoint(1, 32, 'pixel-center')).toBe(47.5);
		expect(gridPoint(3, 8, 'cell-center')).toBe(28);
		expect(gridPoint(3, 8, 'cell-corner')).toBe(24);
	});

	it('has ⌈size / stride⌉ cells per axis', () => {
		expect(gridSize(416, 416, 8)).toEqual({ cols: 52, rows: 52 });
		expect(gridSize(416, 416, 32)).toEqual({ cols: 13, rows: 13 });
		expect(gridSize(20, 12, 8)).toEqual({ cols: 3, rows: 2 });
	});
});

/** Logits of a 2-bin side (regMax 1) whose expected bin is `e` (0 < e < 1): [0, ln(e/(1−e))]. */
const side = (e: number): [number, number] => [0, Math.log(e / (1 - e))];

describe('decodeNanodetPlus', () => {
	const options = {
		inputWidth: 16,
		inputHeight: 16,
		classes: 2,
		regMax: 1,
		gridPoint: 'pixel-center' as const,
		scoreThreshold: 0.3
	};

	it('decodes a cell: point ± expected distance × stride, row-major cells', () => {
		// Stride 8 on 16×16: 2×2 cells. Cell 3 = row 1, col 1 → point (11.5, 11.5).
		const scores = [0, 0, 0, 0, 0, 0, 0.1, 0.9];
		const distribution = new Array(4 * 4 * 2).fill(0);
		// left ¾·8 = 6, top ½·8 = 4, right ¼·8 = 2, bottom 0.125·8 = 1
		distribution.splice(3 * 8, 8, ...side(0.75), ...side(0.5), ...side(0.25), ...side(0.125));
		const out = decodeNanodetPlus([{ stride: 8, scores, distribution }], options);
		expect(out).toHaveLength(1);
		expect(out[0]?.classIndex).toBe(1);
		expect(out[0]?.score).toBe(0.9);
		const box = out[0]?.box ?? [];
		[5.5, 7.5, 13.5, 12.5].forEach((v, i) => expect(box[i]).toBeCloseTo(v, 10));
	});

	it('gives one candidate per class at or above the threshold, sharing the box', () => {
		// Cell 1 = row 0, col 1 → point (11.5, 3.5); equal logits → every side 0.5·8 = 4.
		const scores = [0, 0, 0.3, 0.5, 0, 0, 0, 0.29];
		const distribution = new Array(32).fill(0);
		const out = decodeNanodetPlus([{ stride: 8, scores, distribution }], options);
		expect(out.map((d) => [d.classIndex, d.score, d.box])).toEqual([
			[0, 0.3, [7.5, -0.5, 15.5, 7.5]],
			[1, 0.5, [7.5, -0.5, 15.5, 7.5]]
		]);
		out[0]?.box.splice(0, 1, 99);
		expect(out[1]?.box[0]).toBe(7.5);
	});

	it('walks every level with its own stride and grid', () => {
		// 20×12 input: stride 8 → 3×2 cells, stride 16 → 2×1 cells.
		const opts = { ...options, inputWidth: 20, inputHeight: 12, classes: 1 };
		const fine = { stride: 8, scores: [0, 0, 0, 0, 0.8, 0], distribution: new Array(48).fill(0) };
		const coarse = { stride: 16, scores: [0, 0.6], distribution: new Array(16).fill(0) };
		const out = decodeNanodetPlus([fine, coarse], opts);
		// fine cell 4 = row 1, col 1 → (11.5, 11.5) ± 4; coarse cell 1 = col 1 → (23.5, 7.5) ± 8
		expect(out.map((d) => d.box)).toEqual([
			[7.5, 7.5, 15.5, 15.5],
			[15.5, -0.5, 31.5, 15.5]
		]);
	});

	it('uses the chosen grid point', () => {
		const scores = [0.9, 0, 0, 0, 0, 0, 0, 0];
		const distribution = new Array(32).fill(0);
		const at = (gp: 'cell-center' | 'cell-corner') =>
			decodeNanodetPlus([{ stride: 8, scores, distribution }], { ...options, gridPoint: gp })[0]
				?.box;
		expect(at('cell-corner')).toEqual([-4, -4, 4, 4]);
		expect(at('cell-center')).toEqual([0, 0, 8, 8]);
	});

	it('refuses outputs that do not fit the grid', () => {
		const level = { stride: 8, scores: new Array(6).fill(0), distribution: new Array(32).fill(0) };
		expect(() => decodeNanodetPlus([level], options)).toThrow(
			'stride 8: expected 4 cells × 2 classes = 8 scores, got 6'
		);
		const bad = { stride: 8, scores: new Array(8).fill(0), distribution: new Array(30).fill(0) };
		expect(() => decodeNanodetPlus([bad], options)).toThrow(
			'stride 8: expected 4 cells × 8 bins = 32 values, got 30'
		);
	});
});
