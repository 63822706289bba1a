import { describe, it, expect } from 'vitest';
import type { ImageMime } from '../schemas';
import { makePng } from '../../../../tests/fixtures/png';
import { imageSize, MAX_IMAGE_PIXELS, pixelLimitMessage } from './imageSize';

// Byte builders: every header below is written field by field so each test states exactly
// which bytes the reader depends on.

function bytesOf(...parts: (Uint8Array | readonly number[] | string)[]): Uint8Array {
	const arrays = parts.map((p) =>
		typeof p === 'string' ? new TextEncoder().encode(p) : Uint8Array.from(p)
	);
	const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
	let offset = 0;
	for (const a of arrays) {
		out.set(a, offset);
		offset += a.length;
	}
	return out;
}

const u16be = (n: number) => [(n >>> 8) & 0xff, n & 0xff];
const u16le = (n: number) => [n & 0xff, (n >>> 8) & 0xff];
const u24le = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff];
const u32be = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const u32le = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];

/** Signature and IHDR only (CRC left zero: the reader does not check it). */
function pngHeader(width: number, height: number): Uint8Array {
	return bytesOf(
		[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
		u32be(13),
		'IHDR',
		u32be(width),
		u32be(height),
		[8, 2, 0, 0, 0],
		u32be(0)
	);
}

const GIF_1X1 = Uint8Array.from(
	atob('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=='),
	(c) => c.charCodeAt(0)
);

/** A BITMAPINFOHEADER (40-byte DIB) BMP header; pixel data is not needed. */
function bmpInfo(width: number, height: number): Uint8Array {
	return bytesOf(
		'BM',
		u32le(54),
		u32le(0),
		u32le(54),
		u32le(40),
		u32le(width),
		u32le(height),
		u16le(1),
		u16le(24),
		new Array<number>(24).fill(0)
	);
}

/** A BITMAPCOREHEADER (12-byte DIB) BMP header with 16-bit dimensions. */
function bmpCore(width: number, height: number): Uint8Array {
	return bytesOf(
		'BM',
		u32le(26),
		u32le(0),
		u32le(26),
		u32le(12),
		u16le(width),
		u16le(height),
		[1, 0, 24, 0]
	);
}

function riff(chunk: string, payload: Uint8Array): Uint8Array {
	return bytesOf(
		'RIFF',
		u32le(4 + 8 + payload.length),
		'WEBP',
		chunk,
		u32le(payload.length),
		payload
	);
}

/** Lossy: frame tag, key-frame start code, then 14-bit sizes whose top 2 bits are scale. */
function webpLossy(width: number, height: number, scale = 0): Uint8Array {
	const payload = bytesOf(
		[0x50, 0x01, 0x00],
		[0x9d, 0x01, 0x2a],
		u16le(width | (scale << 14)),
		u16le(height | (scale << 14)),
		new Array<number>(10).fill(0)
	);
	return riff('VP8 ', payload);
}

/** Lossless: 0x2f signature, then width-1 and height-1 packed in 14 bits each. */
function webpLossless(width: number, height: number): Uint8Array {
	const bits = ((width - 1) | ((height - 1) << 14) | (1 << 28)) >>> 0;
	return riff('VP8L', bytesOf([0x2f], u32le(bits), [0, 0, 0]));
}

/** Extended: flags, 3 reserved bytes, then 24-bit canvas width-1 and height-1. */
function webpExtended(width: number, height: number): Uint8Array {
	return riff('VP8X', bytesOf([0x10, 0, 0, 0], u24le(width - 1), u24le(height - 1)));
}

function jpegSegment(marker: number, payload: readonly number[]): number[] {
	return [0xff, marker, ...u16be(payload.length + 2), ...payload];
}

function sof(marker: number, width: number, height: number): number[] {
	return jpegSegment(marker, [8, ...u16be(height), ...u16be(width), 1, 1, 0x11, 0]);
}

const SOI = [0xff, 0xd8];
const APP0 = jpegSegment(0xe0, [
	...new TextEncoder().encode('JFIF\0'),
	1,
	1,
	0,
	...u16be(1),
	...u16be(1),
	0,
	0
]);
const DQT = jpegSegment(0xdb, [0, ...new Array<number>(64).fill(1)]);
const DHT = jpegSegment(0xc4, [0, ...new Array<number>(16).fill(0)]);
const SOS = jpegSegment(0xda, [1, 1, 0, 0, 63, 0]);

function box(type: string, ...payload: Uint8Array[]): Uint8Array {
	const body = bytesOf(...payload);
	return bytesOf(u32be(8 + body.length), type, body);
}

function fullBox(type: string, ...payload: Uint8Array[]): Uint8Array {
	return box(type, bytesOf([0, 0, 0, 0]), ...payload);
}

const ftyp = () => box('ftyp', bytesOf('avif', u32be(0), 'mif1', 'miaf'));
const ispe = (width: number, height: number) =>
	fullBox('ispe', bytesOf(u32be(width), u32be(height)));
const av1C = () => box('av1C', bytesOf([0x81, 0x00, 0x0c, 0x00]));
const hdlr = () => fullBox('hdlr', bytesOf(u32be(0), 'pict', new Array<number>(13).fill(0)));

function avif(...properties: Uint8Array[]): Uint8Array {
	return bytesOf(
		ftyp(),
		fullBox('meta', hdlr(), box('iprp', box('ipco', ...properties))),
		box('mdat', bytesOf([1, 2, 3, 4]))
	);
}

/** Every strict prefix of `bytes` shorter than `needed` must read as null, without throwing. */
function expectPrefixesNull(bytes: Uint8Array, mime: ImageMime, needed: number) {
	for (let n = 0; n < needed; n++) expect(imageSize(bytes.subarray(0, n), mime), `${n}`).toBeNull();
}

/** No prefix of `bytes` may throw, and each answers either null or the full size. */
function expectPrefixesSafe(bytes: Uint8Array, mime: ImageMime) {
	const full = imageSize(bytes, mime);
	for (let n = 0; n <= bytes.length; n++) {
		const size = imageSize(bytes.subarray(0, n), mime);
		if (size !== null) expect(size, `${n}`).toEqual(full);
	}
}

describe('imageSize: PNG', () => {
	it('reads IHDR from a real PNG', () => {
		expect(imageSize(makePng(3, 2, [255, 0, 0]), 'image/png')).toEqual({ width: 3, height: 2 });
	});

	it('reads sizes beyond 16 bits from the header alone', () => {
		expect(imageSize(pngHeader(40000, 70000), 'image/png')).toEqual({
			width: 40000,
			height: 70000
		});
	});

	it('returns null when truncated before the height ends', () => {
		expectPrefixesNull(pngHeader(5, 6), 'image/png', 24);
		expect(imageSize(pngHeader(5, 6).subarray(0, 24), 'image/png')).toEqual({
			width: 5,
			height: 6
		});
	});

	it('returns null without the signature or IHDR', () => {
		const noSig = pngHeader(5, 6);
		noSig[1] = 0;
		expect(imageSize(noSig, 'image/png')).toBeNull();
		const noIhdr = pngHeader(5, 6);
		noIhdr.set(new TextEncoder().encode('IDAT'), 12);
		expect(imageSize(noIhdr, 'image/png')).toBeNull();
	});

	it('reads from a subarray that does not start at offset 0 of its buffer', () => {
		const padded = bytesOf([9, 9, 9], pngHeader(7, 8));
		expect(imageSize(padded.subarray(3), 'image/png')).toEqual({ width: 7, height: 8 });
	});
});

describe('imageSize: GIF', () => {
	it('reads the logical screen size of a 1×1 GIF', () => {
		expect(imageSize(GIF_1X1, 'image/gif')).toEqual({ width: 1, height: 1 });
	});

	it('reads little-endian 16-bit sizes from GIF87a', () => {
		const gif = bytesOf('GIF87a', u16le(640), u16le(480), [0, 0, 0]);
		expect(imageSize(gif, 'image/gif')).toEqual({ width: 640, height: 480 });
	});

	it('returns null when truncated or not a GIF', () => {
		expectPrefixesNull(GIF_1X1, 'image/gif', 10);
		expect(imageSize(bytesOf('GIF88a', u16le(1), u16le(1)), 'image/gif')).toBeNull();
	});
});

describe('imageSize: BMP', () => {
	it('reads a bottom-up BITMAPINFOHEADER', () => {
		expect(imageSize(bmpInfo(800, 600), 'image/bmp')).toEqual({ width: 800, height: 600 });
	});

	it('takes the absolute height of a top-down bitmap', () => {
		expect(imageSize(bmpInfo(800, -600), 'image/bmp')).toEqual({ width: 800, height: 600 });
	});

	it('reads larger info headers (V5) the same way', () => {
		const v5 = bmpInfo(1024, 768);
		v5.set(u32le(124), 14);
		expect(imageSize(v5, 'image/bmp')).toEqual({ width: 1024, height: 768 });
	});

	it('reads 16-bit sizes from a BITMAPCOREHEADER', () => {
		expect(imageSize(bmpCore(320, 200), 'image/bmp')).toEqual({ width: 320, height: 200 });
	});

	it('returns null when truncated, for an unknown DIB size, or a negative width', () => {
		expectPrefixesNull(bmpInfo(8, 8), 'image/bmp', 26);
		expectPrefixesNull(bmpCore(8, 8), 'image/bmp', 22);
		const odd = bmpInfo(8, 8);
		odd.set(u32le(8), 14);
		expect(imageSize(odd, 'image/bmp')).toBeNull();
		expect(imageSize(bmpInfo(-8, 8), 'image/bmp')).toBeNull();
	});
});

describe('imageSize: WebP', () => {
	it('reads a lossy VP8 frame and drops the scale bits', () => {
		expect(imageSize(webpLossy(550, 368), 'image/webp')).toEqual({ width: 550, height: 368 });
		expect(imageSize(webpLossy(550, 368, 3), 'image/webp')).toEqual({ width: 550, height: 368 });
	});

	it('reads a lossless VP8L header', () => {
		expect(imageSize(webpLossless(400, 301), 'image/webp')).toEqual({ width: 400, height: 301 });
		expect(imageSize(webpLossless(16384, 16384), 'image/webp')).toEqual({
			width: 16384,
			height: 16384
		});
	});

	it('reads the 24-bit canvas of an extended VP8X header', () => {
		expect(imageSize(webpExtended(16000, 90000), 'image/webp')).toEqual({
			width: 16000,
			height: 90000
		});
	});

	it('returns null when truncated', () => {
		expectPrefixesNull(webpLossy(10, 10), 'image/webp', 30);
		expectPrefixesNull(webpLossless(10, 10), 'image/webp', 25);
		expectPrefixesNull(webpExtended(10, 10), 'image/webp', 30);
	});

	it('returns null for a lossy frame without the start code, a bad VP8L byte or unknown chunk', () => {
		const lossy = webpLossy(10, 10);
		lossy[23] = 0;
		expect(imageSize(lossy, 'image/webp')).toBeNull();
		const lossless = webpLossless(10, 10);
		lossless[20] = 0;
		expect(imageSize(lossless, 'image/webp')).toBeNull();
		expect(imageSize(riff('ALPH', new Uint8Array(20)), 'image/webp')).toBeNull();
	});
});

describe('imageSize: JPEG', () => {
	const baseline = bytesOf(SOI, APP0, DQT, sof(0xc0, 1920, 1080), DHT, SOS, [0x12, 0x34]);

	it('reads SOF0 after APP0 and DQT segments', () => {
		expect(imageSize(baseline, 'image/jpeg')).toEqual({ width: 1920, height: 1080 });
	});

	it('reads a progressive SOF2 behind fill bytes, skipping DHT (0xC4)', () => {
		const jpeg = bytesOf(
			SOI,
			[0xff, 0xff, 0xff],
			APP0,
			DHT,
			[0xff, 0xff],
			sof(0xc2, 4000, 3000),
			SOS
		);
		expect(imageSize(jpeg, 'image/jpeg')).toEqual({ width: 4000, height: 3000 });
	});

	it('skips standalone markers that carry no length', () => {
		const jpeg = bytesOf(SOI, [0xff, 0xd0, 0xff, 0x01], APP0, sof(0xc1, 64, 48));
		expect(imageSize(jpeg, 'image/jpeg')).toEqual({ width: 64, height: 48 });
	});

	it('returns null when truncated anywhere before the frame size', () => {
		expectPrefixesNull(baseline, 'image/jpeg', SOI.length + APP0.length + DQT.length + 9);
		expectPrefixesSafe(baseline, 'image/jpeg');
	});

	it('returns null when scan data or the end comes before any frame header', () => {
		expect(imageSize(bytesOf(SOI, APP0, SOS, sof(0xc0, 8, 8)), 'image/jpeg')).toBeNull();
		expect(imageSize(bytesOf(SOI, APP0, [0xff, 0xd9]), 'image/jpeg')).toBeNull();
	});

	it('returns null for a height deferred to DNL, garbage between segments, or a bad length', () => {
		expect(imageSize(bytesOf(SOI, sof(0xc0, 8, 0)), 'image/jpeg')).toBeNull();
		expect(imageSize(bytesOf(SOI, [0x00, 0x01], sof(0xc0, 8, 8)), 'image/jpeg')).toBeNull();
		expect(imageSize(bytesOf(SOI, [0xff, 0xe1, 0, 1], sof(0xc0, 8, 8)), 'image/jpeg')).toBeNull();
		expect(imageSize(bytesOf([0xff, 0xd9], sof(0xc0, 8, 8)), 'image/jpeg')).toBeNull();
	});
});

describe('imageSize: AVIF', () => {
	const simple = avif(av1C(), ispe(1280, 720));

	it('reads ispe from meta → iprp → ipco', () => {
		expect(imageSize(simple, 'image/avif')).toEqual({ width: 1280, height: 720 });
	});

	it('takes the largest ispe, so a grid canvas listed after its tiles still counts', () => {
		const grid = avif(ispe(512, 512), av1C(), ispe(8192, 6144), ispe(256, 256));
		expect(imageSize(grid, 'image/avif')).toEqual({ width: 8192, height: 6144 });
	});

	it('follows 64-bit largesize boxes', () => {
		const metaBody = bytesOf([0, 0, 0, 0], box('iprp', box('ipco', ispe(300, 200))));
		const meta = bytesOf(u32be(1), 'meta', u32be(0), u32be(16 + metaBody.length), metaBody);
		const file = bytesOf(ftyp(), meta);
		expect(imageSize(file, 'image/avif')).toEqual({ width: 300, height: 200 });
	});

	it('treats size 0 as running to the end', () => {
		const metaBody = bytesOf([0, 0, 0, 0], box('iprp', box('ipco', ispe(300, 200))));
		const file = bytesOf(ftyp(), u32be(0), 'meta', metaBody);
		expect(imageSize(file, 'image/avif')).toEqual({ width: 300, height: 200 });
	});

	it('returns null when truncated before ispe ends', () => {
		const needed = simple.length - box('mdat', bytesOf([1, 2, 3, 4])).length;
		expectPrefixesNull(simple, 'image/avif', needed);
		expectPrefixesSafe(simple, 'image/avif');
	});

	it('returns null without meta, ipco or ispe, or when meta lies beyond the buffer', () => {
		expect(imageSize(ftyp(), 'image/avif')).toBeNull();
		expect(imageSize(avif(av1C()), 'image/avif')).toBeNull();
		const noIpco = bytesOf(ftyp(), fullBox('meta', box('iprp', box('ipma', ispe(1, 1)))));
		expect(imageSize(noIpco, 'image/avif')).toBeNull();
		// A huge mdat first pushes meta past the 64 KiB the importer reads.
		const mdatFirst = bytesOf(ftyp(), u32be(10_000_000), 'mdat', new Uint8Array(64));
		expect(imageSize(mdatFirst, 'image/avif')).toBeNull();
	});

	it('stops on a box smaller than its own header instead of looping', () => {
		const broken = bytesOf(ftyp(), u32be(4), 'free', simple.subarray(ftyp().length));
		expect(imageSize(broken, 'image/avif')).toBeNull();
	});

	it('does not read an ispe whose payload its box cuts short', () => {
		const shortIspe = bytesOf(u32be(16), 'ispe', [0, 0, 0, 0], u32be(9999), u32be(9999));
		expect(imageSize(avif(shortIspe), 'image/avif')).toBeNull();
	});
});

describe('pixelLimitMessage', () => {
	it('flags a 40000×40000 PNG read from its header', () => {
		const size = imageSize(pngHeader(40000, 40000), 'image/png');
		expect(size).not.toBeNull();
		expect(pixelLimitMessage(size ?? { width: 0, height: 0 })).toBe(
			'image is 40000×40000 px (1600 megapixels), over the 100 megapixel limit'
		);
	});

	it('allows an image exactly at the limit', () => {
		expect(MAX_IMAGE_PIXELS).toBe(100_000_000);
		expect(pixelLimitMessage({ width: 10000, height: 10000 })).toBeNull();
		expect(pixelLimitMessage({ width: 1, height: 1 })).toBeNull();
	});

	it('rounds megapixels up so a just-over image never reads as equal to the limit', () => {
		expect(pixelLimitMessage({ width: 10000, height: 10001 })).toBe(
			'image is 10000×10001 px (100.1 megapixels), over the 100 megapixel limit'
		);
	});

	it('honours a custom limit', () => {
		expect(pixelLimitMessage({ width: 3000, height: 2000 }, 5_000_000)).toBe(
			'image is 3000×2000 px (6 megapixels), over the 5 megapixel limit'
		);
		expect(pixelLimitMessage({ width: 2000, height: 2000 }, 5_000_000)).toBeNull();
	});
});
