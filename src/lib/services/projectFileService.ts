import Dexie from 'dexie';
import { db, WRITE_CHUNK } from '$lib/db/database';
import { isQuotaExceeded } from '$lib/db/errors';
import { eachProjectPrediction } from '$lib/db/predictions';
import {
	ProjectFileError,
	type FileModel,
	type ProjectFileCounts
} from '$lib/domain/formats/projectFile/manifest';
import {
	readProjectFile,
	type ProjectFileContents
} from '$lib/domain/formats/projectFile/readProjectFile';
import type { BlobKind, ProjectFileInput } from '$lib/domain/formats/projectFile/writeProjectFile';
import type { SourceFiles } from '$lib/domain/formats/sourceFiles';
import {
	emptyCounts,
	modelBlobKey,
	Project,
	thumbKey,
	type ImportJob,
	type Item,
	type LabelTask,
	type ModelVersionRecord,
	type ReviewEvent,
	type StoredBlob
} from '$lib/domain/schemas';
import { version as appVersion } from '../../../package.json';

/**
 * The shareable project file (domain/formats/projectFile): what to write for a stored project,
 * and importing a checked file as a new project in one transaction — all of it or nothing.
 */

export { ProjectFileError };

/**
 * Everything `writeProjectFile` needs for one project. Records are read page by page as the
 * writer asks for them, blob bytes one at a time; nothing is loaded up front.
 *
 * `includeModels` adds the model versions the project uses — each task's production version
 * and every version with predictions — with their files. Embedded defaults are left out:
 * every ModelShip build ships them.
 *
 * Example: `for await (const e of writeProjectFile(await projectFileInput(3, { includeModels: true }))) …`
 */
export async function projectFileInput(
	projectId: number,
	{ includeModels }: { includeModels: boolean }
): Promise<ProjectFileInput> {
	const project = await db().projects.get(projectId);
	if (!project) throw new Error('This project no longer exists.');
	return {
		project,
		items: projectItems(projectId),
		annotations: byItemPages(projectId, (lo, hi) =>
			db()
				.annotations.where('[itemId+taskId]')
				.between([lo, Dexie.minKey], [hi, Dexie.maxKey])
				.toArray()
		),
		reviewEvents: projectEvents(projectId),
		predictions: byItemPages(projectId, (lo, hi) =>
			db()
				.predictions.where('[itemId+taskId+modelVersionId]')
				.between([lo, Dexie.minKey], [hi, Dexie.maxKey])
				.toArray()
		),
		models: includeModels ? await usedModels(project) : [],
		readBlob,
		appVersion,
		createdAt: Date.now()
	};
}

async function readBlob(kind: BlobKind, sha256: string): Promise<Uint8Array | undefined> {
	const key =
		kind === 'image' ? sha256 : kind === 'thumbnail' ? thumbKey(sha256) : modelBlobKey(sha256);
	const stored = await db().blobs.get(key);
	return stored ? new Uint8Array(await stored.blob.arrayBuffer()) : undefined;
}

/** Item ids of a project, a page at a time, ascending, from index keys alone. */
async function* itemIdPages(projectId: number): AsyncIterable<number[]> {
	let after = 0;
	for (;;) {
		const ids = await db()
			.items.where('[projectId+id]')
			.between([projectId, after], [projectId, Dexie.maxKey], false, true)
			.limit(WRITE_CHUNK)
			.primaryKeys();
		if (ids.length === 0) return;
		yield ids;
		after = ids[ids.length - 1] as number;
	}
}

async function* projectItems(projectId: number): AsyncIterable<Item> {
	for await (const ids of itemIdPages(projectId)) {
		for (const item of await db().items.bulkGet(ids)) if (item) yield item;
	}
}

/**
 * Annotations or predictions of each page of items: one range over the page's ids on an index
 * that starts with the item id (as `eachItemKey` does), keeping the rows of the page's items.
 */
async function* byItemPages<T extends { id?: number; itemId: number }>(
	projectId: number,
	read: (lo: number, hi: number) => Promise<T[]>
): AsyncIterable<T> {
	for await (const ids of itemIdPages(projectId)) {
		const wanted = new Set(ids);
		const rows = await read(ids[0] as number, ids[ids.length - 1] as number);
		yield* rows.filter((r) => wanted.has(r.itemId)).sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
	}
}

async function* projectEvents(projectId: number): AsyncIterable<ReviewEvent> {
	let after = 0;
	for (;;) {
		const page = await db()
			.reviewEvents.where('[projectId+seq]')
			.between([projectId, after], [projectId, Dexie.maxKey], false, true)
			.limit(WRITE_CHUNK)
			.toArray();
		if (page.length === 0) return;
		yield* page;
		after = page[page.length - 1]?.seq as number;
	}
}

async function usedModels(project: Project): Promise<FileModel[]> {
	const ids = new Set<string>();
	for (const task of project.tasks) {
		if (task.productionModelVersionId) ids.add(task.productionModelVersionId);
	}
	await eachProjectPrediction(project.id as number, (p) => ids.add(p.modelVersionId));
	const models: FileModel[] = [];
	for (const version of await db().modelVersions.bulkGet([...ids])) {
		const model = version && (await db().models.get(version.modelId));
		if (!version || !model || model.source === 'embedded') continue;
		models.push({ model, version });
	}
	return models;
}

