import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelShipDB, useDatabase } from '$lib/db/database';
import { addProject } from '$lib/db/projects';
import { createAutoLabelJob, getAutoLabelJob, updateAutoLabelJob } from '$lib/db/jobs';
import { getPrediction, predictionsForJob } from '$lib/db/predictions';
import { createTask } from '$lib/domain/labels/taskEditing';
import { confidenceLevel } from '$lib/domain/labeling/confidence';
import type { Annotation, AutoLabelJob, Item, LabelTask } from '$lib/domain/schemas';
import { AutoLabelRunner, type AutoLabelDeps, type PredictOutcome } from './autolabelRunner';

// The whole auto-label loop in Node against fake-indexeddb; the model is a fake whose
// scores are known per item, so stored levels and review flags can be checked exactly.

let database: ModelShipDB;
let projectId: number;
const sentiment = createTask(
	{ name: 'Sentiment', kind: 'text-classification', multiLabel: false },
	['Positive', 'Negative']
);
const topic = createTask({ name: 'Topic', kind: 'text-classification', multiLabel: false }, [
	'Sports',
	'Politics'
]);
const ITEMS = 10;
let itemIds: number[] = [];

/** Top score per item id: high, medium, low, uncertain and a tie (0.5 vs 0.48), in turn. */
const SCORES = [0.97, 0.85, 0.62, 0.4, 0.5];
const scoreOf = (itemId: number, taskId: string) =>
	SCORES[(itemId + (taskId === topic.id ? 1 : 0)) % SCORES.length] as number;

function outcome(itemId: number, task: LabelTask): PredictOutcome {
	const s = scoreOf(itemId, task.id);
	const [a, b] = task.classes.map((c) => c.name) as [string, string];
	return {
		ok: true,
		prediction: {
			kind: 'classes',
			classes: [
				{ label: a, index: 0, score: s },
				{ label: b, index: 1, score: s === 0.5 ? 0.48 : s / 4 }
			]
		},
		backend: 'fake wasm',
		latencyMs: 2
	};
}

interface Fake extends AutoLabelDeps {
	calls: { versionId: string; itemIds: number[] }[];
}

function fake(overrides: Partial<AutoLabelDeps> = {}): Fake {
	const calls: Fake['calls'] = [];
	return {
		calls,
		async predict(versionId, ids, task) {
			calls.push({ versionId, itemIds: [...ids] });
			return ids.map((id) => outcome(id, task));
		},
		modelName: (versionId) => `model ${versionId}`,
		...overrides
	};
}

beforeEach(async () => {
	database = new ModelShipDB(`test-${Math.random()}`);
	useDatabase(database);
	projectId = await addProject('Test', [sentiment, topic]);
	const items: Item[] = Array.from({ length: ITEMS }, (_, i) => ({
		projectId,
		kind: 'text',
		name: `t${i}.txt`,
		sha256: i.toString(16).padStart(64, '0'),
		mime: 'text/plain',
		size: 5,
		width: null,
		height: null,
		text: `text ${i}`,
		split: null,
		batchId: 1,
		createdAt: 0
	}));
	itemIds = (await database.items.bulkAdd(items, { allKeys: true })) as number[];
});

afterEach(async () => {
	database.close();
	await database.delete();
});

async function newJob(autoApprove = false, ids = itemIds): Promise<number> {
	return createAutoLabelJob(projectId, 'test', {
		tasks: [
			{ taskId: sentiment.id, modelVersionId: 'v-sent' },
			{ taskId: topic.id, modelVersionId: 'v-topic' }
		],
		itemIds: [...ids].reverse(),
		autoApprove,
		batchSize: 3
	});
}

const job = async (id: number) => (await getAutoLabelJob(id)) as AutoLabelJob;
const annotation = (itemId: number, taskId: string) =>
	database.annotations.where('[itemId+taskId]').equals([itemId, taskId]).first();

function expectOnePerTriple(predictions: { itemId: number; taskId: string }[]) {
	const keys = predictions.map((p) => `${p.itemId}:${p.taskId}`);
	expect(new Set(keys).size).toBe(keys.length);
	expect(keys.length).toBe(ITEMS * 2);
}

