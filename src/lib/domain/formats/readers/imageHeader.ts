import { imageSize, type ImageSize } from '../../import/imageSize';
import { sniffImage } from '../../import/sniff';

/**
 * Image sizes as the app shows them, read from header bytes without decoding. `imageSize`
 * reports the stored pixel grid; JPEGs whose EXIF orientation is 5–8 are shown rotated a
 * quarter turn (the browser applies the tag), so width and height swap. YOLO's normalised
 * coordinates are relative to that shown image (Ultralytics' `exif_size` does the same).
 */

/** Orientations whose transform turns the image a quarter turn (transpose, 90°, transverse, 270°). */
const SWAPS = new Set([5, 6, 7, 8]);

/**
 * The EXIF orientation tag (1–8) of a JPEG, or 1 when there is none or it cannot be read.
 *
 * Example: `jpegOrientation(bytesOfAPhotoTakenPortrait)` → `6`
 */
export function jpegOrientation(bytes: Uint8Array): number {
	if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return 1;
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	let at = 2;
	while (at + 4 <= bytes.length) {
		if (bytes[at] !== 0xff) return 1;
		const marker = bytes[at + 1] as number;
		if (marker === 0xff) {
			at++;
			continue;
		}
		if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
			at += 2;
			continue;
		}
		// Start of scan or end of image: no APP1 before the pixels.
		if (marker === 0xda || marker === 0xd9) return 1;
		const length = view.getUint16(at + 2);
		if (length < 2) return 1;
		if (marker === 0xe1) {
			const orientation = exifOrientation(
				bytes,
				view,
				at + 4,
				Math.min(at + 2 + length, bytes.length)
			);
			if (orientation !== null) return orientation;
		}
		at += 2 + length;
	}
	return 1;
}

/** Reads tag 0x0112 from IFD0 of an APP1 payload in [start, end); null when it is not EXIF. */
function exifOrientation(
	bytes: Uint8Array,
	view: DataView,
	start: number,
	end: number
): number | null {
	// "Exif\0\0", then a TIFF header: byte order, 42, offset of IFD0 (from the TIFF start).
	const header = [0x45, 0x78, 0x69, 0x66, 0, 0];
	if (start + 14 > end || header.some((b, i) => bytes[start + i] !== b)) return null;
	const tiff = start + 6;
	const order = String.fromCharCode(bytes[tiff] as number, bytes[tiff + 1] as number);
	if (order !== 'II' && order !== 'MM') return null;
	const little = order === 'II';
	if (view.getUint16(tiff + 2, little) !== 42) return null;
	const ifd = tiff + view.getUint32(tiff + 4, little);
	if (ifd + 2 > end) return null;
	const count = view.getUint16(ifd, little);
	for (let i = 0; i < count; i++) {
		const entry = ifd + 2 + i * 12;
		if (entry + 12 > end) return null;
		if (view.getUint16(entry, little) !== 0x0112) continue;
		// SHORT (type 3), one value, stored in the first two bytes of the value field.
		const value = view.getUint16(entry + 8, little);
		return value >= 1 && value <= 8 ? value : null;
	}
	return null;
}

/**
 * The displayed size of an image from its bytes: the header's size, with width and height
 * swapped for JPEGs that EXIF rotates a quarter turn. Null when the type or header is unknown.
 *
 * Example: `displayedImageSize(portraitJpegStored4000x3000WithOrientation6)` →
 * `{ width: 3000, height: 4000 }`
 */
export function displayedImageSize(bytes: Uint8Array): ImageSize | null {
	const mime = sniffImage(bytes.subarray(0, 32));
	if (!mime) return null;
	const size = imageSize(bytes, mime);
	if (!size || size.width <= 0 || size.height <= 0) return null;
	if (mime === 'image/jpeg' && SWAPS.has(jpegOrientation(bytes))) {
		return { width: size.height, height: size.width };
	}
	return size;
}
