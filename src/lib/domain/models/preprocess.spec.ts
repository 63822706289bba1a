import { describe, expect, it } from 'vitest';
import type { BoxXyxy } from './decode';
import type { TensorLayout } from './manifest';
import {
	boxToInput,
	boxToSource,
	planResize,
	resampleToTensor,
	tensorShape,
	toTensor,
	type ResizePlan
} from './preprocess';
import { resampleRgba, type ResampleFilter } from './resample';

function expectClose(actual: ArrayLike<number>, expected: readonly number[], digits = 5): void {
	expect(actual.length).toBe(expected.length);
	expected.forEach((v, i) => expect(actual[i]).toBeCloseTo(v, digits));
}

describe('planResize', () => {
	it('letterboxes 640×480 into 416×416: scale 0.65, 416×312, 52 px bars', () => {
		const p = planResize(640, 480, { mode: 'letterbox', width: 416, height: 416, padValue: 114 });
		expect(p.scaleX).toBeCloseTo(0.65, 10);
		expect(p.scaleY).toBeCloseTo(0.65, 10);
		expect(p.source).toEqual({ x: 0, y: 0, width: 640, height: 480 });
		expect(p.destination).toEqual({ x: 0, y: 52, width: 416, height: 312 });
		expect(p.padding).toEqual({ top: 52, right: 0, bottom: 52, left: 0 });
		expect(p.padValue).toBe(114);
	});

	it('letterboxes a portrait image with side bars', () => {
		const p = planResize(480, 640, { mode: 'letterbox', width: 416, height: 416 });
		expect(p.destination).toEqual({ x: 52, y: 0, width: 312, height: 416 });
		expect(p.padding).toEqual({ top: 0, right: 52, bottom: 0, left: 52 });
		expect(p.padValue).toBe(0);
	});

	it('puts the odd pixel of padding at the bottom/right', () => {
		// 3×1 → 4×4: scale 4/3, content 4×round(1.33)=4×1, 3 rows of padding split 1 + 2
		const p = planResize(3, 1, { mode: 'letterbox', width: 4, height: 4 });
		expect(p.destination).toEqual({ x: 0, y: 1, width: 4, height: 1 });
		expect(p.padding).toEqual({ top: 1, right: 0, bottom: 2, left: 0 });
	});

	it('upscales small images when letterboxing', () => {
		// 100×50 → 416×416: scale 4.16, content 416×208, bars of (416 - 208) / 2 = 104
		const p = planResize(100, 50, { mode: 'letterbox', width: 416, height: 416 });
		expect(p.destination).toEqual({ x: 0, y: 104, width: 416, height: 208 });
		expect(p.scaleX).toBeCloseTo(4.16, 10);
	});

	it('stretches without keeping the aspect ratio', () => {
		const p = planResize(640, 480, { mode: 'stretch', width: 416, height: 416 });
		expect(p.source).toEqual({ x: 0, y: 0, width: 640, height: 480 });
		expect(p.destination).toEqual({ x: 0, y: 0, width: 416, height: 416 });
		expect(p.scaleX).toBeCloseTo(0.65, 10);
		expect(p.scaleY).toBeCloseTo(416 / 480, 10);
		expect(p.padding).toEqual({ top: 0, right: 0, bottom: 0, left: 0 });
	});

	it('centre-crops the central region of the target aspect', () => {
		// square target from 640×480: the central 480×480, starting at (640 - 480) / 2 = 80
		const p = planResize(640, 480, { mode: 'center-crop', width: 224, height: 224 });
		expect(p.source).toEqual({ x: 80, y: 0, width: 480, height: 480 });
		expect(p.destination).toEqual({ x: 0, y: 0, width: 224, height: 224 });
		expect(p.scaleX).toBeCloseTo(224 / 480, 10);

		// 2:1 target from a square: full width, height 300 / 2 = 150, from y = 75
		const wide = planResize(300, 300, { mode: 'center-crop', width: 200, height: 100 });
		expect(wide.source).toEqual({ x: 0, y: 75, width: 300, height: 150 });
	});

	it('scales the shortest edge then crops the centre (ImageNet 256 → 224)', () => {
		// 640×480, edge 256: resized to round(640·256/480)=341 × 256, crop at (59, 16)
		// (59 = round((341 - 224) / 2)); in source pixels x = 59·640/341, y = 16·480/256 = 30
		const p = planResize(640, 480, {
			mode: 'shortest-edge-crop',
			width: 224,
			height: 224,
			shortestEdge: 256
		});
		expect(p.source.x).toBeCloseTo((59 * 640) / 341, 10);
		expect(p.source.y).toBeCloseTo(30, 10);
		expect(p.source.width).toBeCloseTo((224 * 640) / 341, 10);
		expect(p.source.height).toBeCloseTo(420, 10);
		expect(p.destination).toEqual({ x: 0, y: 0, width: 224, height: 224 });
	});

	it('shortest-edge defaults to the target size (no margin)', () => {
		// 448×224 → edge 224: resized to 448×224, crop x = (448 - 224) / 2 = 112
		const p = planResize(448, 224, { mode: 'shortest-edge-crop', width: 224, height: 224 });
		expect(p.source).toEqual({ x: 112, y: 0, width: 224, height: 224 });
		// An edge below the crop size is raised so the crop always fits.
		const raised = planResize(448, 224, {
			mode: 'shortest-edge-crop',
			width: 224,
			height: 224,
			shortestEdge: 100
		});
		expect(raised.source).toEqual(p.source);
	});

	it('rejects empty images', () => {
		expect(() => planResize(0, 10, { mode: 'stretch', width: 4, height: 4 })).toThrow(RangeError);
	});
});

