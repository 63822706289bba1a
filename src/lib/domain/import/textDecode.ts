/** Decoded text, or a message that tells the user where the file stops being valid text. */
export type DecodeResult =
	| { ok: true; text: string; encoding: 'utf-8' | 'utf-16le' | 'utf-16be' }
	| { ok: false; message: string; line: number | null };

const LF = 0x0a;
const CR = 0x0d;

/**
 * Offset of the first byte of the first ill-formed UTF-8 sequence at or after `from`, or -1.
 * Follows the Unicode well-formed byte table, so overlongs, surrogates and code points past
 * U+10FFFF are ill-formed exactly as `TextDecoder` with `fatal: true` sees them.
 */
function firstInvalidUtf8(bytes: Uint8Array, from: number): number {
	const n = bytes.length;
	const cont = (at: number, lo = 0x80, hi = 0xbf) => {
		const b = bytes[at];
		return b !== undefined && b >= lo && b <= hi;
	};
	let i = from;
	while (i < n) {
		const b = bytes[i] as number;
		if (b < 0x80) {
			i++;
			continue;
		}
		let len = 0;
		if (b >= 0xc2 && b <= 0xdf) len = cont(i + 1) ? 2 : 0;
		else if (b === 0xe0) len = cont(i + 1, 0xa0) && cont(i + 2) ? 3 : 0;
		else if (b === 0xed) len = cont(i + 1, 0x80, 0x9f) && cont(i + 2) ? 3 : 0;
		else if (b >= 0xe1 && b <= 0xef) len = cont(i + 1) && cont(i + 2) ? 3 : 0;
		else if (b === 0xf0) len = cont(i + 1, 0x90) && cont(i + 2) && cont(i + 3) ? 4 : 0;
		else if (b >= 0xf1 && b <= 0xf3) len = cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0;
		else if (b === 0xf4) len = cont(i + 1, 0x80, 0x8f) && cont(i + 2) && cont(i + 3) ? 4 : 0;
		if (len === 0) return i;
		i += len;
	}
	return -1;
}

/** 1-based line of a byte offset; CRLF, LF and a lone CR each end a line. */
function lineAtByte(bytes: Uint8Array, offset: number): number {
	let line = 1;
	for (let i = 0; i < offset; i++) {
		const b = bytes[i];
		if (b === LF) line++;
		else if (b === CR && bytes[i + 1] !== LF) line++;
	}
	return line;
}

function decodeUtf16(bytes: Uint8Array, bigEndian: boolean): DecodeResult {
	const encoding = bigEndian ? 'utf-16be' : 'utf-16le';
	const label = bigEndian ? 'UTF-16BE' : 'UTF-16LE';
	const body = bytes.subarray(2);
	if (body.length % 2 !== 0) {
		return {
			ok: false,
			message: `invalid ${label}: the file ends in half a character (odd byte count); save the file as UTF-8`,
			line: null
		};
	}
	// Swapping to little-endian ourselves avoids relying on 'utf-16be' support in every runtime.
	const le = bigEndian ? new Uint8Array(body.length) : body;
	if (bigEndian) {
		for (let i = 0; i < body.length; i += 2) {
			le[i] = body[i + 1] as number;
			le[i + 1] = body[i] as number;
		}
	}
	try {
		const text = new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true }).decode(le);
		return { ok: true, text, encoding };
	} catch {
		// Read units by hand: a Uint16Array view would throw on an odd byteOffset.
		const count = le.length / 2;
		const unit = (i: number) => (le[2 * i] as number) | ((le[2 * i + 1] as number) << 8);
		let line = 1;
		for (let i = 0; i < count; i++) {
			const u = unit(i);
			if (u === LF) line++;
			const high = u >= 0xd800 && u <= 0xdbff;
			const low = u >= 0xdc00 && u <= 0xdfff;
			const next = i + 1 < count ? unit(i + 1) : -1;
			if (high && next >= 0xdc00 && next <= 0xdfff) {
				i++;
			} else if (high || low) {
				return {
					ok: false,
					message: `invalid ${label} at byte ${2 + i * 2} (line ${line}): unpaired surrogate; save the file as UTF-8`,
					line
				};
			}
		}
		return { ok: false, message: `invalid ${label}; save the file as UTF-8`, line: null };
	}
}

/**
 * Decodes a text file: UTF-8 (a BOM is stripped) or UTF-16 LE/BE with a BOM; anything else
 * must be strict UTF-8. On failure the message names the first bad byte's offset (0-based,
 * counted from the start of the file as a hex editor shows it) and its 1-based line.
 *
 * Example: `decodeText(new Uint8Array([0x61, 0xe9, 0x62]))` →
 * `{ ok: false, message: 'invalid UTF-8 at byte 1 (line 1); save the file as UTF-8', line: 1 }`
 */
export function decodeText(bytes: Uint8Array): DecodeResult {
	if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeUtf16(bytes, false);
	if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeUtf16(bytes, true);
	const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
	try {
		// The native decoder is the fast path; our own scan only runs to explain a failure.
		const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(
			bytes.subarray(start)
		);
		return { ok: true, text, encoding: 'utf-8' };
	} catch {
		const offset = firstInvalidUtf8(bytes, start);
		if (offset === -1)
			return { ok: false, message: 'invalid UTF-8; save the file as UTF-8', line: null };
		const line = lineAtByte(bytes, offset);
		return {
			ok: false,
			message: `invalid UTF-8 at byte ${offset} (line ${line}); save the file as UTF-8`,
			line
		};
	}
}
