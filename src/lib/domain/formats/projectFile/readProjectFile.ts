import type { z } from 'zod';
import { sha256Hex } from '../../import/hash';
import { versionDigest } from '../../models/integrity';
import { PACKAGE_FILE, parsePackage } from '../../models/versionPackage';
import { readText, type SourceFiles } from '../sourceFiles';
import {
	FileAnnotation,
	FileItem,
	FilePrediction,
	FileReviewEvent,
	PROJECT_PATHS,
	ProjectFileError,
	firstIssue,
	parseManifest,
	type FileModel,
	type ProjectFileCounts,
	type ProjectFileEntry,
	type ProjectFileManifest
} from './manifest';
import { checkReferences, type Lines } from './references';

/** A model version from the file with its files' bytes by SHA-256. */
export type ProjectFileModel = FileModel & { files: ReadonlyMap<string, Blob> };

/** Everything a project file holds, checked: what the importer stores. */
export type ProjectFileContents = {
	manifest: ProjectFileManifest;
	items: FileItem[];
	annotations: FileAnnotation[];
	/** In the file's order, ascending seq (an undo follows the event it reverts). */
	reviewEvents: FileReviewEvent[];
	predictions: FilePrediction[];
	/** Image bytes by SHA-256, typed with the item's MIME type. */
	blobs: ReadonlyMap<string, Blob>;
	/** Thumbnails by the image's SHA-256; an image without one shows its original. */
	thumbnails: ReadonlyMap<string, Blob>;
	models: ProjectFileModel[];
};

const BLOB = /^blobs\/([0-9a-f]{64})$/;
const THUMB = /^thumbs\/([0-9a-f]{64})$/;
const MODEL = /^(models\/[^/]+\/)(.+)$/;

/**
 * Reads and checks a whole project file before anything is stored: the manifest and its
 * format version, every listed file present with its size and SHA-256, nothing unlisted,
 * every JSONL line valid, counts as declared, every reference resolvable, each image's bytes
 * present and each model version intact. Any problem throws a `ProjectFileError` naming the
 * file (and line).
 *
 * Example: `const contents = await readProjectFile(sourceFilesOf(entries))`.
 */
export async function readProjectFile(files: SourceFiles): Promise<ProjectFileContents> {
	const manifestText = await readText(files, PROJECT_PATHS.manifest);
	if (manifestText === undefined) {
		throw new ProjectFileError(
			'not-a-project-file',
			'This is not a ModelShip project file: it has no manifest.json.'
		);
	}
	const manifest = parseManifest(manifestText);
	const listed = listedFiles(manifest, files);

	// Every byte is checked against the manifest before any of it is parsed.
	const verified = new Map<string, Uint8Array | Blob>();
	for (const entry of manifest.files) {
		const bytes = await verify(files, entry);
		// Bytes that are stored as they are become Blobs at once: a browser may keep those on disk.
		verified.set(entry.path, isRecordFile(entry.path) ? bytes : blobOf(bytes));
	}
	const records = (path: string) => verified.get(path) as Uint8Array;

	const items = parseJsonl(PROJECT_PATHS.items, records(PROJECT_PATHS.items), FileItem);
	const annotations = parseJsonl(
		PROJECT_PATHS.annotations,
		records(PROJECT_PATHS.annotations),
		FileAnnotation
	);
	const reviewEvents = parseJsonl(
		PROJECT_PATHS.reviewEvents,
		records(PROJECT_PATHS.reviewEvents),
		FileReviewEvent
	);
	const predictions = parseJsonl(
		PROJECT_PATHS.predictions,
		records(PROJECT_PATHS.predictions),
		FilePrediction
	);
	checkReferences({ tasks: manifest.project.tasks, items, annotations, reviewEvents, predictions });

	const { blobs, thumbnails } = imageFiles(items.records, listed, verified);
	const models = await modelFolders(listed, verified);

	const counts: ProjectFileCounts = {
		items: items.records.length,
		images: items.records.filter((i) => i.kind === 'image').length,
		texts: items.records.filter((i) => i.kind === 'text').length,
		annotations: annotations.records.length,
		reviewEvents: reviewEvents.records.length,
		predictions: predictions.records.length,
		blobs: blobs.size,
		thumbnails: thumbnails.size,
		modelVersions: models.length
	};
	for (const key of Object.keys(counts) as (keyof ProjectFileCounts)[]) {
		if (counts[key] !== manifest.counts[key]) {
			throw new ProjectFileError(
				'count-mismatch',
				`The manifest declares ${manifest.counts[key]} ${key} but the file holds ${counts[key]}.`,
				PROJECT_PATHS.manifest
			);
		}
	}
	if (manifest.includesModels !== models.length > 0) {
		throw new ProjectFileError(
			'count-mismatch',
			`The manifest says the file ${manifest.includesModels ? 'includes' : 'has no'} models, but it holds ${models.length}.`,
			PROJECT_PATHS.manifest
		);
	}

	return {
		manifest,
		items: items.records,
		annotations: annotations.records,
		reviewEvents: reviewEvents.records,
		predictions: predictions.records,
		blobs,
		thumbnails,
		models
	};
}

