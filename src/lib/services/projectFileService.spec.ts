import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelShipDB, useDatabase } from '$lib/db/database';
import { collect } from '$lib/domain/formats/fixtures';
import { sampleProject, type SampleProject } from '$lib/domain/formats/projectFile/fixtures';
import { PROJECT_PATHS, ProjectFileError } from '$lib/domain/formats/projectFile/manifest';
import { readProjectFile } from '$lib/domain/formats/projectFile/readProjectFile';
import { writeProjectFile } from '$lib/domain/formats/projectFile/writeProjectFile';
import { sourceFilesOf } from '$lib/domain/formats/sourceFiles';
import { modelBlobKey, thumbKey, type Item } from '$lib/domain/schemas';
import { importProjectFile, importProjectFileFrom, projectFileInput } from './projectFileService';

// Export a stored project, write it, read it back and import it, in this browser and another.

const databases: ModelShipDB[] = [];
function freshDatabase(): ModelShipDB {
	const database = new ModelShipDB(`test-${Math.random()}`);
	databases.push(database);
	useDatabase(database);
	return database;
}

let source: ModelShipDB;
let sample: SampleProject;

/** Stores the sample project as it would be after use: ids, blobs, a model, another project. */
async function storeSample(database: ModelShipDB) {
	sample = await sampleProject(7, 100);
	const { model, version, files } = sample.model;
	await database.projects.add(sample.project);
	await database.projects.add({ ...sample.project, id: 8, name: 'Other' });
	await database.items.bulkAdd(sample.items);
	// Another project's item (and its label) must stay out of the file.
	await database.items.add({ ...(sample.items[0] as Item), id: 500, projectId: 8 });
	await database.annotations.bulkAdd(sample.annotations);
	await database.annotations.add({ ...sample.annotations[0]!, id: 90, projectId: 8, itemId: 500 });
	await database.reviewEvents.bulkAdd(sample.reviewEvents);
	await database.predictions.bulkAdd(sample.predictions);
	for (const [sha256, bytes] of sample.images) {
		await database.blobs.add({ key: sha256, blob: new Blob([bytes as Uint8Array<ArrayBuffer>]) });
	}
	for (const [sha256, bytes] of sample.thumbnails) {
		await database.blobs.add({
			key: thumbKey(sha256),
			blob: new Blob([bytes as Uint8Array<ArrayBuffer>])
		});
	}
	for (const [sha256, bytes] of files) {
		await database.blobs.add({
			key: modelBlobKey(sha256),
			blob: new Blob([bytes as Uint8Array<ArrayBuffer>])
		});
	}
	await database.models.add(model);
	await database.modelVersions.add(version);
}

async function exported(includeModels = true): Promise<Map<string, Uint8Array>> {
	useDatabase(source);
	return collect(writeProjectFile(await projectFileInput(7, { includeModels })));
}

/** A project's records with ids replaced by positions, so two copies compare equal. */
async function portable(database: ModelShipDB, projectId: number) {
	const items = await database.items.where('projectId').equals(projectId).sortBy('id');
	const index = new Map(items.map((item, i) => [item.id as number, i]));
	const annotations = await database.annotations.where('projectId').equals(projectId).sortBy('id');
	const events = await database.reviewEvents.where('projectId').equals(projectId).sortBy('seq');
	const position = new Map(events.map((e, i) => [e.seq as number, i]));
	const predictions = await database.predictions
		.where('[projectId+taskId]')
		.between([projectId, ''], [projectId, '\uffff'])
		.sortBy('id');
	const project = await database.projects.get(projectId);
	return {
		tasks: project?.tasks,
		createdAt: project?.createdAt,
		items: items.map(({ id: _i, projectId: _p, batchId: _b, ...item }) => item),
		annotations: annotations.map(({ id: _i, projectId: _p, itemId, ...a }) => ({
			...a,
			item: index.get(itemId)
		})),
		events: events.map(({ seq: _s, projectId: _p, itemId, undoes, ...e }) => ({
			...e,
			item: index.get(itemId),
			undoes: undoes === null ? null : position.get(undoes)
		})),
		predictions: predictions.map(({ id: _i, projectId: _p, itemId, jobId: _j, ...p }) => ({
			...p,
			item: index.get(itemId)
		}))
	};
}

