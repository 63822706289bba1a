import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, expect, it } from 'vitest';
import { ModelShipDB, useDatabase } from './database';
import { getAutoLabelJob, getJobItemIds } from './jobs';

// Migrations run on people's stored data: the upgrade to version 4 must move an auto-label
// job's item ids off its record without losing one.

const name = `migrate-${Math.random()}`;

afterEach(async () => {
	await Dexie.delete(name);
});

it('version 4 moves auto-label item ids into jobItems and leaves import jobs alone', async () => {
	const v3 = new Dexie(name);
	v3.version(3).stores({
		projects: '++id, name',
		items:
			'++id, [projectId+id], [projectId+sha256], [projectId+kind+id], [projectId+batchId], [projectId+name], sha256',
		blobs: 'key',
		annotations: '++id, projectId, [itemId+taskId], [projectId+taskId]',
		jobs: '++id, projectId, status',
		settings: 'key',
		models: 'id, name',
		modelVersions: 'id, modelId, stage, sha256',
		promotions: '++id, [projectId+taskId], versionId',
		predictions: '++id, &[itemId+taskId+modelVersionId], [projectId+taskId], jobId'
	});
	const summary = {
		processed: 0,
		highConfidence: 0,
		needsReview: 0,
		autoApproved: 0,
		failed: 0,
		durationMs: 0,
		itemsPerSecond: 0
	};
	const importId = await v3.table('jobs').add({ projectId: 1, type: 'import', label: 'a.zip' });
	const jobId = await v3.table('jobs').add({
		projectId: 1,
		type: 'autolabel',
		label: 'Colour · 3 items',
		status: 'paused',
		createdAt: 0,
		finishedAt: null,
		message: null,
		params: {
			tasks: [{ taskId: 't', modelVersionId: 'v' }],
			itemIds: [3, 7, 9],
			autoApprove: false,
			batchSize: 16
		},
		cursor: 3,
		summary,
		histograms: {},
		pauseRequested: false,
		cancelRequested: false
	});
	v3.close();

	const database = new ModelShipDB(name);
	useDatabase(database);
	const job = await getAutoLabelJob(jobId as number);
	expect(job?.params).toEqual({
		tasks: [{ taskId: 't', modelVersionId: 'v' }],
		itemCount: 3,
		autoApprove: false,
		batchSize: 16
	});
	expect(job?.cursor).toBe(3);
	expect(await getJobItemIds(jobId as number)).toEqual([3, 7, 9]);
	expect(await database.jobs.get(importId as number)).toMatchObject({ type: 'import' });
	expect(await database.jobItems.count()).toBe(1);
	database.close();
});
