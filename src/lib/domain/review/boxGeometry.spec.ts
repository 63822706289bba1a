import { describe, expect, it } from 'vitest';
import {
	centredRect,
	clampRect,
	clampView,
	fitView,
	handlePoint,
	hitHandle,
	hitTest,
	imageToScreen,
	MIN_BOX,
	moveRect,
	normaliseDrag,
	nudgeRect,
	resizeRect,
	resizeRectByKey,
	roundRect,
	screenToImage,
	zoomView,
	type Handle,
	type Rect
} from './boxGeometry';

const img = { width: 100, height: 80 };
const r: Rect = { x: 10, y: 10, w: 20, h: 20 };

describe('normaliseDrag', () => {
	it('gives the same box whichever way the drag went', () => {
		const want = { x: 10, y: 20, w: 30, h: 40 };
		expect(normaliseDrag({ x: 10, y: 20 }, { x: 40, y: 60 }, img)).toEqual(want);
		expect(normaliseDrag({ x: 40, y: 60 }, { x: 10, y: 20 }, img)).toEqual(want);
		expect(normaliseDrag({ x: 40, y: 20 }, { x: 10, y: 60 }, img)).toEqual(want);
		expect(normaliseDrag({ x: 10, y: 60 }, { x: 40, y: 20 }, img)).toEqual(want);
	});
	it('clips a drag that leaves the image', () => {
		expect(normaliseDrag({ x: -20, y: 70 }, { x: 150, y: 200 }, img)).toEqual({
			x: 0,
			y: 70,
			w: 100,
			h: 10
		});
	});
});

describe('clampRect', () => {
	it('keeps a box inside the image without shrinking it', () => {
		expect(clampRect({ x: 90, y: -5, w: 20, h: 10 }, img)).toEqual({ x: 80, y: 0, w: 20, h: 10 });
	});
	it('enforces the minimum size and the image size', () => {
		expect(clampRect({ x: 5, y: 5, w: 0.5, h: 500 }, img)).toEqual({
			x: 5,
			y: 0,
			w: MIN_BOX,
			h: 80
		});
	});
});

describe('moveRect', () => {
	it('moves by the delta', () => {
		expect(moveRect(r, 5, -3, img)).toEqual({ x: 15, y: 7, w: 20, h: 20 });
	});
	it('stops at the edges and keeps the size', () => {
		expect(moveRect(r, 500, -500, img)).toEqual({ x: 80, y: 0, w: 20, h: 20 });
	});
});

describe('resizeRect', () => {
	const cases: [Handle, number, number, Rect][] = [
		['n', 0, -5, { x: 10, y: 5, w: 20, h: 25 }],
		['s', 0, 5, { x: 10, y: 10, w: 20, h: 25 }],
		['e', 5, 0, { x: 10, y: 10, w: 25, h: 20 }],
		['w', -5, 0, { x: 5, y: 10, w: 25, h: 20 }],
		['ne', 5, -5, { x: 10, y: 5, w: 25, h: 25 }],
		['nw', -5, -5, { x: 5, y: 5, w: 25, h: 25 }],
		['se', 5, 5, { x: 10, y: 10, w: 25, h: 25 }],
		['sw', -5, 5, { x: 5, y: 10, w: 25, h: 25 }]
	];
	it.each(cases)('handle %s moves only its edges', (handle, dx, dy, want) => {
		expect(resizeRect(r, handle, dx, dy, img)).toEqual(want);
	});
	it('ignores the axis a side handle does not own', () => {
		expect(resizeRect(r, 'e', 5, 50, img)).toEqual({ x: 10, y: 10, w: 25, h: 20 });
	});
	it('stops at the minimum size instead of flipping', () => {
		expect(resizeRect(r, 'se', -100, -100, img)).toEqual({ x: 10, y: 10, w: MIN_BOX, h: MIN_BOX });
		expect(resizeRect(r, 'nw', 100, 100, img)).toEqual({ x: 28, y: 28, w: MIN_BOX, h: MIN_BOX });
	});
	it('stops at the image border', () => {
		expect(resizeRect(r, 'nw', -100, -100, img)).toEqual({ x: 0, y: 0, w: 30, h: 30 });
		expect(resizeRect(r, 'se', 500, 500, img)).toEqual({ x: 10, y: 10, w: 90, h: 70 });
	});
});

