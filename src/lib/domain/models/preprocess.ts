import type { BoxXyxy } from './decode';
import { channelCount, type Preprocessing, type ResizeSpec, type TensorLayout } from './manifest';
import { axisTaps, flattenTaps, type ResampleFilter, type Taps } from './resample';

/**
 * Image preprocessing as pure arithmetic: the resize plan says which source rectangle lands
 * where in the model input (the caller draws it, e.g. with drawImage on an OffscreenCanvas),
 * and toTensor turns the drawn RGBA pixels into the normalised tensor. Keeping the geometry
 * here means boxes can be mapped back exactly with the same numbers.
 */

export interface Rect {
	x: number;
	y: number;
	width: number;
	height: number;
}

export interface ResizePlan {
	mode: ResizeSpec['mode'];
	sourceWidth: number;
	sourceHeight: number;
	inputWidth: number;
	inputHeight: number;
	/** Region of the original image that is drawn (all of it except for the crop modes). */
	source: Rect;
	/** Where that region lands in the model input; the rest is padding. */
	destination: Rect;
	padding: { top: number; right: number; bottom: number; left: number };
	padValue: number;
	/** Destination pixels per source pixel, per axis (equal up to rounding except for stretch). */
	scaleX: number;
	scaleY: number;
}

type ResizeInput = Pick<ResizeSpec, 'mode' | 'width' | 'height'> &
	Partial<Pick<ResizeSpec, 'padValue' | 'shortestEdge'>>;

function plan(
	srcW: number,
	srcH: number,
	resize: ResizeInput,
	source: Rect,
	destination: Rect
): ResizePlan {
	const { width, height } = resize;
	return {
		mode: resize.mode,
		sourceWidth: srcW,
		sourceHeight: srcH,
		inputWidth: width,
		inputHeight: height,
		source,
		destination,
		padding: {
			top: destination.y,
			left: destination.x,
			bottom: height - destination.y - destination.height,
			right: width - destination.x - destination.width
		},
		padValue: resize.padValue ?? 0,
		scaleX: destination.width / source.width,
		scaleY: destination.height / source.height
	};
}

export function planResize(srcW: number, srcH: number, resize: ResizeInput): ResizePlan {
	if (!(srcW > 0 && srcH > 0)) {
		throw new RangeError(`image size must be positive, got ${srcW}×${srcH}`);
	}
	const { width, height } = resize;
	const full: Rect = { x: 0, y: 0, width: srcW, height: srcH };
	const fullInput: Rect = { x: 0, y: 0, width, height };

	switch (resize.mode) {
		case 'stretch':
			return plan(srcW, srcH, resize, full, fullInput);

		case 'letterbox': {
			const scale = Math.min(width / srcW, height / srcH);
			// Whole pixels so the padding is an exact band the caller can fill.
			const dw = Math.min(width, Math.max(1, Math.round(srcW * scale)));
			const dh = Math.min(height, Math.max(1, Math.round(srcH * scale)));
			const x = Math.floor((width - dw) / 2);
			const y = Math.floor((height - dh) / 2);
			return plan(srcW, srcH, resize, full, { x, y, width: dw, height: dh });
		}

		case 'center-crop': {
			const target = width / height;
			let cw = srcW;
			let ch = srcH;
			if (srcW / srcH > target) cw = Math.min(srcW, Math.max(1, Math.round(srcH * target)));
			else ch = Math.min(srcH, Math.max(1, Math.round(srcW / target)));
			const x = Math.round((srcW - cw) / 2);
			const y = Math.round((srcH - ch) / 2);
			return plan(srcW, srcH, resize, { x, y, width: cw, height: ch }, fullInput);
		}

		case 'shortest-edge-crop': {
			// The crop must fit inside the scaled image, so the edge is never below the target.
			const edge = Math.max(resize.shortestEdge ?? 0, width, height);
			const s = edge / Math.min(srcW, srcH);
			const rw = Math.max(width, Math.round(srcW * s));
			const rh = Math.max(height, Math.round(srcH * s));
			// As torchvision: resize to rw×rh, then crop the centre width×height of that.
			const ox = Math.round((rw - width) / 2);
			const oy = Math.round((rh - height) / 2);
			const sx = rw / srcW;
			const sy = rh / srcH;
			const source = { x: ox / sx, y: oy / sy, width: width / sx, height: height / sy };
			return plan(srcW, srcH, resize, source, fullInput);
		}
	}
}

