import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelShipDB, db, useDatabase } from '$lib/db/database';
import { createExportJob, createImportJob, getExportJob } from '$lib/db/jobs';
import { addProject } from '$lib/db/projects';
import { solidPng } from '$lib/domain/formats/fixtures';
import { defaultExportOptions } from '$lib/domain/formats/snapshot';
import { zipSourceFiles } from '$lib/domain/formats/zipStream';
import { sha256Hex } from '$lib/domain/import/hash';
import { createTask } from '$lib/domain/labels/taskEditing';
import type { ExportJob, ExportProgress, LabelTask } from '$lib/domain/schemas';
import { ExportEmptyError, runExport } from './exportRunner';

// The export worker's pipeline in Node against fake-indexeddb: what it reads, filters,
// splits and zips. Where the bytes go (OPFS, a picked file) is the worker's; here, memory.

let database: ModelShipDB;
let projectId: number;
let task: LabelTask;

beforeEach(async () => {
	database = new ModelShipDB(`test-${Math.random()}`);
	useDatabase(database);
	task = createTask({ name: 'Animal', kind: 'image-classification', multiLabel: false });
	task = {
		...task,
		classes: ['cat', 'dog'].map((name, i) => ({ id: `c${i}`, name, color: '#123456', key: null }))
	};
	projectId = await addProject('Pets', [task]);
	const batchId = await createImportJob(projectId, 'seed');
	for (let i = 0; i < 10; i++) {
		const png = solidPng(8 + i, 6, [i * 20, 0, 0]);
		const sha256 = await sha256Hex(png);
		await db().blobs.put({ key: sha256, blob: new Blob([png as Uint8Array<ArrayBuffer>]) });
		const itemId = await db().items.add({
			projectId,
			kind: 'image',
			name: `pets/${i}.png`,
			sha256,
			mime: 'image/png',
			size: png.length,
			width: 8 + i,
			height: 6,
			text: null,
			split: null,
			batchId,
			createdAt: 1000 + i
		});
		await db().annotations.add({
			projectId,
			itemId,
			taskId: task.id,
			value: { type: 'classes', classIds: [i % 2 ? 'c1' : 'c0'] },
			source: 'human',
			// One label still pending: the default filters leave it out.
			status: i === 9 ? 'pending' : 'approved',
			reviewer: 'ana',
			updatedAt: 2000 + i
		});
	}
});

afterEach(async () => {
	database.close();
	await database.delete();
});

async function exportJob(format: 'imagefolder' | 'pytorch' = 'imagefolder'): Promise<ExportJob> {
	const id = await createExportJob(
		projectId,
		'test',
		{ kind: 'dataset', options: defaultExportOptions(format, task.id) },
		'pets.zip'
	);
	return (await getExportJob(id)) as ExportJob;
}

async function run(job: ExportJob) {
	const parts: Uint8Array[] = [];
	const progress: ExportProgress[] = [];
	const result = await runExport(job, (chunk) => void parts.push(chunk.slice()), {
		onProgress: (p) => progress.push({ ...p })
	});
	return { result, zip: Buffer.concat(parts), progress };
}

describe('runExport', () => {
	it('zips the approved labels of the task, with the SHA-256 of exactly the bytes written', async () => {
		const { result, zip, progress } = await run(await exportJob());
		expect(result.sha256).toBe(createHash('sha256').update(zip).digest('hex'));
		expect(result.size).toBe(zip.length);
		expect(result.perClass).toEqual({ c0: 5, c1: 4 });
		expect(Object.values(result.perSplit).reduce((a, b) => a + b, 0)).toBe(9);
		const files = await zipSourceFiles(new Blob([zip]));
		const images = files.paths.filter((p) => p.endsWith('.png'));
		expect(images).toHaveLength(9);
		expect(images.some((p) => p.includes('000010_9'))).toBe(false);
		expect(result.files).toBe(files.paths.length);
		const last = progress.at(-1) as ExportProgress;
		expect(last).toMatchObject({ items: 9, doneItems: 9, files: result.files });
		expect(progress.map((p) => p.doneItems)).toEqual(
			[...progress.map((p) => p.doneItems)].sort((a, b) => a - b)
		);
	});

	it('writes the same bytes twice for the same project, options and job', async () => {
		const job = await exportJob('pytorch');
		const a = await run(job);
		const b = await run(job);
		expect(a.result.sha256).toBe(b.result.sha256);
	});

	it('says so when no label passes the filters', async () => {
		const job = await exportJob();
		if (job.params.kind !== 'dataset') throw new Error('unreachable');
		job.params.options.filters.statuses = ['rejected'];
		await expect(run(job)).rejects.toThrow(ExportEmptyError);
		await expect(run(job)).rejects.toThrow(/none of the 10 labelled items passes the filters/);
	});

	it('stops when cancelled', async () => {
		const controller = new AbortController();
		controller.abort();
		await expect(
			runExport(await exportJob(), () => undefined, {
				onProgress: () => undefined,
				signal: controller.signal
			})
		).rejects.toThrow();
	});
});
