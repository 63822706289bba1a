/**
 * The review workspace benchmark's data side (run.mjs's `review` part): seeds a project of
 * texts with one single-label text-classification task, a model's prediction and pending
 * annotation for every item, and a reviewer name in the settings; then, after the run on the
 * real review page, reads back what the page stored so the run can check it.
 *
 * Everything goes through the app's own modules (Dexie schema, projects, settings, the review
 * service's queue), on the same origin as the built app, so the page reads exactly this.
 */
import Dexie from 'dexie';
import { db, WRITE_CHUNK } from '$lib/db/database';
import { addProject } from '$lib/db/projects';
import { createImportJob, updateJob } from '$lib/db/jobs';
import { saveSettings } from '$lib/db/settings';
import { confidenceLevel } from '$lib/domain/labeling/confidence';
import { countQueue, DEFAULT_QUEUE_FILTER, matches, sortQueue } from '$lib/domain/review/queue';
import { loadQueue, queueEntries, reviewLog } from '$lib/services/reviewService';
import {
	emptyCounts,
	type Annotation,
	type AppSettings,
	type LabelTask,
	type PredictionRecord
} from '$lib/domain/schemas';
import { makeTexts, seeded, textRecords } from './data';

export const REVIEW_TASK: LabelTask = {
	id: 'sentiment',
	name: 'Sentiment',
	kind: 'text-classification',
	multiLabel: false,
	classes: [
		{ id: 'positive', name: 'positive', color: '#2e9d5b', key: '1', threshold: null },
		{ id: 'negative', name: 'negative', color: '#c8433a', key: '2', threshold: null }
	],
	threshold: 0.8,
	productionModelVersionId: null
};

const MODEL_VERSION = 'bench-sentiment@1';

/**
 * Review scores spread over [0, 1] but mostly high, as a decent model's are: score = u^0.2435
 * puts P(score < 0.8) = 0.8^(1/0.2435) ≈ 0.40, so about 40 % fall under the task threshold
 * and need review (and about 6 % fall under 0.5).
 */
const SCORE_EXPONENT = 0.2435;

export interface ReviewSeed {
	projectId: number;
	taskId: string;
	items: number;
	needsReview: number;
	/** The default queue (needs review, most uncertain first), its first `keep` item ids. */
	queueIds: number[];
	/** Entries in the default queue. */
	queueLength: number;
	seedSeconds: number;
	/** `loadQueue` alone on this page (storage side of opening the queue), ms. */
	loadQueueMs: number;
}

/**
 * A project of `n` texts, each with one prediction of a bench model version and the model's
 * pending annotation (its top class), written straight to the database in chunks of
 * WRITE_CHUNK; the settings get `reviewer` so the review page does not ask for a name.
 */
async function reviewSeed(n: number, reviewer: string, keep = 2000): Promise<ReviewSeed> {
	const started = performance.now();
	const database = db();
	await saveSettings({ reviewer, reviewers: [reviewer] } as Partial<AppSettings>);
	const projectId = await addProject(`bench review ${n} texts`, [REVIEW_TASK]);
	const batchId = await createImportJob(projectId, 'bench review seed');
	const texts = makeTexts(n, 555);
	const random = seeded(77);
	let needsReview = 0;
	for (let i = 0; i < n; i += WRITE_CHUNK) {
		const chunk = textRecords(texts.slice(i, i + WRITE_CHUNK), projectId, batchId);
		const ids = (await database.items.bulkAdd(chunk, { allKeys: true })) as number[];
		const now = Date.now();
		const predictions: PredictionRecord[] = [];
		const annotations: Annotation[] = [];
		for (const itemId of ids) {
			const score = random() ** SCORE_EXPONENT;
			const positive = random() < 0.55;
			const top = positive ? 'positive' : 'negative';
			const other = positive ? 'negative' : 'positive';
			const flagged = score < REVIEW_TASK.threshold;
			if (flagged) needsReview += 1;
			predictions.push({
				projectId,
				itemId,
				taskId: REVIEW_TASK.id,
				modelVersionId: MODEL_VERSION,
				jobId: batchId,
				output: {
					kind: 'classes',
					classes: [
						{ label: top, index: positive ? 1 : 0, score },
						{ label: other, index: positive ? 0 : 1, score: 1 - score }
					]
				},
				score,
				level: confidenceLevel(score),
				needsReview: flagged,
				reviewReason: flagged
					? `score ${score.toFixed(2)} is below the task threshold ${REVIEW_TASK.threshold}`
					: null,
				failed: null,
				backend: 'onnxruntime-web wasm',
				latencyMs: 4,
				createdAt: now
			});
			annotations.push({
				projectId,
				itemId,
				taskId: REVIEW_TASK.id,
				value: { type: 'classes', classIds: [top] },
				source: 'model',
				status: 'pending',
				reviewer: null,
				note: null,
				updatedAt: now
			});
		}
		await database.transaction('rw', database.predictions, database.annotations, async () => {
			await database.predictions.bulkAdd(predictions);
			await database.annotations.bulkAdd(annotations);
		});
	}
	await updateJob(batchId, {
		status: 'completed',
		finishedAt: Date.now(),
		counts: { ...emptyCounts(), filesDone: 1, filesTotal: 1, imported: n, texts: n }
	});
	const seedSeconds = (performance.now() - started) / 1000;
	const t = performance.now();
	const queue = await loadQueue(projectId, REVIEW_TASK.id, DEFAULT_QUEUE_FILTER, 'uncertain');
	const loadQueueMs = performance.now() - t;
	if (queue.total !== n || queue.entries.length !== needsReview) {
		throw new Error(
			`review seed: the queue holds ${queue.entries.length} of ${queue.total} entries, ` +
				`want ${needsReview} needing review of ${n}`
		);
	}
	return {
		projectId,
		taskId: REVIEW_TASK.id,
		items: n,
		needsReview,
		queueIds: queue.entries.slice(0, keep).map((e) => e.itemId),
		queueLength: queue.entries.length,
		seedSeconds,
		loadQueueMs
	};
}

