import { describe, expect, it } from 'vitest';
import { axisTaps, resampleRgba, type ResampleFilter } from './resample';

const FILTERS: ResampleFilter[] = ['bilinear', 'bicubic', 'lanczos3'];

/** A one-row grey image: value v → RGBA (v, v, v, 255). */
function greyRow(values: number[]): Uint8ClampedArray {
	return new Uint8ClampedArray(values.flatMap((v) => [v, v, v, 255]));
}
const reds = (rgba: Uint8ClampedArray): number[] => [...rgba].filter((_, i) => i % 4 === 0);

describe('axisTaps', () => {
	it('widens the kernel by the reduction and repeats the edge pixel', () => {
		// Halving with a triangle: ±2 input pixels around centres 1 and 3.
		const taps = axisTaps(4, 0, 4, 2, 'bilinear');
		expect(taps.map((t) => t.start)).toEqual([0, 1]);
		expect([...(taps[0]?.weights ?? [])]).toEqual([0.5, 0.375, 0.125]);
		expect([...(taps[1]?.weights ?? [])]).toEqual([0.125, 0.375, 0.5]);
	});

	it('maps 1:1 onto single taps for every filter', () => {
		for (const filter of FILTERS) {
			for (const t of axisTaps(5, 0, 5, 5, filter)) {
				const weights = [...t.weights];
				expect(weights.filter((w) => w !== 0)).toEqual([1]);
			}
		}
	});
});

describe('resampleRgba', () => {
	it('copies pixels unchanged at the same size', () => {
		const rgba = new Uint8ClampedArray(6 * 4 * 4).map((_, i) => (i * 37) % 256);
		const all = { x: 0, y: 0, width: 6, height: 4 };
		for (const filter of FILTERS) {
			expect(resampleRgba(rgba, 6, 4, all, 6, 4, filter)).toEqual(rgba);
		}
	});

	it('keeps a flat image flat, negative lobes included', () => {
		const flat = new Uint8ClampedArray(9 * 7 * 4).fill(200);
		for (const filter of FILTERS) {
			const out = resampleRgba(flat, 9, 7, { x: 0, y: 0, width: 9, height: 7 }, 4, 3, filter);
			expect(new Set(out)).toEqual(new Set([200]));
		}
	});

	it('interpolates when enlarging (hand-computed bilinear)', () => {
		// Centres of the 4 outputs fall at 0.25, 0.75, 1.25, 1.75 input pixels.
		const out = resampleRgba(
			greyRow([0, 255]),
			2,
			1,
			{ x: 0, y: 0, width: 2, height: 1 },
			4,
			1,
			'bilinear'
		);
		expect(reds(out)).toEqual([0, 64, 191, 255]);
	});

	it('averages when shrinking, and reads only the source region', () => {
		const row = greyRow([0, 40, 80, 120, 160, 200]);
		const half = resampleRgba(row, 6, 1, { x: 0, y: 0, width: 6, height: 1 }, 3, 1, 'bilinear');
		// Output 1 (centre 3): 0.125·40 + 0.375·80 + 0.375·120 + 0.125·160 = 100
		expect(reds(half)[1]).toBe(100);
		const crop = resampleRgba(row, 6, 1, { x: 2, y: 0, width: 2, height: 1 }, 2, 1, 'lanczos3');
		expect(reds(crop)).toEqual([80, 120]);
	});

	it('refuses a buffer of the wrong size', () => {
		expect(() =>
			resampleRgba(
				new Uint8ClampedArray(10),
				2,
				2,
				{ x: 0, y: 0, width: 2, height: 2 },
				1,
				1,
				'bilinear'
			)
		).toThrow('expected 16 RGBA bytes for 2×2, got 10');
	});
});
