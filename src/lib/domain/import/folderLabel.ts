const JUNK_NAMES = new Set(['.ds_store', 'thumbs.db', 'desktop.ini']);

function segmentsOf(path: string): string[] {
	return path.split(/[\\/]/).filter((s) => s !== '');
}

/**
 * The class of an image in the `<class>/<image>` layout: its immediate parent folder's name,
 * trimmed; null for a file at the top level or inside `__MACOSX`.
 *
 * Example: `classFromPath('dataset/train/dogs/b.jpg')` → `'dogs'`
 */
export function classFromPath(path: string): string | null {
	const segments = segmentsOf(path);
	if (segments.length < 2 || segments.includes('__MACOSX')) return null;
	const parent = (segments[segments.length - 2] as string).trim();
	return parent === '' || parent === '.' || parent === '..' ? null : parent;
}

/**
 * True for files the OS leaves behind (`__MACOSX/`, `._*` resource forks, `.DS_Store`,
 * `Thumbs.db`, `desktop.ini`), which the importer skips without reporting an error.
 *
 * Example: `isJunkPath('photos/._cat.png')` → `true`
 */
export function isJunkPath(path: string): boolean {
	const segments = segmentsOf(path);
	const last = segments[segments.length - 1];
	if (last !== undefined && JUNK_NAMES.has(last.toLowerCase())) return true;
	return segments.some((s) => s === '__MACOSX' || s.startsWith('._'));
}
