import { formatBytes } from './formatBytes';

export type SafePath = { ok: true; path: string } | { ok: false; message: string };

const MIB = 1024 * 1024;

/** A member name quoted for a message, with control characters made visible. */
function quote(name: string): string {
	// eslint-disable-next-line no-control-regex
	const visible = name.replace(/[\u0000-\u001f\u007f]/g, (c) => {
		return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
	});
	return `"${visible}"`;
}

/**
 * Zip-slip guard for an archive member name: backslashes become `/`, absolute paths, `..`
 * segments and NUL characters are refused, `./` and repeated slashes are dropped.
 *
 * Example: `safeEntryPath('./cats//a.png')` → `{ ok: true, path: 'cats/a.png' }`;
 * `safeEntryPath('../../evil.png')` →
 * `{ ok: false, message: 'unsafe path "../../evil.png" in zip (goes outside the archive)' }`
 */
export function safeEntryPath(name: string): SafePath {
	if (name.includes('\0')) {
		return { ok: false, message: `unsafe path ${quote(name)} in zip (contains a NUL character)` };
	}
	const slashed = name.replace(/\\/g, '/');
	// A drive letter makes even `C:x` resolve against a drive rather than the archive.
	if (slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed)) {
		return { ok: false, message: `unsafe absolute path ${quote(name)} in zip` };
	}
	const segments: string[] = [];
	for (const segment of slashed.split('/')) {
		if (segment === '' || segment === '.') continue;
		if (segment === '..') {
			return { ok: false, message: `unsafe path ${quote(name)} in zip (goes outside the archive)` };
		}
		segments.push(segment);
	}
	if (segments.length === 0) return { ok: false, message: `empty path ${quote(name)} in zip` };
	return { ok: true, path: segments.join('/') };
}

/** Thrown when an archive expands too far or too fast; `code` matches `ImportErrorCode`. */
export class ZipBombError extends Error {
	readonly code = 'zip-bomb';

	constructor(message: string) {
		super(message);
		this.name = 'ZipBombError';
	}
}

/**
 * The uncompressed-size budget of one archive tree; nested archives share the instance, so
 * a zip inside a zip counts against the same total (its own bytes included: conservative).
 */
export class ZipBudget {
	readonly #maxTotal: number;
	readonly #maxRatio: number;
	#declared = 0;
	#used = 0;

	constructor(limits: { zipMaxTotalBytes: number; zipMaxRatio: number }) {
		this.#maxTotal = limits.zipMaxTotalBytes;
		this.#maxRatio = limits.zipMaxRatio;
	}

	/** Bytes actually decompressed so far, across every metered member. */
	get usedBytes(): number {
		return this.#used;
	}

	/**
	 * Checks a member's central-directory sizes before it is extracted and adds its declared
	 * size to the running declared total. Throws ZipBombError when the ratio is too high (for
	 * members over 1 MiB) or the declared total passes the limit.
	 *
	 * Example: `budget.checkDeclared({ path: 'big.txt', compressedSize: 10_000, uncompressedSize: 10_000_000 })`
	 * throws `"big.txt" expands 1000× (limit 200×): looks like a zip bomb`
	 */
	checkDeclared(entry: { path: string; compressedSize: number; uncompressedSize: number }): void {
		this.#checkRatio(entry.path, entry.uncompressedSize, entry.compressedSize);
		if (this.#declared + entry.uncompressedSize > this.#maxTotal) this.#overTotal();
		this.#declared += entry.uncompressedSize;
	}

	/**
	 * A callback the extractor calls with the size of every decompressed chunk of one member.
	 * It counts real bytes, since declared sizes can lie, and throws ZipBombError as soon as
	 * the archive total or the member's ratio goes over the limits.
	 *
	 * Example: `const onChunk = budget.meter('a.png', entry.compressedSize); onChunk(65536);`
	 */
	meter(path: string, compressedSize: number): (chunkBytes: number) => void {
		let entryBytes = 0;
		return (chunkBytes: number) => {
			entryBytes += chunkBytes;
			this.#used += chunkBytes;
			if (this.#used > this.#maxTotal) this.#overTotal();
			this.#checkRatio(path, entryBytes, compressedSize);
		};
	}

	#checkRatio(path: string, uncompressed: number, compressed: number): void {
		// Small files (text, blank images) legitimately compress hundreds of times over.
		if (uncompressed <= MIB) return;
		const ratio = uncompressed / Math.max(compressed, 1);
		if (ratio > this.#maxRatio) {
			throw new ZipBombError(
				`${quote(path)} expands ${Math.ceil(ratio)}× (limit ${this.#maxRatio}×): looks like a zip bomb`
			);
		}
	}

	#overTotal(): never {
		throw new ZipBombError(
			`archive expands past ${formatBytes(this.#maxTotal)} (limit): looks like a zip bomb`
		);
	}
}