describe('boxToSource', () => {
	it('undoes letterbox padding and scale', () => {
		const p = planResize(640, 480, { mode: 'letterbox', width: 416, height: 416 });
		// the content area maps to the whole image
		expectClose(boxToSource([0, 52, 416, 364], p), [0, 0, 640, 480]);
		// (65, 117) - (0, 52) = (65, 65) / 0.65 = (100, 100)
		expectClose(boxToSource([65, 117, 130, 182], p), [100, 100, 200, 200]);
	});

	it('undoes the crop offset', () => {
		const p = planResize(640, 480, { mode: 'center-crop', width: 224, height: 224 });
		// input pixel 112 is the centre of the 480 crop: 80 + 240 = 320
		expectClose(boxToSource([0, 0, 112, 224], p), [80, 0, 320, 480]);
	});

	it('clamps boxes that reach into the padding, unless asked not to', () => {
		const p = planResize(640, 480, { mode: 'letterbox', width: 416, height: 416 });
		expectClose(boxToSource([-10, 0, 420, 416], p), [0, 0, 640, 480]);
		const raw = boxToSource([0, 0, 416, 416], p, false);
		expectClose(raw, [0, -80, 640, 560]);
	});

	it.each([
		['stretch', undefined],
		['letterbox', undefined],
		['center-crop', undefined],
		['shortest-edge-crop', 256],
		['shortest-edge-crop', undefined]
	] as const)('round-trips planResize in %s mode (edge %s)', (mode, shortestEdge) => {
		const box: BoxXyxy = [150, 100, 400, 400];
		for (const [w, h] of [
			[640, 480],
			[480, 640],
			[1000, 1000],
			[333, 517]
		] as const) {
			const p = planResize(w, h, { mode, width: 224, height: 224, shortestEdge });
			const within: BoxXyxy = [
				Math.max(box[0], p.source.x),
				Math.max(box[1], p.source.y),
				Math.min(box[2], p.source.x + p.source.width),
				Math.min(box[3], p.source.y + p.source.height)
			];
			expectClose(boxToSource(boxToInput(within, p), p), within, 8);
		}
	});
});

