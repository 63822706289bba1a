import type { Rect } from './preprocess';

/**
 * Image resampling in plain TypeScript, so preprocessing gives the same pixels in every
 * browser (a canvas's `drawImage` smoothing differs by browser and GPU) and matches the
 * libraries models are trained and evaluated with: separable convolution whose kernel widens
 * by the reduction factor when shrinking (antialiased, as PIL, torchvision on PIL images and
 * libvips/sharp do). The source region may have fractional edges (crop modes).
 */

export type ResampleFilter = 'bilinear' | 'bicubic' | 'lanczos3';

interface Kernel {
	support: number;
	weight(x: number): number;
}

const sinc = (x: number): number => {
	if (x === 0) return 1;
	// Exactly 0 at the other integers, so a 1:1 resample copies pixels unchanged.
	if (Number.isInteger(x)) return 0;
	const px = Math.PI * x;
	return Math.sin(px) / px;
};

const KERNELS: Record<ResampleFilter, Kernel> = {
	bilinear: { support: 1, weight: (x) => Math.max(0, 1 - Math.abs(x)) },
	// Catmull-Rom (a = −0.5), PIL's and libvips' bicubic.
	bicubic: {
		support: 2,
		weight: (x) => {
			const a = -0.5;
			const t = Math.abs(x);
			if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
			if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
			return 0;
		}
	},
	lanczos3: { support: 3, weight: (x) => (Math.abs(x) < 3 ? sinc(x) * sinc(x / 3) : 0) }
};

/** Per output index: the first input index and the normalised weights from there on. */
export interface Taps {
	start: number;
	weights: Float64Array;
}

/**
 * Filter taps for mapping input span [from, from + length) of an axis of `size` pixels onto
 * `out` pixels. Pixel centres sit at i + ½; taps that fall outside the image repeat its edge
 * pixel (as libvips and OpenCV extend images), then the weights are normalised to sum 1.
 *
 * Example: axisTaps(4, 0, 4, 2, 'bilinear')[0] → { start: 0, weights: [0.5, 0.375, 0.125] }
 * (the halving widens the triangle to ±2 pixels; the tap left of the image lands on pixel 0).
 */
export function axisTaps(
	size: number,
	from: number,
	length: number,
	out: number,
	filter: ResampleFilter
): Taps[] {
	const kernel = KERNELS[filter];
	const scale = length / out;
	const widen = Math.max(scale, 1);
	const support = kernel.support * widen;
	const taps: Taps[] = [];
	for (let i = 0; i < out; i++) {
		const center = from + (i + 0.5) * scale;
		const first = Math.floor(center - support + 0.5);
		const last = Math.floor(center + support + 0.5); // exclusive
		const start = Math.min(size - 1, Math.max(0, first));
		const end = Math.max(start + 1, Math.min(size, last));
		const weights = new Float64Array(end - start);
		let sum = 0;
		for (let j = first; j < last; j++) {
			const w = kernel.weight((j + 0.5 - center) / widen);
			const at = Math.min(end - 1, Math.max(start, j)) - start;
			weights[at] = (weights[at] as number) + w;
			sum += w;
		}
		if (sum !== 0)
			for (let k = 0; k < weights.length; k++) weights[k] = (weights[k] as number) / sum;
		taps.push({ start, weights });
	}
	return taps;
}

/**
 * The same taps in three flat arrays (no object per output pixel), for the inner loops of
 * `resampleToTensor`: output `i` reads `count[i]` input pixels from `start[i]` on, with
 * weights `weights[offset[i]]` onwards — the very numbers of `axisTaps`.
 */
export interface FlatTaps {
	start: Int32Array;
	count: Int32Array;
	offset: Int32Array;
	weights: Float64Array;
}

export function flattenTaps(taps: readonly Taps[]): FlatTaps {
	const n = taps.length;
	const start = new Int32Array(n);
	const count = new Int32Array(n);
	const offset = new Int32Array(n);
	let total = 0;
	for (let i = 0; i < n; i++) total += (taps[i] as Taps).weights.length;
	const weights = new Float64Array(total);
	let at = 0;
	for (let i = 0; i < n; i++) {
		const t = taps[i] as Taps;
		start[i] = t.start;
		count[i] = t.weights.length;
		offset[i] = at;
		weights.set(t.weights, at);
		at += t.weights.length;
	}
	return { start, count, offset, weights };
}

/**
 * Resamples region `source` of an RGBA image to `outWidth × outHeight` RGBA pixels:
 * horizontal pass, then vertical, in floating point, rounded and clamped once at the end.
 * Alpha is carried like the colour channels. Inference uses `resampleToTensor`
 * (preprocess.ts), which computes the same numbers straight into the model's tensor; this is
 * the reference its tests compare with.
 */
export function resampleRgba(
	rgba: Uint8ClampedArray | Uint8Array,
	width: number,
	height: number,
	source: Rect,
	outWidth: number,
	outHeight: number,
	filter: ResampleFilter
): Uint8ClampedArray {
	if (rgba.length !== width * height * 4) {
		throw new RangeError(
			`expected ${width * height * 4} RGBA bytes for ${width}×${height}, got ${rgba.length}`
		);
	}
	const tx = axisTaps(width, source.x, source.width, outWidth, filter);
	const ty = axisTaps(height, source.y, source.height, outHeight, filter);
	// Only the rows the vertical pass reads go through the horizontal one.
	const rowFrom = Math.min(...ty.map((t) => t.start));
	const rowTo = Math.max(...ty.map((t) => t.start + t.weights.length));
	const rows = Math.max(0, rowTo - rowFrom);
	const mid = new Float32Array(rows * outWidth * 4);
	for (let y = 0; y < rows; y++) {
		const inRow = (rowFrom + y) * width * 4;
		const outRow = y * outWidth * 4;
		for (let x = 0; x < outWidth; x++) {
			const { start, weights } = tx[x] as Taps;
			let r = 0;
			let g = 0;
			let b = 0;
			let a = 0;
			for (let k = 0; k < weights.length; k++) {
				const w = weights[k] as number;
				const p = inRow + (start + k) * 4;
				r += w * (rgba[p] as number);
				g += w * (rgba[p + 1] as number);
				b += w * (rgba[p + 2] as number);
				a += w * (rgba[p + 3] as number);
			}
			const o = outRow + x * 4;
			mid[o] = r;
			mid[o + 1] = g;
			mid[o + 2] = b;
			mid[o + 3] = a;
		}
	}
	const out = new Uint8ClampedArray(outWidth * outHeight * 4);
	for (let y = 0; y < outHeight; y++) {
		const { start, weights } = ty[y] as Taps;
		for (let x = 0; x < outWidth * 4; x++) {
			let v = 0;
			for (let k = 0; k < weights.length; k++) {
				v += (weights[k] as number) * (mid[(start - rowFrom + k) * outWidth * 4 + x] as number);
			}
			out[y * outWidth * 4 + x] = v; // Uint8ClampedArray rounds half to even and clamps
		}
	}
	return out;
}
