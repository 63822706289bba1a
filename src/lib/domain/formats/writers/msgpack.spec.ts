import { describe, expect, it } from 'vitest';
import { decodeMsgpack, encodeMsgpack, Float64 } from './msgpack';

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(' ');

describe('msgpack', () => {
	it('encodes scalars in their smallest forms', () => {
		expect(hex(encodeMsgpack(null))).toBe('c0');
		expect(hex(encodeMsgpack(true))).toBe('c3');
		expect(hex(encodeMsgpack(false))).toBe('c2');
		expect(hex(encodeMsgpack(0))).toBe('00');
		expect(hex(encodeMsgpack(127))).toBe('7f');
		expect(hex(encodeMsgpack(128))).toBe('cc 80');
		expect(hex(encodeMsgpack(65536))).toBe('ce 00 01 00 00');
		expect(hex(encodeMsgpack(-1))).toBe('ff');
		expect(hex(encodeMsgpack(-33))).toBe('d0 df');
		expect(hex(encodeMsgpack(-129))).toBe('d1 ff 7f');
		expect(hex(encodeMsgpack(2n ** 64n - 1n))).toBe('cf ff ff ff ff ff ff ff ff');
		expect(hex(encodeMsgpack(-(2n ** 63n)))).toBe('d3 80 00 00 00 00 00 00 00');
		expect(hex(encodeMsgpack(1.5))).toBe('cb 3f f8 00 00 00 00 00 00');
		expect(hex(encodeMsgpack(new Float64(1)))).toBe('cb 3f f0 00 00 00 00 00 00');
		expect(hex(encodeMsgpack('a'))).toBe('a1 61');
		expect(hex(encodeMsgpack(Uint8Array.of(1, 2)))).toBe('c4 02 01 02');
		expect(hex(encodeMsgpack({ a: [1, 'x'] }))).toBe('81 a1 61 92 01 a1 78');
	});

	it('uses the longer headers past the fix sizes', () => {
		expect(hex(encodeMsgpack('x'.repeat(32)).subarray(0, 2))).toBe('d9 20');
		expect(hex(encodeMsgpack('x'.repeat(256)).subarray(0, 3))).toBe('da 01 00');
		expect(hex(encodeMsgpack('x'.repeat(65536)).subarray(0, 5))).toBe('db 00 01 00 00');
		expect(hex(encodeMsgpack(new Uint8Array(256)).subarray(0, 3))).toBe('c5 01 00');
		expect(hex(encodeMsgpack(new Array(16).fill(0)).subarray(0, 3))).toBe('dc 00 10');
		const big = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, i]));
		expect(hex(encodeMsgpack(big).subarray(0, 3))).toBe('de 00 10');
	});

	it('round-trips nested values', () => {
		const value = {
			version: '0.1',
			attrs: [65, 77, 78],
			tokens: Uint8Array.from({ length: 70000 }, (_, i) => i & 0xff),
			strings: ['', 'Zoë', '👍', 'x'.repeat(300)],
			nums: [0, -1, -32, -33, 255, 256, -32768, 2 ** 31, -(2 ** 31), 2 ** 40, -(2 ** 40), 0.25],
			huge: 2n ** 63n + 5n,
			flags: [{ has_unknown_spaces: false }],
			empty: {},
			nil: null
		};
		const back = decodeMsgpack(encodeMsgpack(value));
		expect(back).toEqual(value);
	});

	it('writes maps in insertion order', () => {
		const m = new Map([
			['b', 1],
			['a', 2]
		]);
		expect(hex(encodeMsgpack(m))).toBe('82 a1 62 01 a1 61 02');
	});
});