const RECORD_FILES = [
	PROJECT_PATHS.items,
	PROJECT_PATHS.annotations,
	PROJECT_PATHS.reviewEvents,
	PROJECT_PATHS.predictions
] as const;

const isRecordFile = (path: string) => (RECORD_FILES as readonly string[]).includes(path);

/** The manifest's entries by path; refuses duplicates, unknown kinds and unlisted files. */
function listedFiles(
	manifest: ProjectFileManifest,
	files: SourceFiles
): Map<string, ProjectFileEntry> {
	const listed = new Map<string, ProjectFileEntry>();
	for (const entry of manifest.files) {
		const { path } = entry;
		if (listed.has(path) || path === PROJECT_PATHS.manifest) {
			throw new ProjectFileError(
				'bad-manifest',
				`The manifest lists ${short(path)} twice.`,
				PROJECT_PATHS.manifest
			);
		}
		if (!isRecordFile(path) && !BLOB.test(path) && !THUMB.test(path) && !MODEL.test(path)) {
			throw new ProjectFileError(
				'bad-manifest',
				`The manifest lists ${path}, which is not part of a project file.`,
				PROJECT_PATHS.manifest
			);
		}
		listed.set(path, entry);
	}
	for (const path of RECORD_FILES) {
		if (!listed.has(path)) {
			throw new ProjectFileError(
				'bad-manifest',
				`The manifest does not list ${path}.`,
				PROJECT_PATHS.manifest
			);
		}
	}
	for (const path of files.paths) {
		if (path !== PROJECT_PATHS.manifest && !listed.has(path)) {
			throw new ProjectFileError(
				'unlisted-file',
				`${short(path)} is not listed in the manifest (added after export?); nothing was imported.`,
				path
			);
		}
	}
	return listed;
}

async function verify(files: SourceFiles, entry: ProjectFileEntry): Promise<Uint8Array> {
	const name = short(entry.path);
	const bytes = await files.read(entry.path);
	if (!bytes) {
		throw new ProjectFileError(
			'missing-file',
			`${name} is listed in the manifest but missing from the file.`,
			entry.path
		);
	}
	if (bytes.byteLength !== entry.size) {
		throw new ProjectFileError(
			'size-mismatch',
			`${name} has ${bytes.byteLength} bytes; the manifest says ${entry.size} (tampered or damaged).`,
			entry.path
		);
	}
	if ((await sha256Hex(bytes)) !== entry.sha256) {
		throw new ProjectFileError(
			'hash-mismatch',
			`${name} does not match its SHA-256 in the manifest (tampered or damaged).`,
			entry.path
		);
	}
	return bytes;
}

/** One record per non-empty line, each valid for `schema`, or an error naming the line. */
function parseJsonl<T>(path: string, bytes: Uint8Array, schema: z.ZodType<T>): Lines<T> {
	const records: T[] = [];
	const lines: number[] = [];
	const text = new TextDecoder().decode(bytes).split('\n');
	text.forEach((raw, i) => {
		const line = raw.trim();
		if (!line) return;
		let json: unknown;
		try {
			json = JSON.parse(line);
		} catch {
			throw new ProjectFileError(
				'bad-record',
				`${path} line ${i + 1} is not valid JSON.`,
				path,
				i + 1
			);
		}
		const parsed = schema.safeParse(json);
		if (!parsed.success) {
			throw new ProjectFileError(
				'bad-record',
				`${path} line ${i + 1}: ${firstIssue(parsed.error)}`,
				path,
				i + 1
			);
		}
		records.push(parsed.data);
		lines.push(i + 1);
	});
	return { records, lines };
}

