import { describe, expect, it } from 'vitest';
import { addScores, binIndex, emptyHistogram, mergeHistograms } from './histogram';
import { ConfidenceHistogram } from './schemas';

describe('confidence histogram', () => {
	it('puts each tenth in its own bin, 1 in the last, clamping the rest', () => {
		expect([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1].map(binIndex)).toEqual([
			0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9
		]);
		expect([0.0999, 0.95, -0.2, 1.4, Number.NaN].map(binIndex)).toEqual([0, 9, 0, 9, 0]);
	});

	it('counts bins and levels', () => {
		const h = addScores(emptyHistogram(), [0.62, 0.97, 0.95, 0.85, 0.3, 1]);
		expect(h).toEqual({
			bins: [0, 0, 0, 1, 0, 0, 1, 0, 1, 3],
			levels: { high: 3, medium: 1, low: 1, uncertain: 1 },
			total: 6
		});
		expect(ConfidenceHistogram.parse(h)).toEqual(h);
	});

	it('merging batch histograms equals one histogram of all scores', () => {
		const a = [0.1, 0.55, 0.99];
		const b = [0.81, 0.6, 0.61, 0.05];
		const whole = addScores(emptyHistogram(), [...a, ...b]);
		const ha = addScores(emptyHistogram(), a);
		const hb = addScores(emptyHistogram(), b);
		expect(mergeHistograms(ha, hb)).toEqual(whole);
		expect(mergeHistograms(hb, ha)).toEqual(whole);
		expect(mergeHistograms(emptyHistogram(), ha)).toEqual(ha);
	});

	it('does not mutate its input', () => {
		const h = emptyHistogram();
		addScores(h, [0.5]);
		expect(h).toEqual(emptyHistogram());
	});
});
