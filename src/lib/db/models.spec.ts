import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelShipDB, useDatabase } from './database';
import { addProject, getProject } from './projects';
import {
	addVersion,
	deleteVersion,
	editVersion,
	getVersion,
	listVersions,
	promote,
	promotionHistory,
	readVersionFiles,
	rollback
} from './models';
import { createTask } from '$lib/domain/labels/taskEditing';
import { modelBlobKey, type ModelRecord } from '$lib/domain/schemas';
import { checkFiles } from '$lib/domain/models/integrity';

let database: ModelShipDB;
let projectId: number;
const task = createTask({ name: 'Sentiment', kind: 'text-classification', multiLabel: false });
const model: ModelRecord = {
	id: 'm1',
	name: 'Sentiment',
	task: 'text-classification',
	runtime: 'onnx',
	source: 'import',
	hubId: null,
	licence: null,
	createdAt: 0
};
const bytes = (s: string) => new TextEncoder().encode(s);

function draft(id: string, version: string) {
	return {
		id,
		version,
		manifest: null,
		config: {},
		labels: ['negative', 'positive'],
		metrics: {},
		tags: [],
		description: '',
		createdAt: 0,
		stage: 'none' as const
	};
}

async function add(id: string, version: string, content = `weights ${id}`) {
	return addVersion({
		model,
		version: draft(id, version),
		files: new Map([['model.onnx', bytes(content)]])
	});
}

beforeEach(async () => {
	database = new ModelShipDB(`models-${Math.random()}`);
	useDatabase(database);
	projectId = await addProject('P', [task]);
});
afterEach(async () => {
	database.close();
	await database.delete();
});

describe('model registry storage', () => {
	it('stores bytes content-addressed with their hash, and reads them back intact', async () => {
		const v = await add('v1', '1.0.0');
		expect(v.files).toEqual([
			{ path: 'model.onnx', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), size: 10 }
		]);
		expect(await database.blobs.get(modelBlobKey(v.files[0]!.sha256))).toBeDefined();
		const files = await readVersionFiles(v);
		expect(await checkFiles(v.files, files)).toEqual([]);
	});

	it('refuses a duplicate version string and a package whose hashes do not match', async () => {
		await add('v1', '1.0.0');
		await expect(add('v1b', '1.0.0')).rejects.toThrow(/already has a version 1\.0\.0/);
		await expect(
			addVersion({
				model,
				version: draft('v2', '2.0.0'),
				files: new Map([['model.onnx', bytes('tampered')]]),
				expectedHashes: new Map([['model.onnx', '0'.repeat(64)]])
			})
		).rejects.toThrow(/model\.onnx does not match the SHA-256 recorded in the package/);
		expect(await getVersion('v2')).toBeUndefined();
	});

	it('promotes one production version per task, archives the replaced one and rolls back', async () => {
		await add('v1', '1.0.0');
		await add('v2', '1.1.0');
		await add('v3', '1.2.0');
		await promote(projectId, task.id, 'v1');
		await promote(projectId, task.id, 'v2');
		expect((await getProject(projectId))?.tasks[0]?.productionModelVersionId).toBe('v2');
		expect((await getVersion('v1'))?.stage).toBe('archived');
		expect((await getVersion('v2'))?.stage).toBe('production');

		await promote(projectId, task.id, 'v3');
		expect(await rollback(projectId, task.id)).toBe('v2');
		expect(await rollback(projectId, task.id)).toBe('v1');
		await expect(rollback(projectId, task.id)).rejects.toThrow(/no earlier production version/);
		expect((await getVersion('v1'))?.stage).toBe('production');
		expect((await getVersion('v3'))?.stage).toBe('archived');
		expect((await promotionHistory(projectId, task.id)).map((p) => p.action)).toEqual([
			'promote',
			'promote',
			'promote',
			'rollback',
			'rollback'
		]);
	});

	it('keeps a production version read-only and undeletable; deletes others with unshared bytes', async () => {
		await add('v1', '1.0.0', 'same bytes');
		await add('v2', '2.0.0', 'same bytes');
		await promote(projectId, task.id, 'v1');
		await expect(editVersion('v1', { tags: ['x'] })).rejects.toThrow(/read-only/);
		await expect(deleteVersion('v1')).rejects.toThrow(/cannot be deleted/);

		const v2 = await editVersion('v2', { tags: ['candidate'], stage: 'staging' });
		expect(v2).toMatchObject({ tags: ['candidate'], stage: 'staging' });
		await deleteVersion('v2');
		// v1 shares the bytes, so they stay.
		expect(await database.blobs.get(modelBlobKey(v2.files[0]!.sha256))).toBeDefined();
		expect((await listVersions('m1')).map((v) => v.id)).toEqual(['v1']);
	});
});