/** Image and thumbnail bytes by SHA-256: one per image item, none unused, each named by its hash. */
function imageFiles(
	items: readonly FileItem[],
	listed: ReadonlyMap<string, ProjectFileEntry>,
	verified: ReadonlyMap<string, Uint8Array | Blob>
): { blobs: Map<string, Blob>; thumbnails: Map<string, Blob> } {
	const mimes = new Map<string, string>();
	for (const item of items) if (item.kind === 'image') mimes.set(item.sha256, item.mime);
	const blobs = new Map<string, Blob>();
	const thumbnails = new Map<string, Blob>();
	for (const [path, entry] of listed) {
		const blob = BLOB.exec(path)?.[1];
		const thumb = THUMB.exec(path)?.[1];
		const sha256 = blob ?? thumb;
		if (!sha256) continue;
		const mime = mimes.get(sha256);
		if (mime === undefined) {
			throw new ProjectFileError(
				'broken-reference',
				`${short(path)} belongs to no image item of the file.`,
				path
			);
		}
		const bytes = verified.get(path) as Blob;
		if (blob) {
			if (entry.sha256 !== sha256) {
				throw new ProjectFileError(
					'hash-mismatch',
					`${short(path)} is not named by its own SHA-256 (tampered or damaged).`,
					path
				);
			}
			blobs.set(sha256, new Blob([bytes], { type: mime }));
		} else {
			thumbnails.set(sha256, new Blob([bytes], { type: 'image/jpeg' }));
		}
	}
	for (const sha256 of mimes.keys()) {
		if (!blobs.has(sha256)) {
			throw new ProjectFileError(
				'missing-file',
				`The image ${short(sha256)} has no ${short(PROJECT_PATHS.blob(sha256))} in the file.`,
				PROJECT_PATHS.blob(sha256)
			);
		}
	}
	return { blobs, thumbnails };
}

/** Each `models/<n>/` folder: a valid version package whose files are exactly those listed. */
async function modelFolders(
	listed: ReadonlyMap<string, ProjectFileEntry>,
	verified: ReadonlyMap<string, Uint8Array | Blob>
): Promise<ProjectFileModel[]> {
	const folders = new Map<string, Map<string, ProjectFileEntry>>();
	for (const [path, entry] of listed) {
		const match = MODEL.exec(path);
		if (!match) continue;
		const [, folder, rest] = match as unknown as [string, string, string];
		const inFolder = folders.get(folder) ?? new Map<string, ProjectFileEntry>();
		inFolder.set(rest, entry);
		folders.set(folder, inFolder);
	}
	const models: ProjectFileModel[] = [];
	const versionIds = new Set<string>();
	for (const [folder, entries] of folders) {
		const fail = (message: string): never => {
			throw new ProjectFileError('bad-model', `${folder}: ${message}`, folder);
		};
		const record = verified.get(folder + PACKAGE_FILE) as Blob | undefined;
		if (!record) fail(`${PACKAGE_FILE} is missing`);
		const parsed = parsePackage(await (record as Blob).text());
		if (!parsed.ok) return fail(parsed.message);
		const { model, version } = parsed.value;
		if (version.modelId !== model.id) fail(`the version belongs to another model`);
		if (versionIds.has(version.id)) fail(`the version ${version.id} is in the file twice`);
		versionIds.add(version.id);
		const files = new Map<string, Blob>();
		for (const file of version.files) {
			if (file.path === PACKAGE_FILE) fail(`a model file may not be named ${PACKAGE_FILE}`);
			const entry = entries.get(file.path);
			if (!entry) return fail(`${file.path} is missing`);
			if (entry.sha256 !== file.sha256 || entry.size !== file.size) {
				fail(`${file.path} does not match its SHA-256 in the version record (tampered or damaged)`);
			}
			files.set(file.sha256, verified.get(entry.path) as Blob);
		}
		const expected = new Set([PACKAGE_FILE, ...version.files.map((f) => f.path)]);
		const extra = [...entries.keys()].find((path) => !expected.has(path));
		if (extra) fail(`${extra} is not one of the version's files`);
		if ((await versionDigest(version.files)) !== version.sha256) {
			fail(`the version's digest does not match its files (tampered or damaged)`);
		}
		models.push({ model, version, files });
	}
	return models;
}

function blobOf(bytes: Uint8Array): Blob {
	return new Blob([bytes as Uint8Array<ArrayBuffer>]);
}

/** `blobs/3f2a9c1d0e4b…`: paths with a full SHA-256 are long; the first 12 digits tell them apart. */
function short(path: string): string {
	return path.replace(/[0-9a-f]{64}/g, (sha) => `${sha.slice(0, 12)}…`);
}
