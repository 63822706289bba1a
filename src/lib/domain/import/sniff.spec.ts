import { describe, it, expect } from 'vitest';
import { isZip, looksBinary, sniffImage, SNIFF_BYTES, textFormatFromName } from './sniff';

const bytes = (...parts: (number[] | string)[]): Uint8Array =>
	new Uint8Array(
		parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p))
	);
const u32le = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
const u32be = (n: number) => [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const pad = (head: Uint8Array, length = SNIFF_BYTES) => {
	const out = new Uint8Array(Math.max(length, head.length));
	out.set(head);
	return out;
};

const PNG = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], u32be(13), 'IHDR');
const bmp = (dibSize: number, dataOffset = 14 + dibSize) =>
	bytes('BM', u32le(1000), [0, 0, 0, 0], u32le(dataOffset), u32le(dibSize), u32le(2), u32le(2));
const ftyp = (major: string, ...compatible: string[]) =>
	bytes(u32be(16 + 4 * compatible.length), 'ftyp', major, u32be(0), ...compatible);

describe('sniffImage', () => {
	it('recognises PNG', () => {
		expect(sniffImage(pad(PNG))).toBe('image/png');
	});

	it('recognises JPEG (JFIF, Exif and raw markers)', () => {
		expect(sniffImage(pad(bytes([0xff, 0xd8, 0xff, 0xe0], [0, 16], 'JFIF')))).toBe('image/jpeg');
		expect(sniffImage(pad(bytes([0xff, 0xd8, 0xff, 0xe1], [0, 16], 'Exif')))).toBe('image/jpeg');
		expect(sniffImage(bytes([0xff, 0xd8, 0xff, 0xdb]))).toBe('image/jpeg');
	});

	it('recognises GIF87a and GIF89a but not other GIF versions', () => {
		expect(sniffImage(pad(bytes('GIF87a', [1, 0, 1, 0])))).toBe('image/gif');
		expect(sniffImage(pad(bytes('GIF89a', [1, 0, 1, 0])))).toBe('image/gif');
		expect(sniffImage(pad(bytes('GIF90a')))).toBeNull();
	});

	it('recognises WebP (lossy, lossless, extended) but not other RIFF files', () => {
		expect(sniffImage(pad(bytes('RIFF', u32le(1234), 'WEBPVP8 ')))).toBe('image/webp');
		expect(sniffImage(pad(bytes('RIFF', u32le(1234), 'WEBPVP8L')))).toBe('image/webp');
		expect(sniffImage(pad(bytes('RIFF', u32le(1234), 'WEBPVP8X')))).toBe('image/webp');
		expect(sniffImage(pad(bytes('RIFF', u32le(1234), 'WAVEfmt ')))).toBeNull();
		expect(sniffImage(pad(bytes('RIFF', u32le(1234), 'AVI LIST')))).toBeNull();
	});

	it('recognises BMP with every common DIB header size', () => {
		for (const size of [12, 40, 52, 56, 64, 108, 124]) {
			expect(sniffImage(pad(bmp(size)))).toBe('image/bmp');
		}
	});

	it('does not take text that starts with "BM" for a BMP', () => {
		expect(sniffImage(pad(new TextEncoder().encode('BMW drivers are a dataset too')))).toBeNull();
		expect(sniffImage(pad(bmp(41)))).toBeNull();
		expect(sniffImage(pad(bmp(40, 20)))).toBeNull();
		expect(sniffImage(bytes('BM'))).toBeNull();
	});

	it('recognises AVIF by major brand (avif, avis) or a compatible brand', () => {
		expect(sniffImage(pad(ftyp('avif', 'mif1', 'miaf')))).toBe('image/avif');
		expect(sniffImage(pad(ftyp('avis', 'msf1')))).toBe('image/avif');
		expect(sniffImage(pad(ftyp('mif1', 'miaf', 'avif')))).toBe('image/avif');
	});

	it('does not take HEIC, MP4 or a truncated ftyp box for AVIF', () => {
		expect(sniffImage(pad(ftyp('heic', 'mif1', 'heic')))).toBeNull();
		expect(sniffImage(pad(ftyp('isom', 'iso2', 'mp41')))).toBeNull();
		// A box size of 12 cannot hold the compatible brand that follows it.
		const short = pad(ftyp('mif1', 'avif'));
		short.set(u32be(12), 0);
		expect(sniffImage(short)).toBeNull();
	});

	it('looks only at bytes: a PNG named .jpg is still a PNG', () => {
		const file = { name: 'photo.jpg', head: pad(PNG) };
		expect(sniffImage(file.head)).toBe('image/png');
	});

	it('returns null for non-images, truncated heads and empty input', () => {
		expect(sniffImage(new TextEncoder().encode('hello, world'))).toBeNull();
		expect(sniffImage(bytes('%PDF-1.7'))).toBeNull();
		expect(sniffImage(bytes('PK', [3, 4]))).toBeNull();
		expect(sniffImage(PNG.subarray(0, 7))).toBeNull();
		expect(sniffImage(bytes([0xff, 0xd8]))).toBeNull();
		expect(sniffImage(new Uint8Array())).toBeNull();
	});
});

describe('isZip', () => {
	it('accepts a local file header and an empty archive', () => {
		expect(isZip(bytes('PK', [3, 4, 20, 0]))).toBe(true);
		expect(isZip(bytes('PK', [5, 6], [0, 0, 0, 0]))).toBe(true);
	});

	it('rejects other PK records, short heads and non-zips', () => {
		expect(isZip(bytes('PK', [1, 2]))).toBe(false);
		expect(isZip(bytes('PK', [3]))).toBe(false);
		expect(isZip(pad(PNG))).toBe(false);
		expect(isZip(new Uint8Array())).toBe(false);
	});
});

describe('textFormatFromName', () => {
	it.each([
		['notes.txt', 'txt'],
		['notes.text', 'txt'],
		['README.md', 'txt'],
		['data.csv', 'csv'],
		['DATA.CSV', 'csv'],
		['data.tsv', 'tsv'],
		['data.tab', 'tsv'],
		['data.jsonl', 'jsonl'],
		['data.NDJSON', 'jsonl'],
		['folder.csv/inner/file.jsonl', 'jsonl'],
		['C:\\exports\\file.Tsv', 'tsv']
	])('%s → %s', (name, format) => {
		expect(textFormatFromName(name)).toBe(format);
	});

	it.each(['image.png', 'data.json', 'Makefile', 'archive.csv.zip', 'csv', 'dir.csv/file'])(
		'%s → null',
		(name) => {
			expect(textFormatFromName(name)).toBeNull();
		}
	);
});

describe('looksBinary', () => {
	it('is false for ASCII and UTF-8 text', () => {
		expect(looksBinary(new TextEncoder().encode('plain text, café ✓'))).toBe(false);
		expect(looksBinary(new Uint8Array())).toBe(false);
	});

	it('is true for NUL bytes without a UTF-16 BOM', () => {
		expect(looksBinary(pad(PNG))).toBe(true);
		expect(looksBinary(bytes('abc', [0], 'def'))).toBe(true);
		// UTF-16 without a BOM cannot be decoded, so it counts as binary too.
		expect(looksBinary(bytes([0x68, 0, 0x69, 0]))).toBe(true);
	});

	it('is false for UTF-16 with a BOM, whose NULs are expected', () => {
		expect(looksBinary(bytes([0xff, 0xfe, 0x68, 0, 0x69, 0]))).toBe(false);
		expect(looksBinary(bytes([0xfe, 0xff, 0, 0x68, 0, 0x69]))).toBe(false);
	});
});
