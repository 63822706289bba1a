import { describe, expect, it } from 'vitest';
import { formatDuration } from './formatDuration';

describe('formatDuration', () => {
	it('reads as seconds, minutes or hours', () => {
		expect(formatDuration(0)).toBe('0 s');
		expect(formatDuration(42.4)).toBe('42 s');
		expect(formatDuration(185)).toBe('3 min 5 s');
		expect(formatDuration(3720)).toBe('1 h 2 min');
	});

	it('never shows negative time', () => {
		expect(formatDuration(-5)).toBe('0 s');
	});
});
