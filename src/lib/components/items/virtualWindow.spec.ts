import { describe, expect, it } from 'vitest';
import {
	MAX_SPACER_PX,
	clampContentTop,
	gridLayout,
	moveIndex,
	revealRow,
	scrollScale,
	spacerHeight,
	visibleRows
} from './virtualWindow';

describe('spacer cap', () => {
	it('uses the real height below the cap', () => {
		expect(spacerHeight(100_000, 56)).toBe(5_600_000);
		expect(scrollScale(100_000, 56, 600)).toBe(1);
	});

	it('caps the spacer and maps the last scroll position to the last row', () => {
		const rows = 1_000_000;
		const rowHeight = 56;
		const viewport = 600;
		expect(spacerHeight(rows, rowHeight)).toBe(MAX_SPACER_PX);
		const scale = scrollScale(rows, rowHeight, viewport);
		expect(scale).toBeGreaterThan(3);
		const lastScroll = MAX_SPACER_PX - viewport;
		expect(lastScroll * scale).toBeCloseTo(rows * rowHeight - viewport, 3);
		const { end } = visibleRows(lastScroll * scale, viewport, rowHeight, rows, 0);
		expect(end).toBe(rows);
	});
});

describe('visibleRows', () => {
	it('adds overscan and stays within bounds', () => {
		expect(visibleRows(560, 300, 56, 1000, 2)).toEqual({ start: 8, end: 18 });
		expect(visibleRows(0, 300, 56, 3, 5)).toEqual({ start: 0, end: 3 });
		expect(visibleRows(0, 300, 56, 0, 5)).toEqual({ start: 0, end: 0 });
	});
});

describe('revealRow', () => {
	it('moves only as far as needed', () => {
		expect(revealRow(5, 0, 300, 56)).toBe(6 * 56 - 300);
		expect(revealRow(2, 0, 300, 56)).toBe(0);
		expect(revealRow(1, 200, 300, 56)).toBe(56);
	});

	it('clamps content offsets', () => {
		expect(clampContentTop(-10, 10, 56, 300)).toBe(0);
		expect(clampContentTop(10_000, 10, 56, 300)).toBe(260);
	});
});

describe('gridLayout', () => {
	it('fits square cells of at least the minimum size', () => {
		const { columns, cell, rowHeight } = gridLayout(1000, 160, 12);
		expect(columns).toBe(5);
		expect(cell).toBeGreaterThanOrEqual(160);
		expect(rowHeight).toBe(cell + 12);
		expect(gridLayout(100, 160, 12).columns).toBe(1);
	});
});

describe('moveIndex', () => {
	it('moves by rows in a grid and by items in a list', () => {
		expect(moveIndex('ArrowDown', 2, 100, 5, 3)).toBe(7);
		expect(moveIndex('ArrowUp', 2, 100, 5, 3)).toBe(2);
		expect(moveIndex('ArrowRight', 2, 100, 5, 3)).toBe(3);
		expect(moveIndex('ArrowLeft', 0, 100, 5, 3)).toBe(0);
		expect(moveIndex('ArrowLeft', 4, 100, 1, 3)).toBe(4);
		expect(moveIndex('ArrowDown', 4, 100, 1, 3)).toBe(5);
	});

	it('lands on the last item of a shorter last row', () => {
		expect(moveIndex('ArrowDown', 7, 10, 4, 3)).toBe(9);
		expect(moveIndex('ArrowDown', 9, 10, 4, 3)).toBe(9);
	});

	it('pages and jumps to the ends', () => {
		expect(moveIndex('PageDown', 0, 100, 5, 3)).toBe(15);
		expect(moveIndex('PageUp', 10, 100, 5, 3)).toBe(0);
		expect(moveIndex('Home', 50, 100, 5, 3)).toBe(0);
		expect(moveIndex('End', 0, 100, 5, 3)).toBe(99);
	});
});