function clamp(v: number, lo: number, hi: number): number {
	return Math.min(hi, Math.max(lo, v));
}

/**
 * Maps a box in model-input pixels back to the original image, undoing padding, scale and
 * crop offset. Clamped by default: detections may reach into the letterbox bars.
 */
export function boxToSource(box: BoxXyxy, p: ResizePlan, clampToImage = true): BoxXyxy {
	const { source: s, destination: d } = p;
	const fx = s.width / d.width;
	const fy = s.height / d.height;
	const out: BoxXyxy = [
		s.x + (box[0] - d.x) * fx,
		s.y + (box[1] - d.y) * fy,
		s.x + (box[2] - d.x) * fx,
		s.y + (box[3] - d.y) * fy
	];
	if (!clampToImage) return out;
	return [
		clamp(out[0], 0, p.sourceWidth),
		clamp(out[1], 0, p.sourceHeight),
		clamp(out[2], 0, p.sourceWidth),
		clamp(out[3], 0, p.sourceHeight)
	];
}

/** The forward mapping (original image → model input), e.g. to place ground-truth boxes. */
export function boxToInput(box: BoxXyxy, p: ResizePlan): BoxXyxy {
	const { source: s, destination: d } = p;
	return [
		d.x + (box[0] - s.x) * p.scaleX,
		d.y + (box[1] - s.y) * p.scaleY,
		d.x + (box[2] - s.x) * p.scaleX,
		d.y + (box[3] - s.y) * p.scaleY
	];
}

type TensorPrep = Pick<Preprocessing, 'channelOrder' | 'grayscale'> &
	Partial<Pick<Preprocessing, 'scale' | 'mean' | 'std'>>;

/** ITU-R BT.601 luma weights, the ones PIL's convert('L') and OpenCV's BGR2GRAY use. */
const LUMA = [0.299, 0.587, 0.114] as const;

/**
 * Per tensor channel, scale, mean and std folded into one multiply-add per value,
 * (v·scale − m) / s = v·mul + add, and which RGB channel it reads (`order`).
 */
function normalisation(prep: TensorPrep): {
	channels: 1 | 3;
	mul: number[];
	add: number[];
	order: readonly number[];
} {
	const channels = channelCount(prep);
	const scale = prep.scale ?? 1;
	const mean = prep.mean ?? [];
	const std = prep.std ?? [];
	if ((prep.mean && mean.length !== channels) || (prep.std && std.length !== channels)) {
		throw new RangeError(`mean and std need ${channels} values each`);
	}
	const mul: number[] = [];
	const add: number[] = [];
	for (let c = 0; c < channels; c++) {
		const s = std[c] ?? 1;
		mul.push(scale / s);
		add.push(-(mean[c] ?? 0) / s);
	}
	// Source channel of each tensor channel (offsets within an RGB(A) pixel).
	const order = prep.channelOrder === 'BGR' ? [2, 1, 0] : [0, 1, 2];
	return { channels, mul, add, order };
}

/**
 * Already-resized RGBA pixels → normalised float tensor of one image (no batch dim in the
 * data; the shape is [1, C, H, W] or [1, H, W, C]). Per channel: v * scale, then
 * (v - mean) / std, with mean/std listed in the tensor's channel order. Alpha is ignored:
 * callers draw onto an opaque canvas, so transparent areas already show the pad colour.
 */
export function toTensor(
	rgba: Uint8ClampedArray | Uint8Array,
	width: number,
	height: number,
	prep: TensorPrep,
	layout: TensorLayout
): Float32Array {
	const pixels = width * height;
	if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
		throw new RangeError(`image size must be positive integers, got ${width}×${height}`);
	}
	if (rgba.length !== pixels * 4) {
		throw new RangeError(
			`expected ${pixels * 4} RGBA bytes for ${width}×${height}, got ${rgba.length}`
		);
	}
	const { channels, mul, add, order } = normalisation(prep);
	const out = new Float32Array(pixels * channels);
	const planar = layout === 'NCHW';

	for (let i = 0; i < pixels; i++) {
		const o = i * 4;
		for (let c = 0; c < channels; c++) {
			let v: number;
			if (channels === 1) {
				v =
					LUMA[0] * (rgba[o] as number) +
					LUMA[1] * (rgba[o + 1] as number) +
					LUMA[2] * (rgba[o + 2] as number);
			} else {
				v = rgba[o + (order[c] as number)] as number;
			}
			out[planar ? c * pixels + i : i * channels + c] = v * (mul[c] as number) + (add[c] as number);
		}
	}
	return out;
}

