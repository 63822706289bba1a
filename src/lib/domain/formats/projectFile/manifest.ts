import { z } from 'zod';
import { Annotation } from '../../schemas/annotation';
import { Item } from '../../schemas/item';
import { ModelRecord, ModelVersionRecord } from '../../schemas/model';
import { PredictionRecord } from '../../schemas/prediction';
import { Project } from '../../schemas/project';
import { ReviewEvent } from '../../schemas/review';

/**
 * ModelShip's own project file: a zip that carries one project — tasks, items with their image
 * bytes, labels, the review log, predictions and (optionally) the model versions behind them —
 * so another browser imports it back without losing anything. `manifest.json` lists every
 * other file with its SHA-256; a reader checks all of it before anything is stored.
 */

export const PROJECT_FILE_FORMAT = 'modelship-project';
/** The major version this build writes and reads. A newer one is refused, never guessed at. */
export const PROJECT_FILE_VERSION = 1;

/** Where each part of a project lives inside the file. */
export const PROJECT_PATHS = {
	manifest: 'manifest.json',
	items: 'items.jsonl',
	annotations: 'annotations.jsonl',
	reviewEvents: 'review-events.jsonl',
	predictions: 'predictions.jsonl',
	/** Image bytes, once per distinct image: `blobs/<sha256>`. */
	blob: (sha256: string) => `blobs/${sha256}`,
	/** The image's stored thumbnail (JPEG), named by the image's sha256. */
	thumbnail: (sha256: string) => `thumbs/${sha256}`,
	/** A model version's folder: its `modelship-model.json` and its files by their own paths. */
	modelFolder: (index: number) => `models/${index + 1}/`
} as const;

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 in lowercase hex');

export const ProjectFileEntry = z.object({
	path: z.string().min(1),
	sha256: Sha256,
	size: z.number().int().nonnegative()
});
export type ProjectFileEntry = z.infer<typeof ProjectFileEntry>;

const Count = z.number().int().nonnegative();

export const ProjectFileCounts = z.object({
	items: Count,
	images: Count,
	texts: Count,
	annotations: Count,
	reviewEvents: Count,
	predictions: Count,
	/** Distinct image files under `blobs/`. */
	blobs: Count,
	thumbnails: Count,
	modelVersions: Count
});
export type ProjectFileCounts = z.infer<typeof ProjectFileCounts>;

export const ProjectFileManifest = z.object({
	format: z.literal(PROJECT_FILE_FORMAT),
	version: z.literal(PROJECT_FILE_VERSION),
	createdAt: z.number(),
	/** The ModelShip build that wrote the file, e.g. `0.1.0`. */
	appVersion: z.string(),
	project: Project.pick({ name: true, tasks: true, createdAt: true }),
	counts: ProjectFileCounts,
	/** Every file of the zip but the manifest itself, in the order written. */
	files: z.array(ProjectFileEntry),
	includesModels: z.boolean()
});
export type ProjectFileManifest = z.infer<typeof ProjectFileManifest>;

/** Records as stored, ids included: the importer gives them new ones. */
export const FileItem = Item.extend({ id: z.number().int().positive() });
export type FileItem = z.infer<typeof FileItem>;
export const FileAnnotation = Annotation.extend({ id: z.number().int().positive() });
export type FileAnnotation = z.infer<typeof FileAnnotation>;
export const FileReviewEvent = ReviewEvent.extend({ seq: z.number().int().positive() });
export type FileReviewEvent = z.infer<typeof FileReviewEvent>;
export const FilePrediction = PredictionRecord.extend({ id: z.number().int().positive() });
export type FilePrediction = z.infer<typeof FilePrediction>;

/** A model version as the file carries it (the same record a version package holds). */
export type FileModel = { model: ModelRecord; version: ModelVersionRecord };

export const ProjectFileErrorCode = z.enum([
	'not-a-project-file',
	'newer-version',
	'bad-manifest',
	'missing-file',
	'unlisted-file',
	'size-mismatch',
	'hash-mismatch',
	'bad-record',
	'count-mismatch',
	'broken-reference',
	'bad-model',
	'missing-bytes',
	'quota-exceeded'
]);
export type ProjectFileErrorCode = z.infer<typeof ProjectFileErrorCode>;

/** Why a project file cannot be written or read; `path` and `line` point at the culprit. */
export class ProjectFileError extends Error {
	constructor(
		readonly code: ProjectFileErrorCode,
		message: string,
		readonly path: string | null = null,
		readonly line: number | null = null
	) {
		super(message);
		this.name = 'ProjectFileError';
	}
}

/** "tasks.0.name: task name is empty" — the first zod issue, path first. */
export function firstIssue(error: z.ZodError): string {
	const issue = error.issues[0];
	if (!issue) return 'invalid';
	const path = issue.path.join('.');
	return path ? `${path}: ${issue.message}` : issue.message;
}

/**
 * Parses `manifest.json`: a file of another kind, a newer major version and a malformed
 * manifest each get their own message.
 *
 * Example: `parseManifest('{"format":"modelship-project","version":2}')` throws
 * "This project file was made by a newer ModelShip (format 2); this version reads format 1".
 */
export function parseManifest(text: string): ProjectFileManifest {
	const path = PROJECT_PATHS.manifest;
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		throw new ProjectFileError('bad-manifest', `${path} is not valid JSON`, path);
	}
	const head = (json && typeof json === 'object' ? json : {}) as Record<string, unknown>;
	if (head.format !== PROJECT_FILE_FORMAT) {
		throw new ProjectFileError(
			'not-a-project-file',
			'This is not a ModelShip project file (its manifest.json names no modelship-project format).',
			path
		);
	}
	if (typeof head.version === 'number' && head.version > PROJECT_FILE_VERSION) {
		throw new ProjectFileError(
			'newer-version',
			`This project file was made by a newer ModelShip (format ${head.version}); this version reads format ${PROJECT_FILE_VERSION}`,
			path
		);
	}
	const parsed = ProjectFileManifest.safeParse(json);
	if (!parsed.success) {
		throw new ProjectFileError(
			'bad-manifest',
			`${path} is malformed: ${firstIssue(parsed.error)}`,
			path
		);
	}
	return parsed.data;
}
