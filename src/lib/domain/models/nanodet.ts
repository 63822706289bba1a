import type { BoxXyxy, Detection } from './decode';
import type { NanodetPlusDetection } from './manifest';

/**
 * NanoDet-Plus box decoding (a GFL head): per stride the model returns, for every grid cell
 * (row-major over the input), class scores and for each box side a discrete distribution over
 * `regMax + 1` bins. The side's distance from the cell point is the distribution's expected
 * bin (softmax, then Σ i·pᵢ — the "distribution focal" integral) times the stride.
 * Candidates are (cell, class) pairs at or above the score threshold; NMS comes after.
 */

export type GridPoint = NanodetPlusDetection['gridPoint'];

/**
 * Pixel coordinate of a cell's point along one axis. OpenCV Zoo's NanoDet-Plus export needs
 * `pixel-center`, i.e. col·stride + (stride − 1)/2; plain col·stride shifts boxes up-left.
 *
 * Example: gridPoint(3, 8, 'pixel-center') === 27.5
 */
export function gridPoint(index: number, stride: number, mode: GridPoint): number {
	if (mode === 'pixel-center') return index * stride + (stride - 1) / 2;
	if (mode === 'cell-center') return (index + 0.5) * stride;
	return index * stride;
}

/**
 * Expected bin index of `bins` logits starting at `offset`: softmax (max subtracted, so large
 * logits cannot overflow), then Σ i·pᵢ. The result lies in 0..bins−1.
 *
 * Example: distributionIntegral([0, Math.log(3)], 0, 2) === 0.75
 */
export function distributionIntegral(
	values: ArrayLike<number>,
	offset: number,
	bins: number
): number {
	let max = -Infinity;
	for (let i = 0; i < bins; i++) max = Math.max(max, values[offset + i] as number);
	let sum = 0;
	let weighted = 0;
	for (let i = 0; i < bins; i++) {
		const e = Math.exp((values[offset + i] as number) - max);
		sum += e;
		weighted += i * e;
	}
	return weighted / sum;
}

export interface NanodetLevelData {
	stride: number;
	/** One image's scores, `cells × classes`, already activated. */
	scores: ArrayLike<number>;
	/** One image's distributions, `cells × 4 × (regMax + 1)`, sides left, top, right, bottom. */
	distribution: ArrayLike<number>;
}

export interface NanodetOptions {
	inputWidth: number;
	inputHeight: number;
	classes: number;
	regMax: number;
	gridPoint: GridPoint;
	scoreThreshold: number;
}

/** Cells of one level: the input covered by ⌈size / stride⌉ cells per axis. */
export function gridSize(
	inputWidth: number,
	inputHeight: number,
	stride: number
): { cols: number; rows: number } {
	return { cols: Math.ceil(inputWidth / stride), rows: Math.ceil(inputHeight / stride) };
}

/**
 * All (cell, class) candidates with score ≥ `scoreThreshold`, boxes as corners in model-input
 * pixels (not clamped; the caller maps them back to the image and clamps there).
 * Throws a RangeError when an output's length does not fit the grid, classes and bins.
 */
export function decodeNanodetPlus(
	levels: readonly NanodetLevelData[],
	options: NanodetOptions
): Detection[] {
	const { classes, regMax, scoreThreshold } = options;
	const bins = regMax + 1;
	const perCell = 4 * bins;
	const out: Detection[] = [];
	for (const level of levels) {
		const { stride, scores, distribution } = level;
		const { cols, rows } = gridSize(options.inputWidth, options.inputHeight, stride);
		const cells = cols * rows;
		if (scores.length !== cells * classes) {
			throw new RangeError(
				`stride ${stride}: expected ${cells} cells × ${classes} classes = ${cells * classes} scores, got ${scores.length}`
			);
		}
		if (distribution.length !== cells * perCell) {
			throw new RangeError(
				`stride ${stride}: expected ${cells} cells × ${perCell} bins = ${cells * perCell} values, got ${distribution.length}`
			);
		}
		for (let cell = 0; cell < cells; cell++) {
			let box: BoxXyxy | undefined;
			for (let c = 0; c < classes; c++) {
				const score = scores[cell * classes + c] as number;
				if (!(score >= scoreThreshold)) continue;
				box ??= cellBox(distribution, cell, stride, cols, bins, options.gridPoint);
				out.push({ box: [...box], score, classIndex: c });
			}
		}
	}
	return out;
}

function cellBox(
	distribution: ArrayLike<number>,
	cell: number,
	stride: number,
	cols: number,
	bins: number,
	mode: GridPoint
): BoxXyxy {
	const x = gridPoint(cell % cols, stride, mode);
	const y = gridPoint(Math.floor(cell / cols), stride, mode);
	const base = cell * 4 * bins;
	const side = (k: number) => distributionIntegral(distribution, base + k * bins, bins) * stride;
	return [x - side(0), y - side(1), x + side(2), y + side(3)];
}
