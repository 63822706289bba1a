import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makePng, pngSize } from '../../../../tests/fixtures/png';
import { ModelShipDB, useDatabase, db } from '$lib/db/database';
import { addProject } from '$lib/db/projects';
import { createImportJob } from '$lib/db/jobs';
import { createTask } from '$lib/domain/labels/taskEditing';
import { writeZip } from '$lib/domain/formats/zipStream';
import { DEFAULT_LIMITS, type ImportMessage, type ImportOptions } from '$lib/domain/schemas';
import { ImportRunner, type ImportSource } from './importRunner';

// Labelled datasets of other tools through the real import pipeline (fake-indexeddb; PNG
// headers stand in for the browser's decoder).
const decodePng = async (blob: Blob) => {
	const size = pngSize(new Uint8Array(await blob.arrayBuffer()));
	return { ...size, thumbnail: new Blob(['thumb'], { type: 'image/jpeg' }) };
};

let database: ModelShipDB;
let projectId: number;
const boxes = createTask({ name: 'Objects', kind: 'object-detection', multiLabel: false });
const entities = createTask({ name: 'Entities', kind: 'named-entities', multiLabel: false });

beforeEach(async () => {
	database = new ModelShipDB(`test-${Math.random()}`);
	useDatabase(database);
	projectId = await addProject('Test', [boxes, entities]);
});

afterEach(async () => {
	database.close();
	await database.delete();
});

const file = (path: string, content: Uint8Array | string): ImportSource => ({
	path,
	file: new Blob([typeof content === 'string' ? content : (content as Uint8Array<ArrayBuffer>)])
});

async function run(sources: ImportSource[], dataset: ImportOptions['dataset']) {
	const jobId = await createImportJob(projectId, 'dataset');
	const messages: ImportMessage[] = [];
	const options: ImportOptions = {
		projectId,
		textMode: 'file',
		table: null,
		folderLabelTaskId: null,
		columnLabelTaskId: null,
		dataset,
		limits: DEFAULT_LIMITS
	};
	await new ImportRunner(jobId, options, (m) => void messages.push(m), decodePng).run(sources);
	const done = messages.find((m) => m.status === 'done');
	if (done?.status !== 'done') throw new Error('no done message');
	return { done, errors: messages.flatMap((m) => (m.status === 'errors' ? m.errors : [])) };
}

const coco = {
	images: [
		{ id: 0, file_name: 'a.png', width: 40, height: 30 },
		{ id: 1, file_name: 'b.png', width: 20, height: 20 },
		{ id: 2, file_name: 'gone.png', width: 20, height: 20 }
	],
	categories: [
		{ id: 0, name: 'car' },
		{ id: 1, name: 'person' }
	],
	annotations: [
		{ id: 1, image_id: 0, category_id: 1, bbox: [1, 2, 10, 12], area: 120, iscrowd: 0 },
		{ id: 2, image_id: 0, category_id: 0, bbox: [5, 5, 4, 4], area: 16, iscrowd: 0 },
		{ id: 3, image_id: 1, category_id: 0, bbox: [0, 0, 20, 20], area: 400, iscrowd: 0 }
	]
};

describe('importing a labelled dataset', () => {
	it('brings a COCO folder in with its boxes as human labels from coco, its splits and new classes', async () => {
		const sources = [
			file('ds/annotations/instances_train.json', JSON.stringify(coco)),
			file('ds/images/train/a.png', makePng(40, 30, [255, 0, 0])),
			file('ds/images/train/b.png', makePng(20, 20, [0, 255, 0]))
		];
		const { done, errors } = await run(sources, {
			format: 'coco',
			taskId: boxes.id,
			entityTaskId: null
		});
		expect(done.outcome).toBe('completed');
		expect(done.counts.imported).toBe(2);
		expect(done.counts.labeled).toBe(2);
		// The reader leaves out the listed image that is not among the files, and says so.
		expect(errors.map((e) => e.code)).toEqual(['dataset-warning']);
		expect(errors[0]?.message).toMatch(/1 image listed in the COCO files is m/);
		const project = await db().projects.get(projectId);
		const task = project?.tasks.find((t) => t.id === boxes.id);
		expect(task?.classes.map((c) => c.name)).toEqual(['car', 'person']);
		const id = (name: string) => task?.classes.find((c) => c.name === name)?.id;
		const items = await db()
			.items.where('projectId')
			.equals(projectId)
			.toArray()
			.catch(() => db().items.toArray());
		const a = items.find((i) => i.name.endsWith('a.png'));
		expect(a?.split).toBe('train');
		const annotation = await db()
			.annotations.where('[itemId+taskId]')
			.equals([a?.id as number, boxes.id])
			.first();
		expect(annotation).toMatchObject({ source: 'human', status: 'approved', origin: 'coco' });
		expect(annotation?.value).toEqual({
			type: 'boxes',
			boxes: [
				{ classId: id('person'), x: 1, y: 2, w: 10, h: 12, score: null },
				{ classId: id('car'), x: 5, y: 5, w: 4, h: 4, score: null }
			]
		});
	});

	it('reads a zipped CoNLL file into texts with entity spans at exact offsets', async () => {
		const conll = '-DOCSTART- -X- O O\n\nAlice B-PER\nvisited O\nNew B-LOC\nYork I-LOC\n\n';
		const parts: Uint8Array[] = [];
		await writeZip(
			(async function* () {
				yield { path: 'train.conll', bytes: new TextEncoder().encode(conll), compress: true };
			})(),
			(c) => void parts.push(c.slice())
		);
		const zipped = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
		let at = 0;
		for (const p of parts) {
			zipped.set(p, at);
			at += p.length;
		}
		const { done } = await run([file('ner.zip', zipped)], {
			format: 'conll',
			taskId: entities.id,
			entityTaskId: null
		});
		expect(done.outcome).toBe('completed');
		expect(done.counts.texts).toBe(1);
		const [item] = await db().items.toArray();
		expect(item?.text).toBe('Alice visited New York');
		const [annotation] = await db().annotations.toArray();
		const task = (await db().projects.get(projectId))?.tasks.find((t) => t.id === entities.id);
		const name = (classId: string) => task?.classes.find((c) => c.id === classId)?.name;
		expect(annotation?.value.type).toBe('spans');
		if (annotation?.value.type !== 'spans') return;
		expect(
			annotation.value.spans.map((s) => [item?.text?.slice(s.start, s.end), name(s.classId)])
		).toEqual([
			['Alice', 'PER'],
			['New York', 'LOC']
		]);
		expect(annotation.origin).toBe('conll');
	});

	it('stops with the reader’s message on a malformed dataset and stores nothing', async () => {
		const { done } = await run(
			[
				file('ds/data.yaml', 'names: [a, b\n'),
				file('ds/labels/train/x.txt', '0 0.5 0.5 0.1 0.1\n')
			],
			{
				format: 'yolo',
				taskId: boxes.id,
				entityTaskId: null
			}
		);
		expect(done.outcome).toBe('stopped');
		expect(done.stopReason?.code).toBe('dataset-format');
		expect(done.stopReason?.message).toMatch(/data\.yaml/);
		expect(await db().items.count()).toBe(0);
	});
});
