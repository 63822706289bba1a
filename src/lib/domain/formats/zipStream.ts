import { BlobReader, Writer, ZipReader, type Entry } from '@zip.js/zip.js/lib/zip-core-native.js';
import { formatBytes } from '../import/formatBytes';
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

/** The most a single zip member may inflate to when read whole (a zip bomb stops here). */
export const DEFAULT_MEMBER_LIMIT = 2 * 1024 ** 3;

/**
 * Collects a member's bytes, stopping as soon as they pass `limit`: a member whose header
 * understates its size cannot inflate past it.
 */
class LimitedWriter extends Writer<Uint8Array> {
	private chunks: Uint8Array[] = [];
	private received = 0;
	constructor(
		private readonly path: string,
		private readonly limit: number
	) {
		super();
	}
	override async writeUint8Array(array: Uint8Array): Promise<void> {
		this.received += array.length;
		if (this.received > this.limit) throw tooBig(this.path, this.limit);
		this.chunks.push(array.slice());
	}
	override async getData(): Promise<Uint8Array> {
		const out = new Uint8Array(this.received);
		let at = 0;
		for (const p of this.chunks) {
			out.set(p, at);
			at += p.length;
		}
		return out;
	}
}

const tooBig = (path: string, limit: number) =>
	new ZipFormatError(`${path} in the zip is larger than ${formatBytes(limit)} once unpacked`);

/**
 * The members of a zip as SourceFiles (bytes inflated on demand, each at most
 * `memberLimit`). Unsafe member names (absolute, `..`) are left out and reported, never
 * resolved. Folders are skipped.
 */
export async function zipSourceFiles(
	zip: Blob,
	{ memberLimit = DEFAULT_MEMBER_LIMIT }: { memberLimit?: number } = {}
): Promise<SourceFiles & { refused: string[]; close(): Promise<void> }> {
	// 'tolerant': a zip with one unsafe name still opens; safeEntryPath below refuses that member.
	const reader = new ZipReader(new BlobReader(zip), {
		useWebWorkers: false,
		filenameValidation: 'tolerant'
	});
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
			if (entry.uncompressedSize > memberLimit) throw tooBig(path, memberLimit);
			return entry.getData(new LimitedWriter(path, memberLimit));
		},
		close: () => reader.close()
	};
}
