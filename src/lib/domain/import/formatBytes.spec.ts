import { describe, it, expect } from 'vitest';
import { formatBytes } from './formatBytes';

describe('formatBytes', () => {
	it.each([
		[0, '0 B'],
		[1, '1 B'],
		[1023, '1023 B'],
		[1024, '1 KiB'],
		[1536, '1.5 KiB'],
		[10 * 1024 - 1, '10 KiB'],
		[123 * 1024, '123 KiB'],
		[1024 * 1024 - 1, '1 MiB'],
		[50 * 1024 * 1024, '50 MiB'],
		[1.25 * 1024 ** 3, '1.3 GiB'],
		[4 * 1024 ** 3, '4 GiB'],
		[2 * 1024 ** 4, '2 TiB'],
		[-2048, '-2 KiB']
	])('%d → %s', (n, text) => {
		expect(formatBytes(n)).toBe(text);
	});
});
