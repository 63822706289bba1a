/** Longest side of stored thumbnails, in pixels: sharp on a 2× screen at grid size. */
export const THUMB_SIZE = 256;

export type DecodedImage = { width: number; height: number; thumbnail: Blob };

/**
 * Decodes the image off the main thread (it throws for corrupt bytes) and renders a JPEG
 * thumbnail with OffscreenCanvas.
 */
export async function decodeImage(blob: Blob): Promise<DecodedImage> {
	const bitmap = await createImageBitmap(blob);
	try {
		const { width, height } = bitmap;
		if (width === 0 || height === 0) throw new Error('image has no pixels');
		const scale = Math.min(1, THUMB_SIZE / Math.max(width, height));
		const tw = Math.max(1, Math.round(width * scale));
		const th = Math.max(1, Math.round(height * scale));
		const canvas = new OffscreenCanvas(tw, th);
		const context = canvas.getContext('2d');
		if (!context) throw new Error('2D canvas unavailable');
		// Transparent images get a neutral background so thumbnails do not turn black in JPEG.
		context.fillStyle = '#ffffff';
		context.fillRect(0, 0, tw, th);
		context.drawImage(bitmap, 0, 0, tw, th);
		const thumbnail = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.82 });
		return { width, height, thumbnail };
	} finally {
		bitmap.close();
	}
}