async function tableCounts(database: ModelShipDB) {
	return Object.fromEntries(
		await Promise.all(database.tables.map(async (t) => [t.name, await t.count()] as const))
	);
}

beforeEach(async () => {
	source = freshDatabase();
	await storeSample(source);
});

afterEach(async () => {
	for (const database of databases.splice(0)) {
		database.close();
		await database.delete();
	}
});

describe('projectFileInput', () => {
	it("reads only this project's records, and its non-embedded models on request", async () => {
		const contents = await readProjectFile(sourceFilesOf(await exported()));
		expect(contents.items.map((i) => i.id)).toEqual([100, 101, 102, 103]);
		expect(contents.annotations.map((a) => a.id)).toEqual([1, 2, 3]);
		expect(contents.reviewEvents.map((e) => e.seq)).toEqual([40, 41, 42, 43, 44, 45]);
		expect(contents.models.map((m) => m.version.id)).toEqual(['version-1']);
		expect(contents.manifest.appVersion).toMatch(/^\d+\.\d+\.\d+/);

		await source.models.update('model-1', { source: 'embedded' });
		const embedded = await readProjectFile(sourceFilesOf(await exported()));
		expect(embedded.models).toEqual([]);
	});
});

describe('importProjectFile', () => {
	it('imports into another browser equal to the original, modulo ids', async () => {
		const files = await exported();
		const target = freshDatabase();
		const result = await importProjectFileFrom(sourceFilesOf(files));
		expect(result.name).toBe('Pets and moods');
		expect(result.counts.items).toBe(4);
		expect(result.stored).toEqual({ blobs: 2, thumbnails: 1, modelVersions: 1 });
		expect(result.skippedModelVersions).toEqual([]);

		expect(await portable(target, result.projectId)).toEqual(await portable(source, 7));

		// Undo chains point at the remapped events.
		const events = await target.reviewEvents.orderBy('seq').toArray();
		const undo = events.find((e) => e.action === 'undo');
		expect(undo?.undoes).toBe(events[1]?.seq);

		// One completed import job owns every item and prediction.
		const jobs = await target.jobs.toArray();
		expect(jobs).toHaveLength(1);
		expect(jobs[0]).toMatchObject({
			type: 'import',
			status: 'completed',
			projectId: result.projectId
		});
		const items = await target.items.toArray();
		expect(items.every((i) => i.batchId === jobs[0]!.id)).toBe(true);
		expect((await target.predictions.toArray()).every((p) => p.jobId === jobs[0]!.id)).toBe(true);

		// Bytes arrived: images, thumbnails and the model's files.
		for (const [sha256, bytes] of sample.images) {
			const stored = await target.blobs.get(sha256);
			expect(new Uint8Array(await stored!.blob.arrayBuffer())).toEqual(bytes);
		}
		expect(await target.blobs.get(thumbKey([...sample.thumbnails.keys()][0]!))).toBeDefined();
		for (const [sha256, bytes] of sample.model.files) {
			const stored = await target.blobs.get(modelBlobKey(sha256));
			expect(new Uint8Array(await stored!.blob.arrayBuffer())).toEqual(bytes);
		}
		expect(await target.modelVersions.get('version-1')).toEqual(sample.model.version);
		expect(await target.models.get('model-1')).toEqual(sample.model.model);
		const project = await target.projects.get(result.projectId);
		expect(project?.tasks[0]?.productionModelVersionId).toBe('version-1');
		expect(await target.promotions.toArray()).toMatchObject([
			{ projectId: result.projectId, taskId: 'pets', versionId: 'version-1', action: 'promote' }
		]);
	});

	it('imports beside the original: a new name, shared bytes, the same model version', async () => {
		const files = await exported();
		const before = await tableCounts(source);
		const result = await importProjectFile(await readProjectFile(sourceFilesOf(files)));
		expect(result.name).toBe('Pets and moods (imported)');
		expect(result.stored).toEqual({ blobs: 0, thumbnails: 0, modelVersions: 0 });
		const after = await tableCounts(source);
		expect(after.blobs).toBe(before.blobs);
		expect(after.items).toBe((before.items as number) + 4);
		expect(after.modelVersions).toBe(before.modelVersions);
		expect(await portable(source, result.projectId)).toEqual(await portable(source, 7));

		const again = await importProjectFileFrom(sourceFilesOf(files), { name: 'Pets and moods' });
		expect(again.name).toBe('Pets and moods (imported 2)');
	});

	it('without models, a task keeps its production version only when it exists here', async () => {
		const files = await exported(false);
		const target = freshDatabase();
		const result = await importProjectFileFrom(sourceFilesOf(files), { name: 'Copy' });
		expect(result.name).toBe('Copy');
		const project = await target.projects.get(result.projectId);
		expect(project?.tasks.map((t) => t.productionModelVersionId)).toEqual([null, null]);
		expect(await target.modelVersions.count()).toBe(0);
		// Predictions still say which version made them.
		expect((await target.predictions.toArray()).map((p) => p.modelVersionId)).toEqual([
			'version-1',
			'version-1'
		]);
	});

	it('a tampered file imports nothing', async () => {
		const files = await exported();
		const path = PROJECT_PATHS.blob([...sample.images.keys()][0]!);
		const bytes = files.get(path)!.slice();
		bytes[20]! ^= 0xff;
		files.set(path, bytes);
		const target = freshDatabase();
		const before = await tableCounts(target);
		const error = await importProjectFileFrom(sourceFilesOf(files)).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ProjectFileError);
		expect((error as ProjectFileError).code).toBe('hash-mismatch');
		expect(await tableCounts(target)).toEqual(before);
	});

	it('a failure while storing rolls everything back', async () => {
		const contents = await readProjectFile(sourceFilesOf(await exported()));
		// Two predictions for the same item × task × version break the unique index mid-import.
		contents.predictions.push({ ...contents.predictions[0]!, id: 99 });
		const target = freshDatabase();
		const before = await tableCounts(target);
		await expect(importProjectFile(contents)).rejects.toThrow();
		expect(await tableCounts(target)).toEqual(before);
	});

	it('skips a version whose model already has that version string with other files', async () => {
		const files = await exported();
		const target = freshDatabase();
		await target.models.add(sample.model.model);
		await target.modelVersions.add({
			...sample.model.version,
			id: 'elsewhere',
			sha256: 'f'.repeat(64),
			stage: 'staging'
		});
		const result = await importProjectFileFrom(sourceFilesOf(files));
		expect(result.skippedModelVersions).toEqual(['Pets net 1.0.0']);
		expect(result.stored.modelVersions).toBe(0);
		const project = await target.projects.get(result.projectId);
		expect(project?.tasks[0]?.productionModelVersionId).toBeNull();
		expect((await target.modelVersions.get('elsewhere'))?.stage).toBe('staging');
	});

	it('pages through more than a write chunk of records, undos and all', async () => {
		const target = freshDatabase();
		const projectId = 3;
		await target.projects.add({ ...sample.project, id: projectId, name: 'Big' });
		const count = 1100;
		await target.items.bulkAdd(
			Array.from({ length: count }, (_, i) => ({
				...(sample.items[3] as Item),
				id: i + 1,
				projectId,
				name: `t${i}`,
				text: `text ${i}`
			}))
		);
		// Every second event undoes the one before it, across the writer's page boundaries.
		await target.reviewEvents.bulkAdd(
			Array.from({ length: count }, (_, i) => ({
				...sample.reviewEvents[0]!,
				seq: i + 1,
				projectId,
				itemId: Math.floor(i / 2) + 1,
				taskId: 'mood',
				action: i % 2 ? ('undo' as const) : ('approve' as const),
				undoes: i % 2 ? i : null
			}))
		);
		source = target;
		const files = await collect(
			writeProjectFile(await projectFileInput(projectId, { includeModels: false }))
		);
		const result = await importProjectFileFrom(sourceFilesOf(files));
		expect(result.counts.items).toBe(count);
		const { tasks: _a, ...imported } = await portable(target, result.projectId);
		const { tasks: _b, ...original } = await portable(target, projectId);
		expect(imported).toEqual(original);
		expect(imported.events.filter((e) => e.undoes !== null)).toHaveLength(count / 2);
	});
});
