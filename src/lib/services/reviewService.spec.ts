import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelShipDB, useDatabase } from '$lib/db/database';
import { addProject } from '$lib/db/projects';
import { createTask } from '$lib/domain/labels/taskEditing';
import { DEFAULT_QUEUE_FILTER } from '$lib/domain/review/queue';
import type { Annotation, Item, PredictionRecord } from '$lib/domain/schemas';
import {
	bulkApprove,
	decideItem,
	loadQueue,
	queueHead,
	reviewLog,
	secondOpinionIds,
	statsOf,
	undoLast
} from './reviewService';

// Decisions, the event log and undo against fake-indexeddb, as the review page drives them.

let database: ModelShipDB;
let projectId: number;
let ids: number[];
const pets = createTask({ name: 'Pets', kind: 'image-classification', multiLabel: false }, [
	'cat',
	'dog'
]);
const [cat, dog] = pets.classes.map((c) => c.id) as [string, string];

const item = (i: number): Item => ({
	projectId,
	kind: 'image',
	name: `p${i}.png`,
	sha256: i.toString(16).padStart(64, '0'),
	mime: 'image/png',
	size: 10,
	width: 4,
	height: 4,
	text: null,
	split: null,
	batchId: 1,
	createdAt: 0
});

beforeEach(async () => {
	database = new ModelShipDB(`test-${Math.random()}`);
	useDatabase(database);
	projectId = await addProject('Pets', [pets]);
	ids = (await database.items.bulkAdd([1, 2, 3, 4].map(item), { allKeys: true })) as number[];
	// A model labelled every item "cat" with scores 0.99, 0.7, 0.5, 0.97.
	const scores = [0.99, 0.7, 0.5, 0.97];
	const predictions: PredictionRecord[] = ids.map((itemId, i) => ({
		projectId,
		itemId,
		taskId: pets.id,
		modelVersionId: 'v1',
		jobId: 1,
		output: { kind: 'classes', classes: [{ label: 'cat', index: 0, score: scores[i] as number }] },
		score: scores[i] as number,
		level:
			(scores[i] as number) >= 0.95 ? 'high' : (scores[i] as number) >= 0.6 ? 'low' : 'uncertain',
		needsReview: (scores[i] as number) < 0.8,
		reviewReason: null,
		failed: null,
		backend: 'fake',
		latencyMs: 1,
		createdAt: 1
	}));
	await database.predictions.bulkAdd(predictions);
	const annotations: Annotation[] = ids.map((itemId) => ({
		projectId,
		itemId,
		taskId: pets.id,
		value: { type: 'classes', classIds: [cat] },
		source: 'model',
		status: 'pending',
		reviewer: null,
		updatedAt: 1
	}));
	await database.annotations.bulkAdd(annotations);
});

afterEach(async () => {
	database.close();
	await database.delete();
});

const annotationOf = (itemId: number) =>
	database.annotations.where('[itemId+taskId]').equals([itemId, pets.id]).first();
const base = () => ({ projectId, taskId: pets.id, reviewer: 'ana' });

