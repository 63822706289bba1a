import type { ExportItem } from './snapshot';
import type { LabelClass } from '../schemas/project';

/**
 * File and folder names inside exports. Every consumer (torchvision, Ultralytics, Windows
 * unzip) must accept them, and two items must never share a path, so names keep only a safe
 * alphabet and carry the item id.
 */

const UNSAFE = /[^A-Za-z0-9._-]+/g;

/** A name safe in every file system: runs of other characters become `_`, no leading dot. */
export function safeName(name: string, fallback = 'item'): string {
	const cleaned = name
		.normalize('NFKD')
		.replace(UNSAFE, '_')
		.replace(/^[._]+/, '')
		.slice(0, 100);
	return cleaned.length > 0 ? cleaned : fallback;
}

const EXTENSIONS: Record<string, string> = {
	'image/png': 'png',
	'image/jpeg': 'jpg',
	'image/webp': 'webp',
	'image/gif': 'gif',
	'image/bmp': 'bmp',
	'image/avif': 'avif',
	'text/plain': 'txt'
};

/** The file extension for a MIME type (without the dot); `bin` when unknown. */
export function extensionOf(mime: string): string {
	return EXTENSIONS[mime] ?? 'bin';
}

/**
 * The item's file stem: its id, zero-padded so names sort in id order, then its base name.
 *
 * Example: item 42 named `photos/Cat 1.JPG` → `000042_Cat_1`.
 */
export function itemStem(item: Pick<ExportItem, 'id' | 'name'>): string {
	const base = item.name.split('/').pop() ?? '';
	const withoutExt = base.includes('.') ? base.slice(0, base.lastIndexOf('.')) : base;
	return `${String(item.id).padStart(6, '0')}_${safeName(withoutExt)}`;
}

/** The item's file name with the extension of its real type: `000042_Cat_1.jpg`. */
export function itemFileName(item: Pick<ExportItem, 'id' | 'name' | 'mime'>): string {
	return `${itemStem(item)}.${extensionOf(item.mime)}`;
}

/**
 * Class folder names that sort (as torchvision and Keras sort them: by code point) in the
 * task's class order. Names already in order are kept; otherwise each gets a zero-padded
 * index prefix (`00_zebra`, `01_ant`). Names are made file-system safe and unique.
 */
export function classFolderNames(classes: readonly Pick<LabelClass, 'name'>[]): string[] {
	const safe = classes.map((c, i) => safeName(c.name, `class_${i}`));
	const unique = new Set(safe).size === safe.length;
	const sorted = unique && safe.every((n, i) => i === 0 || (safe[i - 1] as string) < n);
	if (sorted) return safe;
	const width = String(Math.max(0, classes.length - 1)).length;
	return safe.map((n, i) => `${String(i).padStart(Math.max(2, width), '0')}_${n}`);
}

const encoder = new TextEncoder();

/** UTF-8 bytes of a text. */
export const utf8 = (text: string): Uint8Array => encoder.encode(text);

/** A text entry: deflated in the zip. */
export const textEntry = (path: string, text: string) => ({
	path,
	bytes: utf8(text),
	compress: true
});
