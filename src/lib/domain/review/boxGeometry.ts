import type { AnnotationValue } from '$lib/domain/schemas';

/**
 * Geometry of the bounding-box editor, in image pixels (the image's natural size): drawing,
 * clamping, moving, resizing, keyboard nudges, the zoom/pan view transform and hit-testing.
 * Pure functions, so the editor component only wires events to them.
 */

/** One box of a `boxes` annotation; `score` is the model's, null once a person drew or edited it. */
export type Box = Extract<AnnotationValue, { type: 'boxes' }>['boxes'][number];
export type Rect = { x: number; y: number; w: number; h: number };
export type Point = { x: number; y: number };
export type Size = { width: number; height: number };
export type Handle = 'n' | 's' | 'e' | 'w' | 'ne' | 'nw' | 'se' | 'sw';
export type ArrowKey = 'ArrowUp' | 'ArrowDown' | 'ArrowLeft' | 'ArrowRight';
/** Screen = image × zoom + pan (pan in screen pixels, relative to the viewport's top left). */
export type View = { zoom: number; panX: number; panY: number };

export const MIN_BOX = 2;
/** Corners first, so a tiny box's corner wins over its edge midpoints. */
export const HANDLES: readonly Handle[] = ['nw', 'ne', 'se', 'sw', 'n', 'e', 's', 'w'];
export const NUDGE = 1;
export const NUDGE_BIG = 10;

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

export function isArrowKey(key: string): key is ArrowKey {
	return key === 'ArrowUp' || key === 'ArrowDown' || key === 'ArrowLeft' || key === 'ArrowRight';
}

/**
 * The box spanned by a drag from `a` to `b` in any direction, clipped to the image.
 *
 * Example: `normaliseDrag({x: 50, y: 40}, {x: 10, y: 60}, {width: 100, height: 100})`
 * → `{x: 10, y: 40, w: 40, h: 20}`
 */
export function normaliseDrag(a: Point, b: Point, image: Size): Rect {
	const x1 = clamp(Math.min(a.x, b.x), 0, image.width);
	const y1 = clamp(Math.min(a.y, b.y), 0, image.height);
	const x2 = clamp(Math.max(a.x, b.x), 0, image.width);
	const y2 = clamp(Math.max(a.y, b.y), 0, image.height);
	return { x: x1, y: y1, w: x2 - x1, h: y2 - y1 };
}

/** The box made at least MIN_BOX (where the image allows), at most the image, and inside it. */
export function clampRect(r: Rect, image: Size): Rect {
	const w = clamp(r.w, Math.min(MIN_BOX, image.width), image.width);
	const h = clamp(r.h, Math.min(MIN_BOX, image.height), image.height);
	return { x: clamp(r.x, 0, image.width - w), y: clamp(r.y, 0, image.height - h), w, h };
}

/** Moves a box by (dx, dy), stopping at the image's edges without changing its size. */
export function moveRect(r: Rect, dx: number, dy: number, image: Size): Rect {
	return clampRect({ ...r, x: r.x + dx, y: r.y + dy }, image);
}

/**
 * Drags one handle by (dx, dy): the handle's edges move, the opposite edges stay. An edge stops
 * MIN_BOX from its opposite edge and at the image's border.
 *
 * Example: `resizeRect({x: 10, y: 10, w: 20, h: 20}, 'se', 5, -30, img)` → `{x: 10, y: 10, w: 25, h: 2}`
 */
export function resizeRect(r: Rect, handle: Handle, dx: number, dy: number, image: Size): Rect {
	let left = r.x;
	let top = r.y;
	let right = r.x + r.w;
	let bottom = r.y + r.h;
	if (handle.includes('w')) left = clamp(left + dx, 0, right - MIN_BOX);
	if (handle.includes('e')) right = clamp(right + dx, left + MIN_BOX, image.width);
	if (handle.includes('n')) top = clamp(top + dy, 0, bottom - MIN_BOX);
	if (handle.includes('s')) bottom = clamp(bottom + dy, top + MIN_BOX, image.height);
	return clampRect({ x: left, y: top, w: right - left, h: bottom - top }, image);
}

function arrowDelta(key: ArrowKey, step: number): [number, number] {
	if (key === 'ArrowLeft') return [-step, 0];
	if (key === 'ArrowRight') return [step, 0];
	if (key === 'ArrowUp') return [0, -step];
	return [0, step];
}

