import {
	BlobReader,
	Uint8ArrayWriter,
	ZipReader,
	type Entry
} from '@zip.js/zip.js/lib/zip-core-native.js';
import { safeEntryPath } from '../import/zipSafety';
import type { ExportEntry } from './snapshot';
import type { SourceFiles } from './sourceFiles';
import { StreamingZipWriter, type ZipSink } from './zipWriter';

/**
 * Streams export entries into a zip (zipWriter.ts) and reads zips back as SourceFiles (zip.js).
 * Entries are added one at a time and flow straight to the sink, so memory stays flat for
 * multi-gigabyte and 100,000-file exports.
 */

export type ZipProgress = {
	/** Entries written so far. */
	files: number;
	/** Uncompressed bytes of those entries. */
	bytes: number;
	/** Zip bytes written so far. */
	zipBytes: number;
	/** The entry just written. */
	path: string;
};

export type WriteZipOptions = {
	/** Called after each entry is written (cheap: callers throttle what they show). */
	onEntry?: (progress: ZipProgress) => void;
	signal?: AbortSignal;
};

/** Zips `entries` into `sink`, entry by entry; returns the counts. */
export async function writeZip(
	entries: AsyncIterable<ExportEntry>,
	sink: ZipSink,
	options: WriteZipOptions = {}
): Promise<{ files: number; bytes: number; zipBytes: number }> {
	const zip = new StreamingZipWriter(sink);
	let files = 0;
	let bytes = 0;
	for await (const entry of entries) {
		options.signal?.throwIfAborted();
		await zip.add(entry.path, entry.bytes, entry.compress);
		files++;
		bytes += entry.bytes.length;
		options.onEntry?.({ files, bytes, zipBytes: zip.written, path: entry.path });
	}
	await zip.close();
	return { files, bytes, zipBytes: zip.written };
}

export class ZipFormatError extends Error {}

/**
 * The members of a zip as SourceFiles (bytes inflated on demand). Unsafe member names
 * (absolute, `..`) are left out and reported, never resolved. Folders are skipped.
 */
export async function zipSourceFiles(
	zip: Blob
): Promise<SourceFiles & { refused: string[]; close(): Promise<void> }> {
	const reader = new ZipReader(new BlobReader(zip), { useWebWorkers: false });
	let entries: Entry[];
	try {
		entries = await reader.getEntries();
	} catch (error) {
		throw new ZipFormatError(
			`not a readable zip file (${error instanceof Error ? error.message : String(error)})`
		);
	}
	const byPath = new Map<string, Entry>();
	const refused: string[] = [];
	for (const entry of entries) {
		if (entry.directory) continue;
		const safe = safeEntryPath(entry.filename);
		if (!safe.ok) {
			refused.push(`${entry.filename}: ${safe.message}`);
			continue;
		}
		byPath.set(safe.path, entry);
	}
	return {
		paths: [...byPath.keys()].sort(),
		refused,
		read: async (path) => {
			const entry = byPath.get(path);
			if (!entry || entry.directory) return undefined;
			return entry.getData(new Uint8ArrayWriter());
		},
		close: () => reader.close()
	};
}
