import type { ImageMime } from '../schemas';

/** An image's declared dimensions in pixels. */
export type ImageSize = { width: number; height: number };

/**
 * The most pixels the importer lets the decoder allocate for one image. At 4 bytes a pixel
 * this caps a decoded bitmap near 400 MB, which a worker survives; a header declaring far
 * more (a "decompression bomb") would otherwise crash it before any error could be shown.
 */
export const MAX_IMAGE_PIXELS = 100_000_000;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** True when `length` bytes from `at` lie inside the buffer; every read below checks first. */
function has(bytes: Uint8Array, at: number, length: number): boolean {
	return at >= 0 && at + length <= bytes.length;
}

function ascii(bytes: Uint8Array, at: number, text: string): boolean {
	if (!has(bytes, at, text.length)) return false;
	for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
	return true;
}

function u24le(view: DataView, at: number): number {
	return view.getUint16(at, true) + view.getUint8(at + 2) * 0x10000;
}

function pngSize(bytes: Uint8Array, view: DataView): ImageSize | null {
	// The spec requires IHDR to be the first chunk, so its fields sit at fixed offsets.
	if (!has(bytes, 0, 24) || !ascii(bytes, 12, 'IHDR')) return null;
	if (PNG_SIGNATURE.some((b, i) => bytes[i] !== b)) return null;
	return { width: view.getUint32(16), height: view.getUint32(20) };
}

function gifSize(bytes: Uint8Array, view: DataView): ImageSize | null {
	if (!has(bytes, 0, 10) || !(ascii(bytes, 0, 'GIF87a') || ascii(bytes, 0, 'GIF89a'))) return null;
	return { width: view.getUint16(6, true), height: view.getUint16(8, true) };
}

function bmpSize(bytes: Uint8Array, view: DataView): ImageSize | null {
	if (!has(bytes, 0, 18) || !ascii(bytes, 0, 'BM')) return null;
	const dibSize = view.getUint32(14, true);
	// BITMAPCOREHEADER (OS/2 1.x) stores unsigned 16-bit dimensions.
	if (dibSize === 12) {
		if (!has(bytes, 0, 22)) return null;
		return { width: view.getUint16(18, true), height: view.getUint16(20, true) };
	}
	if (dibSize < 16 || !has(bytes, 0, 26)) return null;
	const width = view.getInt32(18, true);
	const height = view.getInt32(22, true);
	// A negative height only means rows run top-down; a negative width has no meaning.
	if (width < 0) return null;
	return { width, height: Math.abs(height) };
}

function webpSize(bytes: Uint8Array, view: DataView): ImageSize | null {
	if (!ascii(bytes, 0, 'RIFF') || !ascii(bytes, 8, 'WEBP')) return null;
	if (ascii(bytes, 12, 'VP8 ')) {
		// The key frame's start code guards against reading dimensions out of arbitrary bytes.
		if (!has(bytes, 0, 30) || bytes[23] !== 0x9d || bytes[24] !== 0x01 || bytes[25] !== 0x2a) {
			return null;
		}
		// The top two bits of each field are an upscaling hint, not part of the size.
		return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
	}
	if (ascii(bytes, 12, 'VP8L')) {
		if (!has(bytes, 0, 25) || bytes[20] !== 0x2f) return null;
		const bits = view.getUint32(21, true);
		return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
	}
	if (ascii(bytes, 12, 'VP8X')) {
		if (!has(bytes, 0, 30)) return null;
		return { width: u24le(view, 24) + 1, height: u24le(view, 27) + 1 };
	}
	return null;
}

/** Markers that stand alone, with no length field after them: TEM, RST0–7 and SOI. */
function isStandaloneMarker(marker: number): boolean {
	return marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8);
}

