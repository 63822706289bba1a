/**
 * A 32-bit hash of (seed, id): orders things in a seeded random way that is stable across
 * reloads and machines (the review queue's shuffle, export splits).
 */
export function seededHash(seed: number, id: number): number {
	let h = (seed ^ Math.imul(id, 0x9e3779b1)) >>> 0;
	h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
	h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
	return (h ^ (h >>> 16)) >>> 0;
}