/** The model input a resampled region is written into. */
export interface TensorTarget {
	/** Model input size in pixels. */
	width: number;
	height: number;
	/** Where the resampled region lands (whole pixels); the rest is padding. */
	destination: Rect;
	/** Grey level of the padding, as an opaque canvas filled with rgb(pad, pad, pad) holds it. */
	pad: number;
}

/**
 * `toTensor(resampleRgba(…))` in one step, without the RGBA image in between: region `source`
 * of an opaque RGBA image is resampled (the same taps and the same floating-point steps as
 * `resampleRgba`: horizontal pass into float32, vertical pass in float64, rounded and clamped
 * as Uint8ClampedArray does) onto `target.destination`, the rest of the input is padding, and
 * each pixel is normalised as `toTensor` does, straight into `out` at `offset` (one image:
 * width × height × channels values). Alpha is not read: the caller's pixels are opaque (drawn
 * over the pad colour). The result equals `toTensor` of the padded, resampled RGBA image.
 *
 * Example: resampleToTensor(rgba, 320, 240, plan.source,
 *   { width: 224, height: 224, destination: plan.destination, pad: 0 }, 'bilinear', prep, 'NCHW')
 */
export function resampleToTensor(
	rgba: Uint8ClampedArray | Uint8Array,
	width: number,
	height: number,
	source: Rect,
	target: TensorTarget,
	filter: ResampleFilter,
	prep: TensorPrep,
	layout: TensorLayout,
	out?: Float32Array,
	offset = 0
): Float32Array {
	if (rgba.length !== width * height * 4) {
		throw new RangeError(
			`expected ${width * height * 4} RGBA bytes for ${width}×${height}, got ${rgba.length}`
		);
	}
	const { width: W, height: H, destination: d } = target;
	if (!(Number.isInteger(W) && Number.isInteger(H) && W > 0 && H > 0)) {
		throw new RangeError(`input size must be positive integers, got ${W}×${H}`);
	}
	const dx = d.x;
	const dy = d.y;
	const dw = d.width;
	const dh = d.height;
	if (
		![dx, dy, dw, dh].every(Number.isInteger) ||
		dx < 0 ||
		dy < 0 ||
		dw < 1 ||
		dh < 1 ||
		dx + dw > W ||
		dy + dh > H
	) {
		throw new RangeError(`destination ${dw}×${dh} at (${dx}, ${dy}) does not fit ${W}×${H}`);
	}
	const { channels, mul, add, order } = normalisation(prep);
	const plane = W * H;
	const tensor = out ?? new Float32Array(plane * channels);
	if (offset < 0 || offset + plane * channels > tensor.length) {
		throw new RangeError(`the tensor has no room for ${plane * channels} values at ${offset}`);
	}
	const planar = layout === 'NCHW';

	// Padding: the pad grey, normalised as toTensor would read it from the canvas.
	if (dx > 0 || dy > 0 || dw < W || dh < H) {
		const grey = Math.min(255, Math.max(0, Math.round(target.pad)));
		const padded: number[] = [];
		for (let c = 0; c < channels; c++) {
			const v = channels === 1 ? LUMA[0] * grey + LUMA[1] * grey + LUMA[2] * grey : grey;
			padded.push(v * (mul[c] as number) + (add[c] as number));
		}
		if (planar) {
			for (let c = 0; c < channels; c++) {
				const from = offset + c * plane;
				tensor.fill(padded[c] as number, from, from + plane);
			}
		} else {
			for (let i = 0; i < plane; i++) {
				for (let c = 0; c < channels; c++) {
					tensor[offset + i * channels + c] = padded[c] as number;
				}
			}
		}
	}

	// Horizontal pass over the rows the vertical one reads, RGB only, into float32.
	const tx = flattenTaps(axisTaps(width, source.x, source.width, dw, filter));
	const ty = axisTaps(height, source.y, source.height, dh, filter);
	let rowFrom = Infinity;
	let rowTo = -Infinity;
	for (const t of ty) {
		rowFrom = Math.min(rowFrom, t.start);
		rowTo = Math.max(rowTo, t.start + t.weights.length);
	}
	const rows = Math.max(0, rowTo - rowFrom);
	const stride = dw * 3;
	const mid = new Float32Array(rows * stride);
	const { start: xStart, count: xCount, offset: xOffset, weights: xWeights } = tx;
	for (let y = 0; y < rows; y++) {
		const inRow = (rowFrom + y) * width * 4;
		let o = y * stride;
		for (let x = 0; x < dw; x++) {
			const n = xCount[x] as number;
			const wo = xOffset[x] as number;
			let p = inRow + (xStart[x] as number) * 4;
			let r = 0;
			let g = 0;
			let b = 0;
			for (let k = 0; k < n; k++) {
				const w = xWeights[wo + k] as number;
				r += w * (rgba[p] as number);
				g += w * (rgba[p + 1] as number);
				b += w * (rgba[p + 2] as number);
				p += 4;
			}
			mid[o] = r;
			mid[o + 1] = g;
			mid[o + 2] = b;
			o += 3;
		}
	}

	// Vertical pass: each output row accumulates its input rows in float64 (the first tap
	// assigns, 0 + w·m as resampleRgba's sum starts), the last tap's sum goes straight into
	// bytes, which round half to even and clamp as resampleRgba's output does.
	const acc = new Float64Array(stride);
	const bytes = new Uint8ClampedArray(stride);
	// RGB: every byte's normalised value per tensor channel, as toTensor computes it.
	const table = new Float32Array(channels === 1 ? 0 : 3 * 256);
	for (let c = 0; c < table.length / 256; c++) {
		for (let v = 0; v < 256; v++) table[c * 256 + v] = v * (mul[c] as number) + (add[c] as number);
	}
	const o0 = order[0] as number;
	const o1 = order[1] as number;
	const o2 = order[2] as number;
	const m0 = mul[0] as number;
	const a0 = add[0] as number;
	for (let y = 0; y < dh; y++) {
		const { start, weights } = ty[y] as Taps;
		const last = weights.length - 1;
		const first = (start - rowFrom) * stride;
		const w0 = weights[0] as number;
		if (last === 0) {
			for (let x = 0; x < stride; x++) bytes[x] = 0 + w0 * (mid[first + x] as number);
		} else {
			for (let x = 0; x < stride; x++) acc[x] = 0 + w0 * (mid[first + x] as number);
			for (let k = 1; k < last; k++) {
				const w = weights[k] as number;
				const m = first + k * stride;
				for (let x = 0; x < stride; x++) acc[x] = (acc[x] as number) + w * (mid[m + x] as number);
			}
			const w = weights[last] as number;
			const m = first + last * stride;
			for (let x = 0; x < stride; x++) bytes[x] = (acc[x] as number) + w * (mid[m + x] as number);
		}
		const pixel = (dy + y) * W + dx;
		if (channels === 1) {
			for (let x = 0, q = 0; x < dw; x++, q += 3) {
				const v =
					LUMA[0] * (bytes[q] as number) +
					LUMA[1] * (bytes[q + 1] as number) +
					LUMA[2] * (bytes[q + 2] as number);
				tensor[offset + pixel + x] = v * m0 + a0;
			}
		} else if (planar) {
			const c0 = offset + pixel;
			const c1 = c0 + plane;
			const c2 = c1 + plane;
			for (let x = 0, q = 0; x < dw; x++, q += 3) {
				tensor[c0 + x] = table[bytes[q + o0] as number] as number;
				tensor[c1 + x] = table[256 + (bytes[q + o1] as number)] as number;
				tensor[c2 + x] = table[512 + (bytes[q + o2] as number)] as number;
			}
		} else {
			let t = offset + pixel * 3;
			for (let x = 0, q = 0; x < dw; x++, q += 3, t += 3) {
				tensor[t] = table[bytes[q + o0] as number] as number;
				tensor[t + 1] = table[256 + (bytes[q + o1] as number)] as number;
				tensor[t + 2] = table[512 + (bytes[q + o2] as number)] as number;
			}
		}
	}
	return tensor;
}

/** The input tensor's full shape for one image, for building the runtime tensor. */
export function tensorShape(
	width: number,
	height: number,
	prep: Pick<Preprocessing, 'grayscale'>,
	layout: TensorLayout
): [number, number, number, number] {
	const c = channelCount(prep);
	return layout === 'NCHW' ? [1, c, height, width] : [1, height, width, c];
}