export type ImportedProject = {
	projectId: number;
	/** The new project's name: the file's, with " (imported)" when that name is taken. */
	name: string;
	counts: ProjectFileCounts;
	/** What was new to this browser (content-addressed bytes already here are shared). */
	stored: { blobs: number; thumbnails: number; modelVersions: number };
	/**
	 * Versions left out because their model already has that version string with other files
	 * ("Pets net 1.0.0"); tasks that ran them in production start without one.
	 */
	skippedModelVersions: string[];
};

/** Checks a whole project file, then imports it (see `importProjectFile`). */
export async function importProjectFileFrom(
	files: SourceFiles,
	options: { name?: string } = {}
): Promise<ImportedProject> {
	return importProjectFile(await readProjectFile(files), options);
}

/**
 * Stores a checked project file (from `readProjectFile`) as a NEW project in one transaction,
 * so a failure changes nothing. Items, labels, review events and predictions get new ids (an
 * undo keeps pointing at the event it reverts); all items and predictions belong to one
 * completed import job recorded for the file. Image and model bytes already stored are shared,
 * existing model versions are never overwritten, and a task keeps its production version only
 * when that version exists here after the import.
 */
export async function importProjectFile(
	contents: ProjectFileContents,
	{ name }: { name?: string } = {}
): Promise<ImportedProject> {
	const d = db();
	const tables = [
		d.projects,
		d.items,
		d.blobs,
		d.annotations,
		d.jobs,
		d.reviewEvents,
		d.predictions,
		d.models,
		d.modelVersions,
		d.promotions
	];
	try {
		return await d.transaction('rw', tables, () => store(contents, name));
	} catch (error) {
		if (isQuotaExceeded(error)) {
			throw new ProjectFileError(
				'quota-exceeded',
				'Storage is full: the browser refused to store this project, and nothing was imported. Free space by deleting items or projects you no longer need (Settings shows how much is used), then try again.'
			);
		}
		throw error;
	}
}

/**
 * The body of the import transaction. Every `await` in here is a Dexie call made directly:
 * awaiting another async function (one that may finish without touching Dexie) can lose the
 * transaction zone, and IndexedDB then commits part of the import early.
 */
