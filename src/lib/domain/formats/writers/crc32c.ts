/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of TFRecord framing,
 * and TensorFlow's "masked" form of it (a CRC of data that holds CRCs is weak, so TFRecord
 * rotates and offsets the value before storing it).
 */

const TABLE = (() => {
	const t = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
		t[n] = c >>> 0;
	}
	return t;
})();

/**
 * The CRC-32C of `bytes`; pass a previous result as `crc` to continue over more bytes.
 *
 * Example: `crc32c(new TextEncoder().encode('123456789'))` → `0xe3069283`.
 */
export function crc32c(bytes: Uint8Array, crc = 0): number {
	let c = ~crc >>> 0;
	for (let i = 0; i < bytes.length; i++)
		c = (TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
	return ~c >>> 0;
}

/** TFRecord's masked CRC: `((crc >>> 15) | (crc << 17)) + 0xa282ead8`, modulo 2^32. */
export function maskedCrc32c(bytes: Uint8Array): number {
	const crc = crc32c(bytes);
	return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}