describe('review service', () => {
	it('the queue: needs review first, most uncertain first, with counts and stats', async () => {
		const queue = await loadQueue(projectId, pets.id, DEFAULT_QUEUE_FILTER, 'uncertain');
		expect(queue.entries.map((e) => e.itemId)).toEqual([ids[2], ids[1]]);
		expect(queue.counts.views).toEqual({ 'needs-review': 2, all: 4, high: 2 });
		const all = await loadQueue(
			projectId,
			pets.id,
			{ ...DEFAULT_QUEUE_FILTER, view: 'all' },
			'uncertain'
		);
		expect(statsOf(all.entries)).toMatchObject({ total: 4, pending: 4, progress: 0 });
		expect(statsOf(all.entries).averageConfidence).toBeCloseTo(0.79, 5);
	});

	it('each decision writes the annotation and an event with before/after and a growing seq', async () => {
		const a = await decideItem({ ...base(), itemId: ids[0] as number, action: 'approve' });
		const r = await decideItem({ ...base(), itemId: ids[1] as number, action: 'reject' });
		const c = await decideItem({
			...base(),
			itemId: ids[2] as number,
			action: 'approve',
			value: { type: 'classes', classIds: [dog] }
		});
		expect((await annotationOf(ids[0] as number))?.status).toBe('approved');
		expect((await annotationOf(ids[1] as number))?.status).toBe('rejected');
		expect(await annotationOf(ids[2] as number)).toMatchObject({
			status: 'corrected',
			source: 'human',
			reviewer: 'ana',
			value: { classIds: [dog] }
		});
		const log = await reviewLog(projectId);
		expect(log.map((e) => e.action)).toEqual(['approve', 'reject', 'correct']);
		expect(log.map((e) => e.seq)).toEqual([a.event.seq, r.event.seq, c.event.seq]);
		expect((log[0]?.seq ?? 0) < (log[2]?.seq ?? 0)).toBe(true);
		expect(log[2]?.before).toMatchObject({ status: 'pending', value: { classIds: [cat] } });
		expect(log[2]?.after).toMatchObject({ status: 'corrected', value: { classIds: [dog] } });
	});

	it('undo goes back several levels, logs itself, and refuses when someone changed the item since', async () => {
		await decideItem({ ...base(), itemId: ids[0] as number, action: 'approve' });
		await decideItem({ ...base(), itemId: ids[1] as number, action: 'flag', note: 'blurry' });
		expect((await undoLast(projectId, 'ana'))?.event.itemId).toBe(ids[1]);
		expect((await annotationOf(ids[1] as number))?.status).toBe('pending');
		expect((await undoLast(projectId, 'ana'))?.event.itemId).toBe(ids[0]);
		expect((await annotationOf(ids[0] as number))?.status).toBe('pending');
		expect(await undoLast(projectId, 'ana')).toBeNull();
		const log = await reviewLog(projectId);
		expect(log.map((e) => e.action)).toEqual(['approve', 'flag', 'undo', 'undo']);
		expect(log[2]?.undoes).toBe(log[1]?.seq);

		await decideItem({ ...base(), itemId: ids[2] as number, action: 'approve' });
		await decideItem({ ...base(), reviewer: 'bo', itemId: ids[2] as number, action: 'reject' });
		await expect(undoLast(projectId, 'ana')).rejects.toThrow('bo changed this item');
		expect((await annotationOf(ids[2] as number))?.status).toBe('rejected');
	});

	it('bulk approval approves open items only, one event each', async () => {
		await decideItem({ ...base(), itemId: ids[1] as number, action: 'reject' });
		expect(await bulkApprove(projectId, pets.id, ids, 'ana')).toBe(3);
		expect((await annotationOf(ids[1] as number))?.status).toBe('rejected');
		expect((await reviewLog(projectId)).filter((e) => e.action === 'approve')).toHaveLength(3);
	});

	it('a second opinion is logged blind and leaves the annotation alone', async () => {
		await decideItem({ ...base(), itemId: ids[0] as number, action: 'approve' });
		expect(await secondOpinionIds(projectId, pets.id, 'bo')).toEqual([ids[0]]);
		expect(await secondOpinionIds(projectId, pets.id, 'ana')).toEqual([]);
		await decideItem({
			...base(),
			reviewer: 'bo',
			itemId: ids[0] as number,
			action: 'reject',
			secondOpinion: true
		});
		expect(await annotationOf(ids[0] as number)).toMatchObject({
			status: 'approved',
			reviewer: 'ana'
		});
		expect(await secondOpinionIds(projectId, pets.id, 'bo')).toEqual([]);
		const last = (await reviewLog(projectId)).at(-1);
		expect(last).toMatchObject({ reviewer: 'bo', action: 'reject', secondOpinion: true });
	});

	it('the queue head is the start of the default queue, read in score order', async () => {
		// A newer version re-scored item 1 low: its newest prediction counts, not the old one.
		const [old] = await database.predictions
			.where('[itemId+taskId+modelVersionId]')
			.equals([ids[0] as number, pets.id, 'v1'])
			.toArray();
		const { id: _id, ...fields } = old as PredictionRecord;
		await database.predictions.add({
			...fields,
			modelVersionId: 'v2',
			score: 0.3,
			level: 'uncertain',
			needsReview: true,
			createdAt: 2
		});
		await decideItem({ ...base(), itemId: ids[2] as number, action: 'reject' });
		const full = await loadQueue(projectId, pets.id, DEFAULT_QUEUE_FILTER, 'uncertain');
		const head = await queueHead(projectId, pets.id, 10);
		expect(head).toEqual(full.entries);
		expect(head?.map((e) => e.itemId)).toEqual([ids[0], ids[1]]);
		expect((await queueHead(projectId, pets.id, 1))?.map((e) => e.itemId)).toEqual([ids[0]]);
		// Items without any prediction would come first: the shortcut declines.
		await database.items.bulkAdd([item(9), item(10)]);
		expect(await queueHead(projectId, pets.id, 10)).toBeNull();
	});
});