describe('toTensor', () => {
	// 2×2 image, row-major: red, green / blue, (128, 64, 32). Alpha varies to show it is ignored.
	const rgba = new Uint8ClampedArray([
		255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 128, 128, 64, 32, 0
	]);
	const imagenet = {
		scale: 1 / 255,
		mean: [0.485, 0.456, 0.406],
		std: [0.229, 0.224, 0.225],
		channelOrder: 'RGB' as const,
		grayscale: false
	};
	// By hand, (v / 255 - mean) / std per channel:
	// R: 255 → 0.515 / 0.229 = 2.24891; 0 → -0.485 / 0.229 = -2.11790; 128 → 0.01696 / 0.229 = 0.07406
	const R = [2.24891, -2.1179, -2.1179, 0.07406];
	// G: 255 → 0.544 / 0.224 = 2.42857; 0 → -2.03571; 64 → (0.25098 - 0.456) / 0.224 = -0.91527
	const G = [-2.03571, 2.42857, -2.03571, -0.91527];
	// B: 255 → 0.594 / 0.225 = 2.64; 0 → -1.80444; 32 → (0.12549 - 0.406) / 0.225 = -1.24671
	const B = [-1.80444, -1.80444, 2.64, -1.24671];
	const interleave = (...planes: number[][]) =>
		[0, 1, 2, 3].flatMap((i) => planes.map((plane) => plane[i] as number));

	it('normalises ImageNet-style into NCHW (RGB)', () => {
		expectClose(toTensor(rgba, 2, 2, imagenet, 'NCHW'), [...R, ...G, ...B]);
	});

	it('normalises into NHWC (RGB)', () => {
		expectClose(toTensor(rgba, 2, 2, imagenet, 'NHWC'), interleave(R, G, B));
	});

	it('swaps to BGR with mean/std listed in B, G, R order', () => {
		const bgr = {
			...imagenet,
			channelOrder: 'BGR' as const,
			mean: [0.406, 0.456, 0.485],
			std: [0.225, 0.224, 0.229]
		};
		expectClose(toTensor(rgba, 2, 2, bgr, 'NCHW'), [...B, ...G, ...R]);
		expectClose(toTensor(rgba, 2, 2, bgr, 'NHWC'), interleave(B, G, R));
	});

	it('handles pixel-unit mean/std (NanoDet: BGR, scale 1)', () => {
		const nanodet = {
			channelOrder: 'BGR' as const,
			grayscale: false,
			mean: [103.53, 116.28, 123.675],
			std: [57.375, 57.12, 58.395]
		};
		const t = toTensor(rgba, 2, 2, nanodet, 'NCHW');
		// first B value: (0 - 103.53) / 57.375 = -1.80444; last R value: (128 - 123.675) / 58.395
		expect(t[0]).toBeCloseTo(-1.80444, 5);
		expect(t[11]).toBeCloseTo(0.07406, 5);
	});

	it('makes one BT.601 luma channel for grayscale models (MNIST)', () => {
		const mnist = {
			scale: 1 / 255,
			mean: [0.1307],
			std: [0.3081],
			channelOrder: 'RGB' as const,
			grayscale: true
		};
		// luma: red 0.299·255 = 76.245, green 149.685, blue 29.07,
		// (128, 64, 32) → 38.272 + 37.568 + 3.648 = 79.488
		const lumas = [76.245, 149.685, 29.07, 79.488];
		const expected = lumas.map((y) => (y / 255 - 0.1307) / 0.3081);
		expect(expected[3]).toBeCloseTo(0.58753, 5);
		expectClose(toTensor(rgba, 2, 2, mnist, 'NCHW'), expected);
		expectClose(toTensor(rgba, 2, 2, mnist, 'NHWC'), expected);
	});

	it('defaults to no scaling and no normalisation', () => {
		const t = toTensor(rgba, 2, 2, { channelOrder: 'RGB', grayscale: false }, 'NHWC');
		expect(Array.from(t.slice(0, 6))).toEqual([255, 0, 0, 0, 255, 0]);
		expect(t).toBeInstanceOf(Float32Array);
	});

	it('rejects a buffer of the wrong size or mismatched mean/std', () => {
		const prep = { channelOrder: 'RGB' as const, grayscale: false };
		expect(() => toTensor(rgba, 3, 2, prep, 'NCHW')).toThrow(/expected 24 RGBA bytes/);
		expect(() => toTensor(rgba, 0, 2, prep, 'NCHW')).toThrow(RangeError);
		expect(() => toTensor(rgba, 2, 2, { ...prep, mean: [0.5] }, 'NCHW')).toThrow(RangeError);
	});

	it('reports the tensor shape for each layout', () => {
		expect(tensorShape(416, 320, { grayscale: false }, 'NCHW')).toEqual([1, 3, 320, 416]);
		expect(tensorShape(28, 28, { grayscale: true }, 'NHWC')).toEqual([1, 28, 28, 1]);
	});
});

