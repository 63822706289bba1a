import type { BoxXyxy } from './decode';
import { channelCount, type Preprocessing, type ResizeSpec, type TensorLayout } from './manifest';

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
	const channels = channelCount(prep);
	const scale = prep.scale ?? 1;
	const mean = prep.mean ?? [];
	const std = prep.std ?? [];
	if ((prep.mean && mean.length !== channels) || (prep.std && std.length !== channels)) {
		throw new RangeError(`mean and std need ${channels} values each`);
	}
	// Fold scale, mean and std into one multiply-add per value: (v*scale - m) / s.
	const mul: number[] = [];
	const add: number[] = [];
	for (let c = 0; c < channels; c++) {
		const s = std[c] ?? 1;
		mul.push(scale / s);
		add.push(-(mean[c] ?? 0) / s);
	}
	// Source offsets within an RGBA pixel, in tensor channel order.
	const order = prep.channelOrder === 'BGR' ? [2, 1, 0] : [0, 1, 2];
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