async function store(contents: ProjectFileContents, wanted?: string): Promise<ImportedProject> {
	const d = db();
	const { manifest } = contents;
	const now = Date.now();

	// Model versions new to this browser. A version already here (same id, or the same model
	// with the same files) is used as it is; one whose model already has that version string
	// with other files is skipped. A new version keeps its stage, except that "production"
	// stays only when an imported task runs it.
	const versionIds = new Map<string, string>();
	const skippedModelVersions: string[] = [];
	const newBlobs: StoredBlob[] = [];
	let storedVersions = 0;
	const inProduction = new Set(manifest.project.tasks.map((t) => t.productionModelVersionId));
	for (const { model, version, files } of contents.models) {
		if (await d.modelVersions.get(version.id)) {
			versionIds.set(version.id, version.id);
			continue;
		}
		const siblings = await d.modelVersions.where('modelId').equals(model.id).toArray();
		const same = siblings.find((v) => v.sha256 === version.sha256);
		if (same) {
			versionIds.set(version.id, same.id);
			continue;
		}
		if (siblings.some((v) => v.version === version.version)) {
			skippedModelVersions.push(`${model.name} ${version.version}`);
			continue;
		}
		if (!(await d.models.get(model.id))) await d.models.add(model);
		await d.modelVersions.add({ ...version, stage: importedStage(version, inProduction) });
		for (const [sha256, blob] of files) newBlobs.push({ key: modelBlobKey(sha256), blob });
		versionIds.set(version.id, version.id);
		storedVersions++;
	}

	const tasks: LabelTask[] = [];
	for (const task of manifest.project.tasks) {
		const original = task.productionModelVersionId;
		const id = original ? (versionIds.get(original) ?? original) : null;
		const kept = id && (await d.modelVersions.get(id)) ? id : null;
		tasks.push({ ...task, productionModelVersionId: kept });
	}
	const wantedName = wanted?.trim() || manifest.project.name;
	const names = await d.projects.where('name').startsWith(wantedName.slice(0, 180)).keys();
	const name = freeName(wantedName, new Set(names.map(String)));
	const projectId = await d.projects.add(
		Project.parse({ name, tasks, createdAt: manifest.project.createdAt, updatedAt: now })
	);
	for (const task of tasks) {
		const versionId = task.productionModelVersionId;
		if (!versionId) continue;
		// The task runs it now, as a promotion would have marked it.
		await d.modelVersions.update(versionId, { stage: 'production' });
		await d.promotions.add({
			projectId,
			taskId: task.id,
			versionId,
			previousVersionId: null,
			action: 'promote',
			at: now
		});
	}

	const jobId = await d.jobs.add(importJob(contents, projectId, now));

	// Content-addressed: a key already stored holds the same bytes.
	for (const [sha256, blob] of contents.blobs) newBlobs.push({ key: sha256, blob });
	for (const [sha256, blob] of contents.thumbnails) newBlobs.push({ key: thumbKey(sha256), blob });
	const existing = new Set(
		(
			await d.blobs
				.where(':id')
				.anyOf(newBlobs.map((b) => b.key))
				.primaryKeys()
		).map(String)
	);
	const fresh = [...new Map(newBlobs.map((b) => [b.key, b])).values()].filter(
		(b) => !existing.has(b.key)
	);
	for (const rows of chunks(fresh)) await d.blobs.bulkAdd(rows);

	const itemIds = new Map<number, number>();
	for (const rows of chunks(contents.items)) {
		const keys = await d.items.bulkAdd(
			rows.map(({ id: _id, ...item }) => ({ ...item, projectId, batchId: jobId })),
			{ allKeys: true }
		);
		rows.forEach((row, i) => itemIds.set(row.id, keys[i] as number));
	}
	const itemId = (id: number) => itemIds.get(id) as number;

	for (const rows of chunks(contents.annotations)) {
		await d.annotations.bulkAdd(
			rows.map(({ id: _id, ...a }) => ({ ...a, projectId, itemId: itemId(a.itemId) }))
		);
	}

	// Events keep their order, so new seqs grow as the old ones did. An undo needs its target's
	// new seq: the batch so far is written first whenever the target is still in it.
	const seqs = new Map<number, number>();
	for (const batch of eventBatches(contents.reviewEvents)) {
		const keys = await d.reviewEvents.bulkAdd(
			batch.map(({ seq: _seq, ...e }) => ({
				...e,
				projectId,
				itemId: itemId(e.itemId),
				undoes: e.undoes === null ? null : (seqs.get(e.undoes) as number)
			})),
			{ allKeys: true }
		);
		batch.forEach((e, i) => seqs.set(e.seq, keys[i] as number));
	}

	for (const rows of chunks(contents.predictions)) {
		await d.predictions.bulkAdd(
			rows.map(({ id: _id, ...p }) => ({
				...p,
				projectId,
				itemId: itemId(p.itemId),
				jobId,
				modelVersionId: versionIds.get(p.modelVersionId) ?? p.modelVersionId
			}))
		);
	}

	const stored = (prefix: (key: string) => boolean) => fresh.filter((b) => prefix(b.key)).length;
	return {
		projectId,
		name,
		counts: manifest.counts,
		stored: {
			blobs: stored((key) => !key.includes(':')),
			thumbnails: stored((key) => key.startsWith('thumb:')),
			modelVersions: storedVersions
		},
		skippedModelVersions
	};
}

type FileEvent = ProjectFileContents['reviewEvents'][number];

/**
 * Review events in seq order, in batches of at most `WRITE_CHUNK`, cut before any undo whose
 * target is in the same batch (so the target's new seq is known when the undo is written).
 */
function* eventBatches(events: readonly FileEvent[]): Iterable<FileEvent[]> {
	let batch: FileEvent[] = [];
	let inBatch = new Set<number>();
	for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
		if (batch.length >= WRITE_CHUNK || (event.undoes !== null && inBatch.has(event.undoes))) {
			yield batch;
			batch = [];
			inBatch = new Set();
		}
		batch.push(event);
		inBatch.add(event.seq);
	}
	if (batch.length) yield batch;
}

function importedStage(
	version: ModelVersionRecord,
	inProduction: ReadonlySet<string | null>
): ModelVersionRecord['stage'] {
	if (inProduction.has(version.id)) return 'production';
	return version.stage === 'production' ? 'archived' : version.stage;
}

/** The completed import job that owns the file's items and predictions. */
function importJob(contents: ProjectFileContents, projectId: number, now: number): ImportJob {
	const { manifest } = contents;
	return {
		projectId,
		type: 'import',
		label: `Project file ${manifest.project.name}`,
		status: 'completed',
		createdAt: now,
		finishedAt: now,
		message: `Imported from a project file made by ModelShip ${manifest.appVersion}.`,
		counts: {
			...emptyCounts(),
			filesDone: 1,
			filesTotal: 1,
			imported: manifest.counts.items,
			images: manifest.counts.images,
			texts: manifest.counts.texts,
			labeled: new Set(contents.annotations.map((a) => a.itemId)).size
		},
		errors: [],
		errorsTruncated: 0
	};
}

/** The name itself when free, else "<name> (imported)", "<name> (imported 2)", … */
function freeName(name: string, taken: ReadonlySet<string>): string {
	if (!taken.has(name)) return name;
	for (let i = 1; ; i++) {
		const candidate = `${name.slice(0, 180)} (imported${i === 1 ? '' : ` ${i}`})`;
		if (!taken.has(candidate)) return candidate;
	}
}

function* chunks<T>(rows: readonly T[]): Iterable<T[]> {
	for (let start = 0; start < rows.length; start += WRITE_CHUNK) {
		yield rows.slice(start, start + WRITE_CHUNK);
	}
}