describe('resampleToTensor', () => {
	/** Deterministic pseudo-random opaque RGBA image (as drawn over the pad colour). */
	function randomImage(width: number, height: number, seed: number): Uint8ClampedArray {
		let state = seed >>> 0 || 1;
		const rgba = new Uint8ClampedArray(width * height * 4);
		for (let i = 0; i < rgba.length; i++) {
			state ^= state << 13;
			state ^= state >>> 17;
			state ^= state << 5;
			rgba[i] = i % 4 === 3 ? 255 : (state >>> 0) % 256;
		}
		return rgba;
	}

	/** The two-step path: resampleRgba, put onto an opaque pad-filled input, then toTensor. */
	function reference(
		rgba: Uint8ClampedArray,
		w: number,
		h: number,
		p: ResizePlan,
		filter: ResampleFilter,
		prep: Parameters<typeof toTensor>[3],
		layout: TensorLayout
	): Float32Array {
		const { source: s, destination: d, inputWidth: W, inputHeight: H } = p;
		const pad = Math.round(p.padValue);
		const input = new Uint8ClampedArray(W * H * 4).fill(pad);
		for (let i = 3; i < input.length; i += 4) input[i] = 255;
		const region = resampleRgba(rgba, w, h, s, d.width, d.height, filter);
		for (let y = 0; y < d.height; y++) {
			const row = region.subarray(y * d.width * 4, (y + 1) * d.width * 4);
			input.set(row, ((d.y + y) * W + d.x) * 4);
		}
		return toTensor(input, W, H, prep, layout);
	}

	const imagenet = {
		scale: 1 / 255,
		mean: [0.485, 0.456, 0.406],
		std: [0.229, 0.224, 0.225],
		channelOrder: 'RGB' as const,
		grayscale: false
	};
	const preps = {
		rgb: imagenet,
		bgr: {
			channelOrder: 'BGR' as const,
			grayscale: false,
			mean: [103.53, 116.28, 123.675],
			std: [57.375, 57.12, 58.395]
		},
		grey: {
			scale: 1 / 255,
			mean: [0.1307],
			std: [0.3081],
			channelOrder: 'RGB' as const,
			grayscale: true
		}
	};
	// Source sizes × resize plans: downscale, upscale, letterbox bars on either axis (with a
	// fractional pad value), centre crop, shortest-edge crop (fractional source edges), stretch.
	const cases = [
		{
			w: 37,
			h: 23,
			resize: { mode: 'letterbox' as const, width: 16, height: 16, padValue: 114.4 }
		},
		{ w: 9, h: 14, resize: { mode: 'letterbox' as const, width: 20, height: 18, padValue: 0 } },
		{ w: 40, h: 30, resize: { mode: 'center-crop' as const, width: 12, height: 12 } },
		{
			w: 32,
			h: 24,
			resize: { mode: 'shortest-edge-crop' as const, width: 22, height: 22, shortestEdge: 26 }
		},
		{
			w: 11,
			h: 7,
			resize: { mode: 'shortest-edge-crop' as const, width: 14, height: 14, shortestEdge: 16 }
		},
		{ w: 25, h: 19, resize: { mode: 'stretch' as const, width: 13, height: 29 } }
	];
	const filters: ResampleFilter[] = ['bilinear', 'bicubic', 'lanczos3'];
	const layouts: TensorLayout[] = ['NCHW', 'NHWC'];

	it('equals toTensor(resampleRgba(…)) for every filter, layout, channel order and plan', () => {
		let seed = 7;
		let compared = 0;
		for (const { w, h, resize } of cases) {
			const rgba = randomImage(w, h, seed++);
			const p = planResize(w, h, resize);
			for (const filter of filters) {
				for (const layout of layouts) {
					for (const prep of Object.values(preps)) {
						const expected = reference(rgba, w, h, p, filter, prep, layout);
						const target = {
							width: p.inputWidth,
							height: p.inputHeight,
							destination: p.destination,
							pad: p.padValue
						};
						const actual = resampleToTensor(rgba, w, h, p.source, target, filter, prep, layout);
						expect(actual.length).toBe(expected.length);
						let differ = 0;
						for (let i = 0; i < expected.length; i++) if (actual[i] !== expected[i]) differ++;
						expect(differ, `${resize.mode} ${w}×${h} ${filter} ${layout}`).toBe(0);
						compared += expected.length;
					}
				}
			}
		}
		expect(compared).toBeGreaterThan(10_000);
	});

	it('matches at ImageNet size (shortest edge 256, crop 224) and writes at an offset', () => {
		const rgba = randomImage(320, 240, 42);
		const p = planResize(320, 240, {
			mode: 'shortest-edge-crop',
			width: 224,
			height: 224,
			shortestEdge: 256
		});
		const expected = reference(rgba, 320, 240, p, 'bilinear', imagenet, 'NCHW');
		const per = expected.length;
		const batch = new Float32Array(per * 3).fill(-7);
		const target = { width: 224, height: 224, destination: p.destination, pad: 0 };
		const same = resampleToTensor(
			rgba,
			320,
			240,
			p.source,
			target,
			'bilinear',
			imagenet,
			'NCHW',
			batch,
			per
		);
		expect(same).toBe(batch);
		let differ = 0;
		let touched = 0;
		for (let i = 0; i < per; i++) {
			if (batch[per + i] !== expected[i]) differ++;
			if (batch[i] !== -7 || batch[2 * per + i] !== -7) touched++;
		}
		expect(differ).toBe(0);
		expect(touched).toBe(0);
	});

	it('rejects a wrong buffer, a destination outside the input and a full tensor', () => {
		const rgba = randomImage(4, 4, 1);
		const all = { x: 0, y: 0, width: 4, height: 4 };
		const target = { width: 4, height: 4, destination: all, pad: 0 };
		const prep = preps.rgb;
		expect(() => resampleToTensor(rgba, 5, 4, all, target, 'bilinear', prep, 'NCHW')).toThrow(
			/expected 80 RGBA bytes/
		);
		const outside = { ...target, destination: { x: 1, y: 0, width: 4, height: 4 } };
		expect(() => resampleToTensor(rgba, 4, 4, all, outside, 'bilinear', prep, 'NCHW')).toThrow(
			RangeError
		);
		expect(() =>
			resampleToTensor(rgba, 4, 4, all, target, 'bilinear', prep, 'NCHW', new Float32Array(48), 1)
		).toThrow(/no room/);
		expect(() =>
			resampleToTensor(rgba, 4, 4, all, target, 'bilinear', { ...prep, mean: [0.5] }, 'NCHW')
		).toThrow(RangeError);
	});
});
