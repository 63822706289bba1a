import { sourceFilesOf, type SourceFiles } from '../sourceFiles';
import { solidPng } from '../fixtures';

/** Test helpers: SourceFiles from an object of texts and bytes, and tiny image headers. */

export function filesOf(entries: Record<string, string | Uint8Array>): SourceFiles {
	const encoder = new TextEncoder();
	return sourceFilesOf(
		new Map(
			Object.entries(entries).map(([k, v]) => [k, typeof v === 'string' ? encoder.encode(v) : v])
		)
	);
}

export const png = (width: number, height: number): Uint8Array =>
	solidPng(width, height, [1, 2, 3]);

/**
 * The head of a JPEG of `width`×`height` stored pixels with an EXIF orientation tag
 * (big- or little-endian TIFF), enough for header readers (no scan data).
 */
export function jpeg(
	width: number,
	height: number,
	orientation: number | null,
	order: 'II' | 'MM' = 'MM'
): Uint8Array {
	const bytes: number[] = [0xff, 0xd8];
	if (orientation !== null) {
		const le = order === 'II';
		const u16 = (v: number) => (le ? [v & 0xff, v >> 8] : [v >> 8, v & 0xff]);
		const u32 = (v: number) =>
			le
				? [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >>> 24]
				: [v >>> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
		const tiff = [
			...[order.charCodeAt(0), order.charCodeAt(1)],
			...u16(42),
			...u32(8),
			...u16(1),
			...u16(0x0112),
			...u16(3),
			...u32(1),
			...u16(orientation),
			0,
			0,
			...u32(0)
		];
		const payload = [0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff];
		const length = payload.length + 2;
		bytes.push(0xff, 0xe1, length >> 8, length & 0xff, ...payload);
	}
	bytes.push(0xff, 0xc0, 0, 17, 8, height >> 8, height & 0xff, width >> 8, width & 0xff, 3);
	bytes.push(1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xff, 0xd9);
	return Uint8Array.from(bytes);
}