export interface ReviewStored {
	/** The project's review log, oldest first, in short. */
	events: { seq: number; itemId: number; action: string; reviewer: string; at: number }[];
	/** The task's annotations by `status` (`human:` / `model:` source prefix). */
	annotations: Record<string, number>;
	/** Items whose annotation is approved by `reviewer`. */
	approvedBy: number[];
	/** Of those, items whose prediction did not need review (not in the default queue). */
	approvedNotFlagged: number;
}

/** What the review page stored: its log and the task's annotations by status. */
async function reviewStored(
	projectId: number,
	taskId: string,
	reviewer: string
): Promise<ReviewStored> {
	const log = await reviewLog(projectId);
	const annotations: Record<string, number> = {};
	const approvedBy: number[] = [];
	await db()
		.annotations.where('[projectId+taskId]')
		.equals([projectId, taskId])
		.each((a) => {
			const key = `${a.source}:${a.status}`;
			annotations[key] = (annotations[key] ?? 0) + 1;
			if (a.status === 'approved' && a.reviewer === reviewer) approvedBy.push(a.itemId);
		});
	const predictions = await db()
		.predictions.where('[itemId+taskId+modelVersionId]')
		.anyOf(approvedBy.map((id) => [id, taskId, MODEL_VERSION]))
		.toArray();
	const approvedNotFlagged = approvedBy.length - predictions.filter((p) => p.needsReview).length;
	return {
		approvedNotFlagged,
		events: log.map((e) => ({
			seq: e.seq ?? 0,
			itemId: e.itemId,
			action: e.action,
			reviewer: e.reviewer,
			at: e.at
		})),
		annotations,
		approvedBy
	};
}

/**
 * Where opening a queue's time goes on the storage side (`--profile`), ms: the review
 * service's reads one by one (`queueEntries` streams predictions and annotations with
 * `each`, a cursor step per record), the same reads with `toArray` (IndexedDB `getAll`), and
 * the pure steps on the entries.
 */
async function reviewProfile(projectId: number, taskId: string): Promise<Record<string, number>> {
	const database = db();
	const ms: Record<string, number> = {};
	const time = async <T>(name: string, run: () => Promise<T> | T): Promise<T> => {
		const t = performance.now();
		const out = await run();
		ms[name] = Math.round(performance.now() - t);
		return out;
	};
	await time('item ids (index keys)', () =>
		database.items
			.where('[projectId+kind+id]')
			.between([projectId, 'text', Dexie.minKey], [projectId, 'text', Dexie.maxKey])
			.primaryKeys()
	);
	const range = () => [projectId, taskId];
	await time('predictions .each', () =>
		database.predictions
			.where('[projectId+taskId]')
			.equals(range())
			.each(() => undefined)
	);
	await time('predictions .toArray', () =>
		database.predictions.where('[projectId+taskId]').equals(range()).toArray()
	);
	await time('annotations .each', () =>
		database.annotations
			.where('[projectId+taskId]')
			.equals(range())
			.each(() => undefined)
	);
	await time('annotations .toArray', () =>
		database.annotations.where('[projectId+taskId]').equals(range()).toArray()
	);
	const entries = await time('queueEntries (whole)', () => queueEntries(projectId, REVIEW_TASK));
	const kept = await time('filter (needs review)', () =>
		entries.filter((e) => matches(e, DEFAULT_QUEUE_FILTER))
	);
	await time('sort (uncertain)', () => sortQueue(kept, 'uncertain'));
	await time('countQueue', () => countQueue(entries));
	await time('loadQueue (whole)', () =>
		loadQueue(projectId, taskId, DEFAULT_QUEUE_FILTER, 'uncertain')
	);
	return ms;
}

export const review = { reviewSeed, reviewStored, reviewProfile };
