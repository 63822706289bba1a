import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { adler32, zlibStored } from './zlib';

describe('zlibStored', () => {
	it('has the known Adler-32 values', () => {
		expect(adler32(new TextEncoder().encode('Wikipedia'))).toBe(0x11e60398);
		expect(adler32(new Uint8Array())).toBe(1);
	});

	it('is a zlib stream any inflater reads back', () => {
		for (const n of [0, 1, 65535, 65536, 200_000]) {
			const data = Uint8Array.from({ length: n }, (_, i) => (i * 7919) & 0xff);
			const back = new Uint8Array(inflateSync(zlibStored(data)));
			expect(back.length).toBe(n);
			expect(Buffer.from(back).equals(Buffer.from(data))).toBe(true);
		}
		expect([...zlibStored(new Uint8Array())]).toEqual([
			0x78, 0x01, 1, 0, 0, 0xff, 0xff, 0, 0, 0, 1
		]);
	});
});
