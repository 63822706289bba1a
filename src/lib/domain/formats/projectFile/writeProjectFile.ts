import { sha256Hex } from '../../import/hash';
import { PACKAGE_FILE, packageFor } from '../../models/versionPackage';
import type { Annotation, Item, PredictionRecord, Project, ReviewEvent } from '../../schemas';
import type { ExportEntry } from '../snapshot';
import {
	PROJECT_FILE_FORMAT,
	PROJECT_FILE_VERSION,
	PROJECT_PATHS,
	ProjectFileError,
	type FileModel,
	type ProjectFileCounts,
	type ProjectFileEntry,
	type ProjectFileManifest
} from './manifest';

/** Records arrive as a stream (a paged database read) or a plain array (tests). */
export type RecordSource<T> = Iterable<T> | AsyncIterable<T>;

/** Which stored bytes `readBlob` is asked for. */
export type BlobKind = 'image' | 'thumbnail' | 'model';

export type ProjectFileInput = {
	project: Project;
	/** Records as stored, ids included; items in ascending id, review events in ascending seq. */
	items: RecordSource<Item>;
	annotations: RecordSource<Annotation>;
	reviewEvents: RecordSource<ReviewEvent>;
	/**
	 * Always written: a prediction carries the score and level the review queue sorts by, so a
	 * project without them would reopen with an unordered queue.
	 */
	predictions: RecordSource<PredictionRecord>;
	/** Model versions to carry with their files; empty or absent: none. */
	models?: readonly FileModel[];
	/**
	 * Stored bytes by kind and SHA-256, read one at a time as they are written (never all at
	 * once); undefined when not stored. A missing image or model file stops the export; a
	 * missing thumbnail is left out (the importer shows the original instead).
	 */
	readBlob(kind: BlobKind, sha256: string): Promise<Uint8Array | undefined>;
	/** The ModelShip build writing the file, e.g. `0.1.0`. */
	appVersion: string;
	/** Written into the manifest: same inputs and time, same bytes. */
	createdAt: number;
};

const encoder = new TextEncoder();

/**
 * Writes a project file as zip entries: the JSONL record files, each distinct image once
 * (`blobs/<sha256>`), thumbnails, model versions, then `manifest.json` last with the SHA-256
 * and size of every entry before it. Records of items that are not in the file (review events
 * outlive deleted items) are left out, as is an undo whose event was left out, so every file
 * this writes reads back.
 *
 * Example: `for await (const entry of writeProjectFile(input)) zip.add(entry)`.
 */
export async function* writeProjectFile(input: ProjectFileInput): AsyncIterable<ExportEntry> {
	const files: ProjectFileEntry[] = [];
	const counts: ProjectFileCounts = {
		items: 0,
		images: 0,
		texts: 0,
		annotations: 0,
		reviewEvents: 0,
		predictions: 0,
		blobs: 0,
		thumbnails: 0,
		modelVersions: 0
	};
	const entry = async (path: string, bytes: Uint8Array, compress: boolean) => {
		files.push({ path, sha256: await sha256Hex(bytes), size: bytes.byteLength });
		return { path, bytes, compress };
	};

	const itemIds = new Set<number>();
	const images = new Set<string>();
	const items: string[] = [];
	for await (const item of input.items) {
		itemIds.add(item.id as number);
		if (item.kind === 'image') images.add(item.sha256);
		counts[item.kind === 'image' ? 'images' : 'texts']++;
		items.push(JSON.stringify(item));
	}
	counts.items = items.length;
	yield await entry(PROJECT_PATHS.items, jsonl(items), true);

	const annotations: string[] = [];
	for await (const a of input.annotations) {
		if (itemIds.has(a.itemId)) annotations.push(JSON.stringify(a));
	}
	counts.annotations = annotations.length;
	yield await entry(PROJECT_PATHS.annotations, jsonl(annotations), true);

	const events: string[] = [];
	const seqs = new Set<number>();
	for await (const e of input.reviewEvents) {
		if (!itemIds.has(e.itemId) || (e.undoes !== null && !seqs.has(e.undoes))) continue;
		seqs.add(e.seq as number);
		events.push(JSON.stringify(e));
	}
	counts.reviewEvents = events.length;
	yield await entry(PROJECT_PATHS.reviewEvents, jsonl(events), true);

	const predictions: string[] = [];
	for await (const p of input.predictions) {
		if (itemIds.has(p.itemId)) predictions.push(JSON.stringify(p));
	}
	counts.predictions = predictions.length;
	yield await entry(PROJECT_PATHS.predictions, jsonl(predictions), true);

	for (const sha256 of images) {
		const bytes = await input.readBlob('image', sha256);
		if (!bytes) {
			throw new ProjectFileError(
				'missing-bytes',
				`The image ${sha256.slice(0, 12)}… is missing from storage; the project cannot be saved as a file.`,
				PROJECT_PATHS.blob(sha256)
			);
		}
		counts.blobs++;
		yield await entry(PROJECT_PATHS.blob(sha256), bytes, false);
	}
	for (const sha256 of images) {
		const bytes = await input.readBlob('thumbnail', sha256);
		if (!bytes) continue;
		counts.thumbnails++;
		yield await entry(PROJECT_PATHS.thumbnail(sha256), bytes, false);
	}

	for (const [index, { model, version }] of (input.models ?? []).entries()) {
		const folder = PROJECT_PATHS.modelFolder(index);
		const record = encoder.encode(JSON.stringify(packageFor(model, version), null, 2));
		yield await entry(folder + PACKAGE_FILE, record, true);
		for (const file of version.files) {
			const bytes = await input.readBlob('model', file.sha256);
			if (!bytes) {
				throw new ProjectFileError(
					'missing-bytes',
					`${model.name} ${version.version}: ${file.path} is missing from storage; the project cannot be saved with its models.`,
					folder + file.path
				);
			}
			// Weights barely compress; storing them keeps the export fast.
			yield await entry(folder + file.path, bytes, file.path.endsWith('.json'));
		}
		counts.modelVersions++;
	}

	const manifest: ProjectFileManifest = {
		format: PROJECT_FILE_FORMAT,
		version: PROJECT_FILE_VERSION,
		createdAt: input.createdAt,
		appVersion: input.appVersion,
		project: {
			name: input.project.name,
			tasks: input.project.tasks,
			createdAt: input.project.createdAt
		},
		counts,
		files,
		includesModels: counts.modelVersions > 0
	};
	yield {
		path: PROJECT_PATHS.manifest,
		bytes: encoder.encode(JSON.stringify(manifest, null, 2)),
		compress: true
	};
}

function jsonl(lines: readonly string[]): Uint8Array {
	return encoder.encode(lines.length ? lines.join('\n') + '\n' : '');
}
