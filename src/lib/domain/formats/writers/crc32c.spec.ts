import { describe, expect, it } from 'vitest';
import { crc32c, maskedCrc32c } from './crc32c';

const ascii = (s: string) => new TextEncoder().encode(s);

describe('crc32c', () => {
	it('matches the known check values', () => {
		expect(crc32c(ascii('123456789'))).toBe(0xe3069283);
		expect(crc32c(new Uint8Array())).toBe(0);
		// RFC 3720 (iSCSI) B.4: 32 bytes of zeros, of 0xff, and 0..31.
		expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
		expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
		expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
	});

	it('continues over chunks', () => {
		const all = ascii('hello, tfrecord');
		expect(crc32c(all.subarray(5), crc32c(all.subarray(0, 5)))).toBe(crc32c(all));
	});

	it('masks as TensorFlow does', () => {
		const crc = 0xe3069283;
		const expected = ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) % 2 ** 32;
		expect(maskedCrc32c(ascii('123456789'))).toBe(expected);
		// Mask of the CRC of an empty string: rotate(0) + delta.
		expect(maskedCrc32c(new Uint8Array())).toBe(0xa282ead8);
	});
});
