/**
 * Pure geometry of the virtualised item view. Content coordinates (`contentTop`) are what
 * the rows would occupy laid out in full; the scroller's own `scrollTop` lives in a spacer
 * that is capped at MAX_SPACER_PX, because browsers stop laying out (or silently clamp)
 * elements taller than a few tens of millions of pixels. Past the cap one scroll pixel
 * stands for `scale` content pixels.
 */

export const MAX_SPACER_PX = 15_000_000;

/** Height of the scroll spacer for `rows` rows: the real height, capped. */
export function spacerHeight(rows: number, rowHeight: number): number {
	return Math.min(rows * rowHeight, MAX_SPACER_PX);
}

/**
 * Content pixels per scroll pixel: 1 below the cap, more above it, chosen so that the last
 * scroll position shows the last row.
 *
 * Example: `scrollScale(1_000_000, 56, 600)` → about 3.73
 */
export function scrollScale(rows: number, rowHeight: number, viewportHeight: number): number {
	const content = rows * rowHeight;
	const spacer = spacerHeight(rows, rowHeight);
	if (content <= spacer) return 1;
	const spacerRange = spacer - viewportHeight;
	return spacerRange > 0 ? (content - viewportHeight) / spacerRange : 1;
}

/** Largest meaningful content offset (the last row at the bottom of the viewport). */
export function maxContentTop(rows: number, rowHeight: number, viewportHeight: number): number {
	return Math.max(0, rows * rowHeight - viewportHeight);
}

export function clampContentTop(
	top: number,
	rows: number,
	rowHeight: number,
	viewportHeight: number
): number {
	return Math.min(Math.max(0, top), maxContentTop(rows, rowHeight, viewportHeight));
}

/**
 * Rows to render: those intersecting the viewport plus `overscan` on each side;
 * `end` is exclusive.
 *
 * Example: `visibleRows(560, 300, 56, 1000, 2)` → `{ start: 8, end: 18 }`
 */
export function visibleRows(
	contentTop: number,
	viewportHeight: number,
	rowHeight: number,
	rows: number,
	overscan: number
): { start: number; end: number } {
	if (rows <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
	const first = Math.floor(contentTop / rowHeight);
	const last = Math.ceil((contentTop + Math.max(viewportHeight, rowHeight)) / rowHeight);
	return {
		start: Math.max(0, Math.min(rows - 1, first - overscan)),
		end: Math.min(rows, Math.max(0, last + overscan))
	};
}

/**
 * The content offset that brings `row` fully into view, moving as little as possible
 * (unchanged when it is already visible).
 */
export function revealRow(
	row: number,
	contentTop: number,
	viewportHeight: number,
	rowHeight: number
): number {
	const top = row * rowHeight;
	const bottom = top + rowHeight;
	if (top < contentTop) return top;
	if (bottom > contentTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
	return contentTop;
}

/** Grid geometry for a container width: columns, square cell size and row pitch. */
export function gridLayout(
	width: number,
	minCell: number,
	gap: number
): { columns: number; cell: number; rowHeight: number } {
	const usable = Math.max(minCell, width);
	const columns = Math.max(1, Math.floor((usable + gap) / (minCell + gap)));
	const cell = Math.floor((usable - gap * (columns - 1)) / columns);
	return { columns, cell, rowHeight: cell + gap };
}

export type MoveKey =
	'ArrowUp' | 'ArrowDown' | 'ArrowLeft' | 'ArrowRight' | 'Home' | 'End' | 'PageUp' | 'PageDown';

const MOVE_KEYS = new Set<string>([
	'ArrowUp',
	'ArrowDown',
	'ArrowLeft',
	'ArrowRight',
	'Home',
	'End',
	'PageUp',
	'PageDown'
]);

export const isMoveKey = (key: string): key is MoveKey => MOVE_KEYS.has(key);

/**
 * Where the active item goes for a navigation key: by one item sideways, by one row
 * (`columns` items) up or down, by a screenful (`pageRows` rows) for PageUp/PageDown.
 * In a one-column list Left/Right do nothing.
 *
 * Example: `moveIndex('ArrowDown', 2, 100, 5, 3)` → 7
 */
export function moveIndex(
	key: MoveKey,
	index: number,
	count: number,
	columns: number,
	pageRows: number
): number {
	if (count <= 0) return 0;
	const last = count - 1;
	const page = Math.max(1, pageRows) * columns;
	const clamp = (i: number) => Math.min(last, Math.max(0, i));
	switch (key) {
		case 'ArrowLeft':
			return columns > 1 ? clamp(index - 1) : index;
		case 'ArrowRight':
			return columns > 1 ? clamp(index + 1) : index;
		case 'ArrowUp':
			return index - columns >= 0 ? index - columns : index;
		case 'ArrowDown':
			// From a full row onto a shorter last row, land on its last item.
			return Math.floor(index / columns) < Math.floor(last / columns)
				? Math.min(last, index + columns)
				: index;
		case 'Home':
			return 0;
		case 'End':
			return last;
		case 'PageUp':
			return clamp(index - page);
		case 'PageDown':
			return clamp(index + page);
	}
}
