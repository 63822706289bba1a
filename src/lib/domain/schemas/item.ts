import { z } from 'zod';

export const ImageMime = z.enum([
	'image/png',
	'image/jpeg',
	'image/webp',
	'image/gif',
	'image/bmp',
	'image/avif'
]);
export type ImageMime = z.infer<typeof ImageMime>;

export const ItemKind = z.enum(['image', 'text']);
export type ItemKind = z.infer<typeof ItemKind>;

export const Split = z.enum(['train', 'validation', 'test']);

/**
 * One thing to label. Image bytes live in the content-addressed `blobs` table under
 * `sha256` (thumbnails under `thumb:<sha256>`); texts are kept inline.
 */
export const Item = z.object({
	id: z.number().int().positive().optional(),
	projectId: z.number().int().positive(),
	kind: ItemKind,
	/** Path as imported (folder/zip path included), used for display and export names. */
	name: z.string(),
	sha256: z.string().regex(/^[0-9a-f]{64}$/),
	mime: z.string(),
	size: z.number().int().nonnegative(),
	width: z.number().int().positive().nullable(),
	height: z.number().int().positive().nullable(),
	text: z.string().nullable(),
	split: Split.nullable(),
	/** The import job that brought the item in; the browser filters on it. */
	batchId: z.number().int().positive(),
	createdAt: z.number()
});
export type Item = z.infer<typeof Item>;

export const StoredBlob = z.object({
	key: z.string(),
	blob: z.instanceof(Blob)
});
export type StoredBlob = z.infer<typeof StoredBlob>;

export const thumbKey = (sha256: string): string => `thumb:${sha256}`;
