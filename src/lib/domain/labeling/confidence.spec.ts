import { describe, expect, it } from 'vitest';
import { ConfidenceLevel, confidenceLevel } from './confidence';

describe('confidenceLevel', () => {
	it('uses inclusive lower bounds', () => {
		expect(confidenceLevel(1)).toBe('high');
		expect(confidenceLevel(0.95)).toBe('high');
		expect(confidenceLevel(0.9499)).toBe('medium');
		expect(confidenceLevel(0.8)).toBe('medium');
		expect(confidenceLevel(0.7999)).toBe('low');
		expect(confidenceLevel(0.62)).toBe('low');
		expect(confidenceLevel(0.6)).toBe('low');
		expect(confidenceLevel(0.5999)).toBe('uncertain');
		expect(confidenceLevel(0)).toBe('uncertain');
	});

	it('treats NaN as uncertain', () => {
		expect(confidenceLevel(Number.NaN)).toBe('uncertain');
	});

	it('has a zod enum of the four levels', () => {
		expect(ConfidenceLevel.options).toEqual(['high', 'medium', 'low', 'uncertain']);
		expect(ConfidenceLevel.safeParse('medium').success).toBe(true);
		expect(ConfidenceLevel.safeParse('great').success).toBe(false);
	});
});