/** Arrow key: moves the box 1 px, or 10 px with Shift. */
export function nudgeRect(r: Rect, key: ArrowKey, big: boolean, image: Size): Rect {
	const [dx, dy] = arrowDelta(key, big ? NUDGE_BIG : NUDGE);
	return moveRect(r, dx, dy, image);
}

/** Alt+arrow: Right/Left grow/shrink the right edge, Down/Up grow/shrink the bottom edge. */
export function resizeRectByKey(r: Rect, key: ArrowKey, big: boolean, image: Size): Rect {
	const [dx, dy] = arrowDelta(key, big ? NUDGE_BIG : NUDGE);
	return resizeRect(r, 'se', dx, dy, image);
}

/** A new box centred in the image, a quarter of its width and height. */
export function centredRect(image: Size): Rect {
	const w = Math.max(MIN_BOX, Math.round(image.width / 4));
	const h = Math.max(MIN_BOX, Math.round(image.height / 4));
	return clampRect(
		{ x: Math.round((image.width - w) / 2), y: Math.round((image.height - h) / 2), w, h },
		image
	);
}

/** Rounds a box's position and size to whole pixels (what the editor stores). */
export function roundRect(r: Rect): Rect {
	return { x: Math.round(r.x), y: Math.round(r.y), w: Math.round(r.w), h: Math.round(r.h) };
}

export function screenToImage(p: Point, view: View): Point {
	return { x: (p.x - view.panX) / view.zoom, y: (p.y - view.panY) / view.zoom };
}

export function imageToScreen(p: Point, view: View): Point {
	return { x: p.x * view.zoom + view.panX, y: p.y * view.zoom + view.panY };
}

/** The view that shows the whole image centred in the viewport. */
export function fitView(image: Size, viewport: Size): View {
	if (image.width <= 0 || image.height <= 0 || viewport.width <= 0 || viewport.height <= 0) {
		return { zoom: 1, panX: 0, panY: 0 };
	}
	const zoom = Math.min(viewport.width / image.width, viewport.height / image.height);
	return {
		zoom,
		panX: (viewport.width - image.width * zoom) / 2,
		panY: (viewport.height - image.height * zoom) / 2
	};
}

/** Keeps the image in view: centred on an axis where it is smaller than the viewport, else covering it. */
export function clampView(view: View, image: Size, viewport: Size): View {
	const axis = (pan: number, img: number, port: number): number =>
		img <= port ? (port - img) / 2 : clamp(pan, port - img, 0);
	return {
		zoom: view.zoom,
		panX: axis(view.panX, image.width * view.zoom, viewport.width),
		panY: axis(view.panY, image.height * view.zoom, viewport.height)
	};
}

/**
 * Zooms by `factor` keeping the screen point `at` over the same image point; the zoom stays
 * between the fitted zoom and `maxFactor` times it.
 */
export function zoomView(
	view: View,
	factor: number,
	at: Point,
	image: Size,
	viewport: Size,
	maxFactor = 16
): View {
	const fit = fitView(image, viewport).zoom;
	const zoom = clamp(view.zoom * factor, fit, fit * maxFactor);
	const anchor = screenToImage(at, view);
	const next = { zoom, panX: at.x - anchor.x * zoom, panY: at.y - anchor.y * zoom };
	return clampView(next, image, viewport);
}

export function containsPoint(r: Rect, p: Point): boolean {
	return p.x >= r.x && p.x <= r.x + r.w && p.y >= r.y && p.y <= r.y + r.h;
}

/** Index of the topmost (last drawn) box containing the point, or -1. */
export function hitTest(boxes: readonly Rect[], p: Point): number {
	for (let i = boxes.length - 1; i >= 0; i--) {
		const b = boxes[i];
		if (b && containsPoint(b, p)) return i;
	}
	return -1;
}

/** Where a handle sits on a box (image pixels). */
export function handlePoint(r: Rect, handle: Handle): Point {
	const x = handle.includes('w') ? r.x : handle.includes('e') ? r.x + r.w : r.x + r.w / 2;
	const y = handle.includes('n') ? r.y : handle.includes('s') ? r.y + r.h : r.y + r.h / 2;
	return { x, y };
}

/** The handle within `tolerance` image pixels of the point (corners win over edges), or null. */
export function hitHandle(r: Rect, p: Point, tolerance: number): Handle | null {
	for (const handle of HANDLES) {
		const q = handlePoint(r, handle);
		if (Math.abs(q.x - p.x) <= tolerance && Math.abs(q.y - p.y) <= tolerance) return handle;
	}
	return null;
}