describe('AutoLabelRunner', () => {
	it('stores levels, review flags and reasons that match the model output', async () => {
		const jobId = await newJob();
		const deps = fake();
		expect(await new AutoLabelRunner(jobId, deps).run()).toBe('completed');

		const predictions = await predictionsForJob(jobId);
		expectOnePerTriple(predictions);
		for (const p of predictions) {
			const s = scoreOf(p.itemId, p.taskId);
			const task = p.taskId === sentiment.id ? sentiment : topic;
			expect(p.score).toBeCloseTo(s, 10);
			expect(p.level).toBe(confidenceLevel(s));
			expect(p.needsReview).toBe(s < task.threshold);
			expect(p.backend).toBe('fake wasm');
			expect(p.failed).toBeNull();
			if (s === 0.62) {
				expect(p.reviewReason).toBe(
					`low confidence for ${task.name}: 0.62 (model ${p.modelVersionId})`
				);
			}
			if (s === 0.5) expect(p.reviewReason).toMatch(/tie at the top/);
			const a = await annotation(p.itemId, p.taskId);
			expect(a?.source).toBe('model');
			expect(a?.status).toBe('pending');
			expect(a?.value).toEqual({ type: 'classes', classIds: [task.classes[0]?.id] });
		}

		const done = await job(jobId);
		expect(done.cursor).toBe(Math.max(...itemIds));
		expect(done.finishedAt).not.toBeNull();
		expect(done.summary.processed).toBe(ITEMS);
		expect(done.summary.highConfidence).toBe(predictions.filter((p) => p.level === 'high').length);
		expect(done.summary.needsReview).toBe(predictions.filter((p) => p.needsReview).length);
		expect(done.summary.autoApproved).toBe(0);
		expect(done.histograms[sentiment.id]?.total).toBe(ITEMS);
		expect(done.histograms[topic.id]?.levels.high).toBe(
			predictions.filter((p) => p.taskId === topic.id && p.level === 'high').length
		);
		// Batches of 3 over 10 items, one call per task per batch, ascending ids.
		expect(deps.calls.map((c) => c.itemIds.length)).toEqual([3, 3, 3, 3, 3, 3, 1, 1]);
		expect(deps.calls[0]?.itemIds).toEqual(itemIds.slice(0, 3));
	});

	it('auto-approves only predictions that need no review', async () => {
		const jobId = await newJob(true);
		await new AutoLabelRunner(jobId, fake()).run();
		const predictions = await predictionsForJob(jobId);
		for (const p of predictions) {
			const a = await annotation(p.itemId, p.taskId);
			expect(a?.status).toBe(p.needsReview ? 'pending' : 'approved');
		}
		expect((await job(jobId)).summary.autoApproved).toBe(
			predictions.filter((p) => !p.needsReview).length
		);
	});

	it('never overwrites a human annotation', async () => {
		const human: Annotation = {
			projectId,
			itemId: itemIds[0] as number,
			taskId: sentiment.id,
			value: { type: 'classes', classIds: [sentiment.classes[1]?.id as string] },
			source: 'human',
			status: 'approved',
			reviewer: 'me',
			updatedAt: 1
		};
		const id = await database.annotations.add(human);
		const jobId = await newJob(true);
		await new AutoLabelRunner(jobId, fake()).run();
		expect(await database.annotations.get(id)).toEqual({ ...human, id });
		expect(
			await database.annotations
				.where('[itemId+taskId]')
				.equals([human.itemId, human.taskId])
				.count()
		).toBe(1);
		// The prediction is still kept as history.
		expect(await getPrediction(human.itemId, sentiment.id, 'v-sent')).toBeDefined();
	});

	it('resumes an interrupted job with exactly one prediction per item × task, none skipped', async () => {
		const jobId = await newJob();
		let calls = 0;
		const broken = fake({
			predict: async (versionId, ids, task) => {
				// Batch 2's second task: the tab dies after batch 1 was stored.
				if (++calls === 4) throw new Error('worker crashed');
				return ids.map((id) => outcome(id, task));
			}
		});
		expect(await new AutoLabelRunner(jobId, broken).run()).toBe('failed');
		const failed = await job(jobId);
		expect(failed.cursor).toBe(itemIds[2]);
		expect(failed.message).toMatch(/worker crashed/);
		expect(await predictionsForJob(jobId)).toHaveLength(6);

		// A killed tab leaves the job marked running; a new runner picks it up from the cursor.
		await updateAutoLabelJob(jobId, { status: 'running' });
		const deps = fake();
		expect(await new AutoLabelRunner(jobId, deps).run()).toBe('completed');
		expect(deps.calls.flatMap((c) => c.itemIds).every((id) => id > (itemIds[2] as number))).toBe(
			true
		);
		expectOnePerTriple(await predictionsForJob(jobId));
		const done = await job(jobId);
		expect(done.summary.processed).toBe(ITEMS);
		expect(done.histograms[sentiment.id]?.total).toBe(ITEMS);
		expect(done.message).toBeNull();
	});

	it('skips item × task × version triples another job already stored', async () => {
		const first = await newJob(false, itemIds.slice(0, 4));
		await new AutoLabelRunner(first, fake()).run();
		const second = await newJob();
		expect(await new AutoLabelRunner(second, fake()).run()).toBe('completed');
		expect(await predictionsForJob(second)).toHaveLength((ITEMS - 4) * 2);
		expect(await database.predictions.count()).toBe(ITEMS * 2);
		await expect(
			database.predictions.add({
				...(await getPrediction(itemIds[0] as number, sentiment.id, 'v-sent'))!,
				id: undefined
			})
		).rejects.toThrow();
	});

	it('isolates a failing item: stored as failed, flagged for review, the job goes on', async () => {
		const bad = itemIds[4] as number;
		const jobId = await newJob();
		const deps = fake({
			predict: async (_versionId, ids, task) =>
				ids.map((id) =>
					id === bad && task.id === sentiment.id
						? { ok: false, error: { code: 'bad-input', message: 'text could not be decoded' } }
						: outcome(id, task)
				)
		});
		expect(await new AutoLabelRunner(jobId, deps).run()).toBe('completed');
		const p = await getPrediction(bad, sentiment.id, 'v-sent');
		expect(p).toMatchObject({
			output: null,
			needsReview: true,
			level: 'uncertain',
			failed: { code: 'bad-input', message: 'text could not be decoded' }
		});
		expect(p?.reviewReason).toMatch(/text could not be decoded/);
		expect(await annotation(bad, sentiment.id)).toBeUndefined();
		expect((await getPrediction(bad, topic.id, 'v-topic'))?.failed).toBeNull();
		const done = await job(jobId);
		expect(done.summary.failed).toBe(1);
		expectOnePerTriple(await predictionsForJob(jobId));
	});

	it('stops on a job-level failure with a clear message, and can be run again', async () => {
		const jobId = await newJob();
		const deps = fake({
			predict: async () => {
				throw new Error('model v-sent could not be loaded.');
			}
		});
		expect(await new AutoLabelRunner(jobId, deps).run()).toBe('failed');
		const failed = await job(jobId);
		expect(failed.message).toMatch(/could not be loaded/);
		expect(failed.cursor).toBeNull();
		expect(await new AutoLabelRunner(jobId, fake()).run()).toBe('completed');
		expectOnePerTriple(await predictionsForJob(jobId));
	});

	it('pauses between batches and resumes from the cursor', async () => {
		const jobId = await newJob();
		const runner: AutoLabelRunner = new AutoLabelRunner(
			jobId,
			fake({ onProgress: () => runner.pause() })
		);
		expect(await runner.run()).toBe('paused');
		const paused = await job(jobId);
		expect(paused.status).toBe('paused');
		expect(paused.cursor).toBe(itemIds[2]);
		expect(paused.finishedAt).toBeNull();
		expect(await predictionsForJob(jobId)).toHaveLength(6);

		expect(await new AutoLabelRunner(jobId, fake()).run()).toBe('completed');
		expectOnePerTriple(await predictionsForJob(jobId));
	});

	it('cancels when asked on the job record, and stays cancelled', async () => {
		const jobId = await newJob();
		let batches = 0;
		const deps = fake({
			onProgress: () => {
				if (++batches === 2) return updateAutoLabelJob(jobId, { cancelRequested: true });
			}
		});
		expect(await new AutoLabelRunner(jobId, deps).run()).toBe('cancelled');
		const cancelled = await job(jobId);
		expect(cancelled.cursor).toBe(itemIds[5]);
		expect(cancelled.finishedAt).not.toBeNull();
		expect(await predictionsForJob(jobId)).toHaveLength(12);
		const again = fake();
		expect(await new AutoLabelRunner(jobId, again).run()).toBe('cancelled');
		expect(again.calls).toHaveLength(0);
	});

	it('passes over items deleted after set-up', async () => {
		const jobId = await newJob();
		await database.items.delete(itemIds[1] as number);
		expect(await new AutoLabelRunner(jobId, fake()).run()).toBe('completed');
		expect(await predictionsForJob(jobId)).toHaveLength((ITEMS - 1) * 2);
		expect((await job(jobId)).summary.processed).toBe(ITEMS);
	});

	it('stores nothing for items a task does not apply to', async () => {
		const jobId = await newJob();
		const deps = fake({
			async predict(_versionId, ids, task) {
				// Sentiment applies to even items only (as a text task meets an image).
				return ids.map((id) =>
					task.id === sentiment.id && id % 2 === 1 ? { skip: true } : outcome(id, task)
				);
			}
		});
		expect(await new AutoLabelRunner(jobId, deps).run()).toBe('completed');
		const stored = await predictionsForJob(jobId);
		const odd = itemIds.filter((id) => id % 2 === 1).length;
		expect(stored).toHaveLength(ITEMS * 2 - odd);
		expect(stored.some((p) => p.taskId === sentiment.id && p.itemId % 2 === 1)).toBe(false);
		const done = await job(jobId);
		expect(done.summary.processed).toBe(ITEMS);
		expect(done.histograms[sentiment.id]?.total).toBe(ITEMS - odd);
	});

	it('decides multi-label classes at their own thresholds', async () => {
		const tags = createTask({ name: 'Tags', kind: 'text-classification', multiLabel: true }, [
			'cat',
			'dog'
		]);
		tags.classes[0] = { ...(tags.classes[0] as LabelTask['classes'][number]), threshold: 0.9 };
		await database.projects.update(projectId, { tasks: [sentiment, topic, tags] });
		const jobId = await createAutoLabelJob(projectId, 'tags', {
			tasks: [{ taskId: tags.id, modelVersionId: 'v-tags' }],
			itemIds: itemIds.slice(0, 1),
			autoApprove: false,
			batchSize: 4
		});
		const deps = fake({
			async predict(_versionId, ids) {
				return ids.map(() => ({
					ok: true as const,
					prediction: {
						kind: 'classes' as const,
						classes: [
							{ label: 'cat', index: 0, score: 0.85 },
							{ label: 'dog', index: 1, score: 0.99 }
						]
					},
					backend: 'fake wasm',
					latencyMs: 1
				}));
			}
		});
		expect(await new AutoLabelRunner(jobId, deps).run()).toBe('completed');
		const [p] = await predictionsForJob(jobId);
		expect(p?.needsReview).toBe(true);
		expect(p?.reviewReason).toContain('class threshold 0.90');
		const stored = await annotation(itemIds[0] as number, tags.id);
		// cat (0.85) is under its own 0.9 threshold: only dog is decided.
		expect(stored?.value).toEqual({ type: 'classes', classIds: [tags.classes[1]?.id] });
	});

	it('writes no annotation when the top label is no class of a single-label task', async () => {
		const jobId = await newJob(true, itemIds.slice(0, 1));
		const deps = fake({
			async predict(_versionId, ids, task) {
				if (task.id !== sentiment.id) return ids.map((id) => outcome(id, task));
				return ids.map(() => ({
					ok: true as const,
					prediction: {
						kind: 'classes' as const,
						classes: [{ label: 'neutral', index: 2, score: 0.99 }]
					},
					backend: 'fake wasm',
					latencyMs: 1
				}));
			}
		});
		expect(await new AutoLabelRunner(jobId, deps).run()).toBe('completed');
		const stored = await getPrediction(itemIds[0] as number, sentiment.id, 'v-sent');
		expect(stored?.needsReview).toBe(true);
		expect(stored?.reviewReason).toContain("model label 'neutral' has no class in task Sentiment");
		expect(await annotation(itemIds[0] as number, sentiment.id)).toBeUndefined();
		expect(await annotation(itemIds[0] as number, topic.id)).toBeDefined();
	});
});
