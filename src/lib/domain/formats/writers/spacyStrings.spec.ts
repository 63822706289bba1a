import { describe, expect, it } from 'vitest';
import { murmurHash64A, stringId } from './spacyStrings';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('spaCy string ids', () => {
	it('hashes with MurmurHash64A, seed 1, as spaCy does', () => {
		// spaCy's documentation: nlp.vocab.strings["coffee"] == 3197928453018144401.
		expect(stringId('coffee')).toBe(3197928453018144401n);
		expect(BigInt.asIntN(64, murmurHash64A(utf8('Hello')))).toBe(-2669438365559520065n);
		// Tails of every length and multi-byte UTF-8.
		expect(BigInt.asIntN(64, stringId('😀'))).toBe(-4546137833720672511n);
		expect(stringId('café')).toBe(32833993555699147n);
	});

	it('gives built-in symbols their fixed ids', () => {
		expect(stringId('')).toBe(0n);
		expect(stringId('IS_ALPHA')).toBe(1n);
		expect(stringId('FLAG42')).toBe(42n);
		expect(stringId('ORTH')).toBe(65n);
		expect(stringId('ENT_IOB')).toBe(77n);
		expect(stringId('SPACE')).toBe(103n);
		expect(stringId('X')).toBe(101n);
		expect(stringId('DEPRECATED276')).toBe(379n);
		expect(stringId('PERSON')).toBe(380n);
		expect(stringId('LAW')).toBe(390n);
		expect(stringId('aux')).toBe(405n);
		expect(stringId('dep')).toBe(414n);
		expect(stringId('root')).toBe(449n);
		expect(stringId('_')).toBe(456n);
		// Lookalikes are hashed.
		expect(stringId('person')).toBeGreaterThan(456n);
	});
});
