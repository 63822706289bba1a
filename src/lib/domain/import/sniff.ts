import type { ImageMime } from '../schemas';

/** How many leading bytes callers should read before calling the sniffers below. */
export const SNIFF_BYTES = 32;

/** Text formats the importer understands, chosen by file extension. */
export type TextFormat = 'txt' | 'csv' | 'tsv' | 'jsonl';

const TEXT_EXTENSIONS: Record<string, TextFormat> = {
	txt: 'txt',
	text: 'txt',
	md: 'txt',
	csv: 'csv',
	tsv: 'tsv',
	tab: 'tsv',
	jsonl: 'jsonl',
	ndjson: 'jsonl'
};

// DIB header sizes of every BMP variant in the wild (core, OS/2 v1/v2, v1–v5 info headers).
const BMP_DIB_SIZES = new Set([12, 16, 40, 52, 56, 64, 108, 124]);

function startsWith(head: Uint8Array, bytes: readonly number[], at = 0): boolean {
	if (head.length < at + bytes.length) return false;
	for (let i = 0; i < bytes.length; i++) if (head[at + i] !== bytes[i]) return false;
	return true;
}

function ascii(head: Uint8Array, at: number, text: string): boolean {
	if (head.length < at + text.length) return false;
	for (let i = 0; i < text.length; i++) if (head[at + i] !== text.charCodeAt(i)) return false;
	return true;
}

function u32le(head: Uint8Array, at: number): number {
	return (
		((head[at] ?? 0) | ((head[at + 1] ?? 0) << 8) | ((head[at + 2] ?? 0) << 16)) +
		(head[at + 3] ?? 0) * 0x1000000
	);
}

function u32be(head: Uint8Array, at: number): number {
	return (
		(head[at] ?? 0) * 0x1000000 +
		(((head[at + 1] ?? 0) << 16) | ((head[at + 2] ?? 0) << 8) | (head[at + 3] ?? 0))
	);
}

function isBmp(head: Uint8Array): boolean {
	// "BM" alone starts too many text files, so the header must also hang together.
	if (head.length < 18 || !ascii(head, 0, 'BM')) return false;
	const dibSize = u32le(head, 14);
	if (!BMP_DIB_SIZES.has(dibSize)) return false;
	return u32le(head, 10) >= 14 + dibSize;
}

function isAvif(head: Uint8Array): boolean {
	if (!ascii(head, 4, 'ftyp')) return false;
	const boxSize = u32be(head, 0);
	if (boxSize < 16) return false;
	const isAvifBrand = (at: number) => ascii(head, at, 'avif') || ascii(head, at, 'avis');
	if (isAvifBrand(8)) return true;
	// Files whose major brand is `mif1`/`miaf` still declare avif among the compatible brands.
	const end = Math.min(boxSize, head.length);
	for (let at = 16; at + 4 <= end; at += 4) if (isAvifBrand(at)) return true;
	return false;
}

/**
 * The image type that a file's first bytes declare, or null when they match none we import.
 * Only bytes count, never the name: a PNG renamed `.jpg` is still a PNG.
 *
 * Example: `sniffImage(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))` → `'image/jpeg'`
 */
export function sniffImage(head: Uint8Array): ImageMime | null {
	if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
	if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
	if (ascii(head, 0, 'GIF87a') || ascii(head, 0, 'GIF89a')) return 'image/gif';
	if (ascii(head, 0, 'RIFF') && ascii(head, 8, 'WEBP')) return 'image/webp';
	if (isBmp(head)) return 'image/bmp';
	if (isAvif(head)) return 'image/avif';
	return null;
}

/**
 * True when the bytes start a zip archive (a local file header, or the end record of an
 * empty archive).
 *
 * Example: `isZip(new Uint8Array([0x50, 0x4b, 0x03, 0x04]))` → `true`
 */
export function isZip(head: Uint8Array): boolean {
	return startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06]);
}

/**
 * The text format a file name's extension stands for (case-insensitive), or null.
 *
 * Example: `textFormatFromName('data/Reviews.NDJSON')` → `'jsonl'`
 */
export function textFormatFromName(name: string): TextFormat | null {
	const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
	const dot = base.lastIndexOf('.');
	if (dot === -1) return null;
	return TEXT_EXTENSIONS[base.slice(dot + 1).toLowerCase()] ?? null;
}

/**
 * True when the head holds NUL bytes that a UTF-16 byte-order mark does not explain, which
 * text never does: such a file is binary whatever its name says.
 *
 * Example: `looksBinary(new TextEncoder().encode('hello'))` → `false`
 */
export function looksBinary(head: Uint8Array): boolean {
	if (startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff])) return false;
	return head.includes(0);
}
