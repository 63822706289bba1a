/// <reference lib="webworker" />
/**
 * The export benchmark's baseline worker (harness/export.ts): zips image bytes with
 * @zip.js/zip.js alone — the same IndexedDB reads one at a time as the export
 * (`db().blobs.get(sha)` + `arrayBuffer`), the same kind of sink (an OPFS file through a sync
 * access handle) — i.e. "zipping the same bytes with the zip library alone".
 *
 * Modes (one request each; `--profile` uses all but 'zipjs' to split the export's time):
 * - `zipjs`: the baseline: zip.js `ZipWriter` (no web workers, level 0, no extended
 *   timestamp) into the OPFS file;
 * - `read`: the IndexedDB reads alone;
 * - `read+crc`: reads + hash-wasm CRC-32 of each file (what the app's zip writer computes);
 * - `read+sha`: reads + hash-wasm SHA-256 over every byte (the runner hashes the whole zip);
 * - `read+opfs`: reads + the bytes written to the OPFS file as they are;
 * - `app-zip`: reads + the app's StreamingZipWriter into the OPFS file, no SHA-256;
 * - `app-zip+sha`: the same plus SHA-256 of the zip as the runner does: the export minus the
 *   job record, the snapshot and the format writer.
 */
import { createCRC32, createSHA256 } from 'hash-wasm';
import { Uint8ArrayReader, ZipWriter } from '@zip.js/zip.js/lib/zip-core-native.js';
import { db } from '$lib/db/database';
import { StreamingZipWriter } from '$lib/domain/formats/zipWriter';

export type BaselineMode =
	'zipjs' | 'read' | 'read+crc' | 'read+sha' | 'read+opfs' | 'app-zip' | 'app-zip+sha';

export interface BaselineRequest {
	id: number;
	mode: BaselineMode;
	entries: { path: string; sha256: string }[];
}

export interface BaselineReply {
	id: number;
	error?: string;
	files: number;
	bytes: number;
	zipBytes: number;
	/** ms spent reading from IndexedDB (blobs.get + arrayBuffer), and in the rest. */
	stages: Record<string, number>;
}

const FOLDER = 'bench-zip-baseline';

async function read(sha256: string): Promise<Uint8Array> {
	const stored = await db().blobs.get(sha256);
	if (!stored) throw new Error(`blob ${sha256} is missing`);
	return new Uint8Array(await stored.blob.arrayBuffer());
}

async function run(request: BaselineRequest): Promise<Omit<BaselineReply, 'id'>> {
	const { mode, entries } = request;
	const root = await navigator.storage.getDirectory();
	const folder = await root.getDirectoryHandle(FOLDER, { create: true });
	const name = `${request.id}.zip`;
	const writesFile = mode === 'zipjs' || mode === 'read+opfs' || mode.startsWith('app-zip');
	const file = writesFile
		? await (await folder.getFileHandle(name, { create: true })).createSyncAccessHandle()
		: null;
	let at = 0;
	const write = (chunk: Uint8Array) => {
		if (!file) return;
		const written = file.write(chunk, { at });
		if (written !== chunk.length) {
			throw new Error(`OPFS took ${written} of ${chunk.length} bytes at ${at}`);
		}
		at += chunk.length;
	};
	let readMs = 0;
	let bytes = 0;
	const next = async (sha256: string) => {
		const t = performance.now();
		const data = await read(sha256);
		readMs += performance.now() - t;
		bytes += data.length;
		return data;
	};
	const started = performance.now();
	try {
		file?.truncate(0);
		if (mode === 'zipjs') {
			const zip = new ZipWriter(
				new WritableStream<Uint8Array>({
					write(chunk) {
						write(chunk);
					}
				}),
				{ useWebWorkers: false, level: 0, extendedTimestamp: false }
			);
			for (const entry of entries) {
				await zip.add(entry.path, new Uint8ArrayReader(await next(entry.sha256)), {
					level: 0,
					extendedTimestamp: false
				});
			}
			await zip.close();
		} else if (mode.startsWith('app-zip')) {
			const sha = mode === 'app-zip+sha' ? await createSHA256() : null;
			sha?.init();
			const zip = new StreamingZipWriter((chunk) => {
				sha?.update(chunk);
				write(chunk);
			});
			for (const entry of entries) await zip.add(entry.path, await next(entry.sha256), false);
			await zip.close();
			sha?.digest('hex');
		} else {
			const crc = mode === 'read+crc' ? await createCRC32() : null;
			const sha = mode === 'read+sha' ? await createSHA256() : null;
			sha?.init();
			for (const entry of entries) {
				const data = await next(entry.sha256);
				if (crc) {
					crc.init();
					crc.update(data);
					crc.digest('binary');
				}
				sha?.update(data);
				if (mode === 'read+opfs') write(data);
			}
			sha?.digest('hex');
		}
		file?.flush();
		const totalMs = performance.now() - started;
		return {
			files: entries.length,
			bytes,
			zipBytes: at,
			stages: { read: readMs, rest: totalMs - readMs, total: totalMs }
		};
	} finally {
		file?.close();
		if (file) await folder.removeEntry(name).catch(() => undefined);
	}
}

addEventListener('message', (event: MessageEvent<BaselineRequest>) => {
	const { id } = event.data;
	run(event.data).then(
		(reply) => postMessage({ id, ...reply }),
		(error: unknown) =>
			postMessage({
				id,
				error: error instanceof Error ? `${error.message}\n${error.stack}` : String(error),
				files: 0,
				bytes: 0,
				zipBytes: 0,
				stages: {}
			})
	);
});
