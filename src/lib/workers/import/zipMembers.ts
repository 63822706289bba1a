import { BlobReader, configure, Writer, ZipReader } from '@zip.js/zip.js/lib/zip-core-native.js';
import type { ImportError } from '$lib/domain/schemas';
import { isJunkPath } from '$lib/domain/import/folderLabel';
import { formatBytes } from '$lib/domain/import/formatBytes';
import { safeEntryPath, ZipBombError, type ZipBudget } from '$lib/domain/import/zipSafety';

// Already inside a worker: zip.js must not spawn workers of its own, and the browser's
// native DecompressionStream does the inflating.
configure({ useWebWorkers: false, useCompressionStream: true });

export class MemberTooLargeError extends Error {}

/** Empty members cost no bytes, so a byte budget alone cannot stop a million of them. */
const ZIP_MAX_MEMBERS = 200_000;

/**
 * Collects one member's decompressed bytes while metering them against the archive's budget,
 * so a member whose header lies about its size is stopped as soon as it overflows.
 */
class MeteredBlobWriter extends Writer<Blob> {
	private parts: Blob[] = [];
	private written = 0;

	constructor(
		private readonly meter: (bytes: number) => void,
		private readonly maxBytes: number
	) {
		super();
	}

	override async writeUint8Array(array: Uint8Array): Promise<void> {
		this.meter(array.length);
		this.written += array.length;
		if (this.written > this.maxBytes) throw new MemberTooLargeError();
		this.parts.push(new Blob([array as Uint8Array<ArrayBuffer>]));
	}

	override async getData(): Promise<Blob> {
		return new Blob(this.parts);
	}
}

export type ZipMember = { path: string; blob: Blob; compressedSize: number };

/**
 * Yields the archive's members one at a time (random access through Blob slices, so a
 * multi-gigabyte zip is never read whole). Unsafe or oversized members become errors;
 * a zip bomb stops the archive.
 */
export async function* zipMembers(
	archive: Blob,
	archivePath: string,
	budget: ZipBudget,
	maxFileBytes: number,
	report: (error: ImportError) => void
): AsyncGenerator<ZipMember> {
	let reader: ZipReader<unknown>;
	try {
		// zip.js would throw on the first unsafe name and lose the whole archive; our own
		// guard (safeEntryPath) rejects unsafe members one by one instead.
		reader = new ZipReader(new BlobReader(archive), { filenameValidation: 'tolerant' });
	} catch (cause) {
		report(zipCorrupt(archivePath, cause));
		return;
	}
	try {
		let members = 0;
		for await (const entry of reader.getEntriesGenerator()) {
			if (++members > ZIP_MAX_MEMBERS) {
				throw new ZipBombError(
					`archive lists more than ${ZIP_MAX_MEMBERS.toLocaleString('en-US')} members: looks like a zip bomb`
				);
			}
			if (entry.directory) continue;
			const shown = `${archivePath}/${entry.filename}`;
			const safe = safeEntryPath(entry.filename);
			if (!safe.ok) {
				report({ path: shown, line: null, code: 'zip-slip', message: safe.message });
				continue;
			}
			const path = `${archivePath}/${safe.path}`;
			if (isJunkPath(safe.path)) continue;
			if (entry.encrypted) {
				report({
					path,
					line: null,
					code: 'unsupported-type',
					message: 'encrypted zip member: ModelShip cannot read password-protected files'
				});
				continue;
			}
			if (entry.uncompressedSize > maxFileBytes) {
				report(tooLarge(path, entry.uncompressedSize, maxFileBytes));
				continue;
			}
			budget.checkDeclared({
				path,
				compressedSize: entry.compressedSize,
				uncompressedSize: entry.uncompressedSize
			});
			let blob: Blob;
			try {
				const writer = new MeteredBlobWriter(
					budget.meter(path, entry.compressedSize),
					maxFileBytes
				);
				blob = await entry.getData(writer);
			} catch (cause) {
				if (cause instanceof ZipBombError) throw cause;
				if (cause instanceof MemberTooLargeError) {
					report(tooLarge(path, maxFileBytes + 1, maxFileBytes));
				} else {
					report(zipCorrupt(path, cause));
				}
				continue;
			}
			yield { path, blob, compressedSize: entry.compressedSize };
		}
	} catch (cause) {
		if (cause instanceof ZipBombError) {
			report({ path: archivePath, line: null, code: 'zip-bomb', message: cause.message });
		} else {
			report(zipCorrupt(archivePath, cause));
		}
	} finally {
		await reader.close().catch(() => undefined);
	}
}

function zipCorrupt(path: string, cause: unknown): ImportError {
	const detail = cause instanceof Error ? cause.message : String(cause);
	return {
		path,
		line: null,
		code: 'zip-corrupt',
		message: `damaged or unreadable zip archive (${detail})`
	};
}

export function tooLarge(path: string, size: number, limit: number): ImportError {
	return {
		path,
		line: null,
		code: 'too-large',
		message: `file is ${formatBytes(size)}, over the ${formatBytes(limit)} limit (change it in Settings)`
	};
}
