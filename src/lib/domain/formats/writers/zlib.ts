/**
 * zlib framing (RFC 1950) around deflate "stored" blocks: valid input for every inflater
 * (Python's `zlib.decompress`, browsers' `DecompressionStream`), with no compression code.
 * Exports that use it mark the entry `compress: true`, so the zip deflates it instead.
 */

/** Adler-32 of `bytes` (the zlib trailer). */
export function adler32(bytes: Uint8Array): number {
	let a = 1;
	let b = 0;
	// 5552 is the largest run whose sums can't overflow before the modulo (zlib's NMAX).
	for (let at = 0; at < bytes.length; at += 5552) {
		const end = Math.min(bytes.length, at + 5552);
		for (let i = at; i < end; i++) {
			a += bytes[i] as number;
			b += a;
		}
		a %= 65521;
		b %= 65521;
	}
	return ((b << 16) | a) >>> 0;
}

/**
 * `bytes` as a zlib stream of stored blocks (65,535 bytes each at most).
 *
 * Example: `zlibStored(new Uint8Array())` → `78 01 01 00 00 ff ff 00 00 00 01`.
 */
export function zlibStored(bytes: Uint8Array): Uint8Array {
	const blocks = Math.max(1, Math.ceil(bytes.length / 65535));
	const out = new Uint8Array(2 + blocks * 5 + bytes.length + 4);
	out[0] = 0x78;
	out[1] = 0x01;
	let w = 2;
	for (let i = 0; i < blocks; i++) {
		const part = bytes.subarray(i * 65535, Math.min(bytes.length, (i + 1) * 65535));
		out[w++] = i === blocks - 1 ? 1 : 0;
		out[w++] = part.length & 0xff;
		out[w++] = part.length >>> 8;
		out[w++] = ~part.length & 0xff;
		out[w++] = (~part.length >>> 8) & 0xff;
		out.set(part, w);
		w += part.length;
	}
	new DataView(out.buffer).setUint32(w, adler32(bytes));
	return out;
}
