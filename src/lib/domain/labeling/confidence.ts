import { z } from 'zod';

/**
 * Confidence levels from the product spec (DESIGN.md "Confidence levels"): high ≥ 0.95,
 * medium ≥ 0.80, low ≥ 0.60, uncertain below. Lower bounds are inclusive.
 */
export const ConfidenceLevel = z.enum(['high', 'medium', 'low', 'uncertain']);
export type ConfidenceLevel = z.infer<typeof ConfidenceLevel>;

/** Inclusive lower bound of each level, best first. */
export const LEVEL_FLOORS: readonly { level: ConfidenceLevel; min: number }[] = [
	{ level: 'high', min: 0.95 },
	{ level: 'medium', min: 0.8 },
	{ level: 'low', min: 0.6 }
];

/**
 * The level of a score. A score that is not a number (NaN) is 'uncertain'.
 *
 * Example: `confidenceLevel(0.62) === 'low'`, `confidenceLevel(0.95) === 'high'`.
 */
export function confidenceLevel(score: number): ConfidenceLevel {
	for (const { level, min } of LEVEL_FLOORS) if (score >= min) return level;
	return 'uncertain';
}