/** Start-of-frame markers; C4 (DHT), C8 (JPG) and CC (DAC) share the range but are not frames. */
function isSofMarker(marker: number): boolean {
	return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function jpegSize(bytes: Uint8Array, view: DataView): ImageSize | null {
	if (!has(bytes, 0, 2) || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
	let at = 2;
	while (at < bytes.length) {
		// Between segments only markers may appear; anything else means we lost the thread.
		if (bytes[at] !== 0xff) return null;
		// Any number of 0xFF fill bytes may precede a marker; `at` ends on the last of them.
		while (bytes[at + 1] === 0xff) at++;
		const marker = bytes[at + 1];
		if (marker === undefined) return null;
		if (isStandaloneMarker(marker)) {
			at += 2;
			continue;
		}
		// Scan data (SOS) or the end (EOI) before any frame header: the size is not declared.
		if (marker === 0xda || marker === 0xd9 || marker === 0x00) return null;
		if (isSofMarker(marker)) {
			if (!has(bytes, at, 9)) return null;
			const height = view.getUint16(at + 5);
			const width = view.getUint16(at + 7);
			// Height 0 defers the real height to a later DNL marker, so the header cannot bound it.
			if (height === 0) return null;
			return { width, height };
		}
		if (!has(bytes, at, 4)) return null;
		const length = view.getUint16(at + 2);
		// The length counts its own two bytes, so anything smaller would stall the walk.
		if (length < 2) return null;
		at += 2 + length;
	}
	return null;
}

/** An ISO-BMFF box: its four-character type and payload range, clipped to its parent. */
type Box = { type: string; start: number; end: number };

/**
 * The boxes laid out between `from` and `to`, stopping at the first whose header is cut off
 * or malformed. Each box's end is clipped to `to`, so callers never read past the parent or
 * the buffer even when a size field lies.
 */
function readBoxes(bytes: Uint8Array, view: DataView, from: number, to: number): Box[] {
	const boxes: Box[] = [];
	const limit = Math.min(to, bytes.length);
	let at = from;
	while (at >= 0 && at + 8 <= limit) {
		let size = view.getUint32(at);
		let header = 8;
		if (size === 1) {
			// A 64-bit "largesize" follows the type; past 2^53 it is beyond any buffer anyway.
			if (at + 16 > limit) break;
			size = view.getUint32(at + 8) * 0x1_0000_0000 + view.getUint32(at + 12);
			header = 16;
		} else if (size === 0) {
			// Size 0 means "extends to the end of the enclosing box (or file)".
			size = limit - at;
		}
		if (size < header) break;
		const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
		boxes.push({ type, start: at + header, end: Math.min(at + size, limit) });
		at += size;
	}
	return boxes;
}

function childBox(bytes: Uint8Array, view: DataView, parent: Box, type: string): Box | null {
	return readBoxes(bytes, view, parent.start, parent.end).find((b) => b.type === type) ?? null;
}

function avifSize(bytes: Uint8Array, view: DataView): ImageSize | null {
	const meta = readBoxes(bytes, view, 0, bytes.length).find((b) => b.type === 'meta');
	if (!meta) return null;
	// `meta` is a full box: version and flags come before its children.
	const iprp = childBox(bytes, view, { ...meta, start: meta.start + 4 }, 'iprp');
	const ipco = iprp && childBox(bytes, view, iprp, 'ipco');
	if (!ipco) return null;
	// A grid image lists one `ispe` per tile plus one for the whole canvas, in no fixed order,
	// so the first one found may be a small tile. The largest bounds what the decoder allocates.
	let largest: ImageSize | null = null;
	for (const box of readBoxes(bytes, view, ipco.start, ipco.end)) {
		// `ispe` is a full box: 4 bytes of version/flags, then width and height.
		if (box.type !== 'ispe' || box.end - box.start < 12) continue;
		const width = view.getUint32(box.start + 4);
		const height = view.getUint32(box.start + 8);
		if (!largest || width * height > largest.width * largest.height) largest = { width, height };
	}
	return largest;
}

/**
 * The dimensions an image's header declares, read without decoding it, or null when the
 * header is truncated or laid out in a way we do not recognise. Never throws. `bytes` is the
 * start of the file; 64 KiB is ample for every format (AVIF keeps `ispe` in the `meta` box).
 *
 * Example: `imageSize(gif1x1, 'image/gif')` → `{ width: 1, height: 1 }`
 */
export function imageSize(bytes: Uint8Array, mime: ImageMime): ImageSize | null {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	switch (mime) {
		case 'image/png':
			return pngSize(bytes, view);
		case 'image/gif':
			return gifSize(bytes, view);
		case 'image/bmp':
			return bmpSize(bytes, view);
		case 'image/webp':
			return webpSize(bytes, view);
		case 'image/jpeg':
			return jpegSize(bytes, view);
		case 'image/avif':
			return avifSize(bytes, view);
	}
}

/**
 * Why an image is too large to decode, or null when it is within `limit` pixels. The image's
 * megapixels round up so an image just over the limit never reads as equal to it.
 *
 * Example: `pixelLimitMessage({ width: 40000, height: 40000 })` →
 * `'image is 40000×40000 px (1600 megapixels), over the 100 megapixel limit'`
 */
export function pixelLimitMessage(size: ImageSize, limit = MAX_IMAGE_PIXELS): string | null {
	const pixels = size.width * size.height;
	if (pixels <= limit) return null;
	const megapixels = Math.ceil(pixels / 100_000) / 10;
	return (
		`image is ${size.width}×${size.height} px (${megapixels} megapixels), ` +
		`over the ${limit / 1_000_000} megapixel limit`
	);
}