describe('keyboard', () => {
	it('nudges 1 px, or 10 px with Shift', () => {
		expect(nudgeRect(r, 'ArrowRight', false, img)).toMatchObject({ x: 11, y: 10 });
		expect(nudgeRect(r, 'ArrowLeft', true, img)).toMatchObject({ x: 0, y: 10 });
		expect(nudgeRect(r, 'ArrowUp', false, img)).toMatchObject({ x: 10, y: 9 });
		expect(nudgeRect(r, 'ArrowDown', true, img)).toMatchObject({ x: 10, y: 20, w: 20, h: 20 });
	});
	it('does not nudge past the image', () => {
		expect(nudgeRect({ x: 79, y: 0, w: 20, h: 20 }, 'ArrowRight', true, img)).toMatchObject({
			x: 80
		});
	});
	it('Alt+arrows grow and shrink the right and bottom edges', () => {
		expect(resizeRectByKey(r, 'ArrowRight', false, img)).toEqual({ x: 10, y: 10, w: 21, h: 20 });
		expect(resizeRectByKey(r, 'ArrowLeft', true, img)).toEqual({ x: 10, y: 10, w: 10, h: 20 });
		expect(resizeRectByKey(r, 'ArrowDown', true, img)).toEqual({ x: 10, y: 10, w: 20, h: 30 });
		expect(resizeRectByKey(r, 'ArrowUp', false, img)).toEqual({ x: 10, y: 10, w: 20, h: 19 });
		expect(resizeRectByKey({ ...r, w: 3 }, 'ArrowLeft', true, img).w).toBe(MIN_BOX);
	});
	it('adds a centred box a quarter of the image', () => {
		expect(centredRect(img)).toEqual({ x: 38, y: 30, w: 25, h: 20 });
		expect(centredRect({ width: 3, height: 3 })).toEqual({ x: 1, y: 1, w: 2, h: 2 });
	});
	it('rounds to whole pixels', () => {
		expect(roundRect({ x: 1.4, y: 1.6, w: 2.5, h: 3.49 })).toEqual({ x: 1, y: 2, w: 3, h: 3 });
	});
});

describe('view transform', () => {
	const port = { width: 400, height: 400 };
	it('maps screen to image and back', () => {
		const view = { zoom: 2.5, panX: 30, panY: -12 };
		const p = { x: 17, y: 33 };
		const s = imageToScreen(p, view);
		expect(s).toEqual({ x: 72.5, y: 70.5 });
		const back = screenToImage(s, view);
		expect(back.x).toBeCloseTo(17, 9);
		expect(back.y).toBeCloseTo(33, 9);
	});
	it('fits the image centred', () => {
		expect(fitView(img, port)).toEqual({ zoom: 4, panX: 0, panY: 40 });
		expect(fitView(img, { width: 0, height: 0 })).toEqual({ zoom: 1, panX: 0, panY: 0 });
	});
	it('zooms around the pointer', () => {
		const fit = fitView(img, port);
		const at = { x: 100, y: 120 };
		const before = screenToImage(at, fit);
		const next = zoomView(fit, 2, at, img, port);
		expect(next.zoom).toBe(8);
		const after = screenToImage(at, next);
		expect(after.x).toBeCloseTo(before.x, 9);
		expect(after.y).toBeCloseTo(before.y, 9);
	});
	it('never zooms out past the fit nor in past the maximum', () => {
		const fit = fitView(img, port);
		expect(zoomView(fit, 0.5, { x: 0, y: 0 }, img, port)).toEqual(fit);
		expect(zoomView(fit, 1000, { x: 0, y: 0 }, img, port, 16).zoom).toBe(64);
	});
	it('keeps the zoomed image covering the viewport', () => {
		const v = clampView({ zoom: 8, panX: 50, panY: -5000 }, img, port);
		expect(v).toEqual({ zoom: 8, panX: 0, panY: 400 - 640 });
	});
});

describe('hitTest', () => {
	const boxes: Rect[] = [
		{ x: 0, y: 0, w: 50, h: 50 },
		{ x: 20, y: 20, w: 10, h: 10 }
	];
	it('finds the topmost box under the point', () => {
		expect(hitTest(boxes, { x: 25, y: 25 })).toBe(1);
		expect(hitTest(boxes, { x: 5, y: 5 })).toBe(0);
		expect(hitTest(boxes, { x: 30, y: 30 })).toBe(1);
	});
	it('returns -1 on empty space', () => {
		expect(hitTest(boxes, { x: 70, y: 70 })).toBe(-1);
		expect(hitTest([], { x: 0, y: 0 })).toBe(-1);
	});
});

describe('handlePoint', () => {
	it('puts handles on corners and edge midpoints', () => {
		expect(handlePoint(r, 'nw')).toEqual({ x: 10, y: 10 });
		expect(handlePoint(r, 'se')).toEqual({ x: 30, y: 30 });
		expect(handlePoint(r, 'n')).toEqual({ x: 20, y: 10 });
		expect(handlePoint(r, 'w')).toEqual({ x: 10, y: 20 });
	});
});

describe('hitHandle', () => {
	it('finds the handle near the point', () => {
		expect(hitHandle(r, { x: 31, y: 29 }, 2)).toBe('se');
		expect(hitHandle(r, { x: 20, y: 11 }, 2)).toBe('n');
		expect(hitHandle(r, { x: 20, y: 20 }, 2)).toBeNull();
	});
	it('prefers a corner on a tiny box', () => {
		expect(hitHandle({ x: 0, y: 0, w: 2, h: 2 }, { x: 0, y: 0 }, 3)).toBe('nw');
	});
});
