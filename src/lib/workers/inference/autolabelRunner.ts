import type {
	Annotation,
	AutoLabelJob,
	InferenceError,
	LabelTask,
	Prediction,
	PredictionRecord,
	StoredPrediction
} from '$lib/domain/schemas';
import { addScores, mergeHistograms, emptyHistogram } from '$lib/domain/labeling/histogram';
import { addBatch, nextBatch, type PredictionOutcome } from '$lib/domain/labeling/jobPlan';
import { decisionOptions } from '$lib/domain/labeling/decisionOptions';
import { mapToTask } from '$lib/domain/labeling/mapToTask';
import { reviewDecision } from '$lib/domain/labeling/reviewDecision';
import { db } from '$lib/db/database';
import { isQuotaExceeded, QUOTA_MESSAGE } from '$lib/db/errors';
import { getAutoLabelJob, getJobItemIds, updateAutoLabelJob } from '$lib/db/jobs';

/**
 * One item's result from a model version, in the order the item ids were given. `skip`: the
 * task does not apply to the item (a text task on an image): nothing is stored for it.
 */
export type PredictOutcome =
	| { ok: true; prediction: Prediction; backend: string; latencyMs: number }
	| { ok: false; error: InferenceError }
	| { skip: true };

export interface AutoLabelDeps {
	/**
	 * Runs a model version over items for a task (zero-shot versions take the task's classes).
	 * A per-item failure is an `{ ok: false }` entry; throwing (the model cannot load) stops
	 * the job as 'failed'.
	 */
	predict(modelVersionId: string, itemIds: number[], task: LabelTask): Promise<PredictOutcome[]>;
	/** "distilbert-sst2 1.0.0": named in review reasons. */
	modelName(modelVersionId: string): string | Promise<string>;
	/** Called after every stored batch and when the job stops; awaited (comlink answers). */
	onProgress?(job: AutoLabelJob): void | Promise<void>;
	now?(): number;
}

export type RunOutcome = AutoLabelJob['status'];

class StopJob extends Error {}

/** One Web Lock per task, so only one job writes to a task at a time (absent in Node). */
function taskLock(projectId: number, taskId: string): string {
	return `autolabel-task-${projectId}-${taskId}`;
}

async function anyHeld(names: readonly string[]): Promise<boolean> {
	const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
	if (!locks) return false;
	const held = (await locks.query()).held ?? [];
	return held.some((lock) => names.includes(lock.name ?? ''));
}

async function withLocks<T>(names: string[], body: () => Promise<T>): Promise<T> {
	const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
	if (!locks || names.length === 0) return body();
	const [first, ...rest] = names;
	return locks.request(first as string, () => withLocks(rest, body));
}

/**
 * One auto-label job, from its stored cursor to the end. Each batch's predictions, the
 * annotations they update and the advanced cursor are written in ONE transaction, so a killed
 * tab resumes after the last whole batch: no item labeled twice, none skipped. Pause and
 * cancel (in memory or requested on the job record) are honoured between batches.
 *
 * Example: `await new AutoLabelRunner(jobId, { predict, modelName }).run()` → `'completed'`.
 */
export class AutoLabelRunner {
	private pauseFlag = false;
	private cancelFlag = false;
	private readonly now: () => number;

	constructor(
		private readonly jobId: number,
		private readonly deps: AutoLabelDeps
	) {
		this.now = deps.now ?? (() => Date.now());
	}

	pause(): void {
		this.pauseFlag = true;
	}

	cancel(): void {
		this.cancelFlag = true;
	}

	async run(): Promise<RunOutcome> {
		const initial = await getAutoLabelJob(this.jobId);
		if (!initial) throw new Error(`Auto-label job ${this.jobId} does not exist.`);
		const names = [...new Set(initial.params.tasks.map((t) => t.taskId))]
			.sort()
			.map((taskId) => taskLock(initial.projectId, taskId));
		if (await anyHeld(names)) {
			await updateAutoLabelJob(this.jobId, {
				message: 'Queued: another job is labelling the same task; this one starts when it ends.'
			});
		}
		return withLocks(names, () => this.runLocked());
	}

	private async runLocked(): Promise<RunOutcome> {
		// Read again under the locks: a runner that held them may have finished the job.
		const job = await getAutoLabelJob(this.jobId);
		if (!job) throw new Error(`Auto-label job ${this.jobId} does not exist.`);
		if (job.status === 'completed' || job.status === 'cancelled') return job.status;
		try {
			const project = await db().projects.get(job.projectId);
			if (!project) throw new StopJob('the project no longer exists.');
			const tasks = job.params.tasks.map((t) => {
				const task = project.tasks.find((p) => p.id === t.taskId);
				if (!task) throw new StopJob(`task ${t.taskId} no longer exists.`);
				return { ...t, task };
			});
			const names = new Map<string, string>();
			for (const t of tasks)
				names.set(t.modelVersionId, await this.deps.modelName(t.modelVersionId));
			await updateAutoLabelJob(this.jobId, {
				status: 'running',
				message: null,
				finishedAt: null
			});
			const itemIds = await getJobItemIds(this.jobId);
			let cursor = job.cursor;
			for (;;) {
				const stop = await this.stopRequested();
				if (stop) return await this.finish(stop, null);
				const batch = nextBatch(itemIds, cursor, job.params.batchSize);
				if (batch.ids.length === 0) return await this.finish('completed', null);
				const started = this.now();
				const results = [];
				for (const t of tasks) {
					const outputs = await this.deps.predict(t.modelVersionId, batch.ids, t.task);
					if (outputs.length !== batch.ids.length) {
						throw new StopJob(
							`${names.get(t.modelVersionId)} answered ${outputs.length} results for ${batch.ids.length} items.`
						);
					}
					results.push({ ...t, modelName: names.get(t.modelVersionId) ?? '', outputs });
				}
				const last = batch.ids[batch.ids.length - 1] as number;
				await this.writeBatch(job, cursor, last, batch.ids, results, started);
				cursor = last;
			}
		} catch (error) {
			const message = isQuotaExceeded(error)
				? QUOTA_MESSAGE
				: `Auto-labeling stopped: ${error instanceof Error ? error.message : String(error)} Labels stored so far are kept; run the job again to go on.`;
			return this.finish('failed', message);
		}
	}

	/** Pause or cancel, asked in memory (this runner) or on the record (another context). */
	private async stopRequested(): Promise<'paused' | 'cancelled' | null> {
		const stored = await getAutoLabelJob(this.jobId);
		if (this.cancelFlag || stored?.cancelRequested || !stored) return 'cancelled';
		if (this.pauseFlag || stored.pauseRequested) return 'paused';
		return null;
	}

	private async finish(status: RunOutcome, message: string | null): Promise<RunOutcome> {
		const done = status === 'completed' || status === 'cancelled' || status === 'failed';
		await updateAutoLabelJob(this.jobId, {
			status,
			message,
			finishedAt: done ? this.now() : null,
			pauseRequested: false,
			cancelRequested: false
		});
		const job = await getAutoLabelJob(this.jobId);
		if (job) await this.deps.onProgress?.(job);
		return status;
	}

	private async writeBatch(
		job: AutoLabelJob,
		expectedCursor: number | null,
		last: number,
		ids: number[],
		results: {
			taskId: string;
			modelVersionId: string;
			task: LabelTask;
			modelName: string;
			outputs: PredictOutcome[];
		}[],
		started: number
	): Promise<void> {
		const database = db();
		const tables = [database.jobs, database.items, database.predictions, database.annotations];
		const updated = await database.transaction('rw', tables, async () => {
			const current = await getAutoLabelJob(this.jobId);
			if (!current || current.cursor !== expectedCursor) {
				throw new StopJob('another runner moved this job on.');
			}
			// Items deleted since set-up are passed over (their predictions would be orphans).
			const alive = new Set(await database.items.where(':id').anyOf(ids).primaryKeys());
			const createdAt = this.now();
			const predictions: PredictionRecord[] = [];
			const annotations: Annotation[] = [];
			const outcomes: PredictionOutcome[] = [];
			const histograms = { ...current.histograms };
			for (const r of results) {
				const stored = new Set(
					(
						await database.predictions
							.where('[itemId+taskId+modelVersionId]')
							.anyOf(ids.map((id) => [id, r.taskId, r.modelVersionId]))
							.toArray()
					).map((p) => p.itemId)
				);
				const existing = new Map(
					(
						await database.annotations
							.where('[itemId+taskId]')
							.anyOf(ids.map((id) => [id, r.taskId]))
							.toArray()
					).map((a) => [a.itemId, a])
				);
				const scores: number[] = [];
				const options = decisionOptions(r.task);
				ids.forEach((itemId, i) => {
					if (!alive.has(itemId) || stored.has(itemId)) return;
					const output = r.outputs[i] as PredictOutcome;
					if ('skip' in output) return;
					const base = {
						projectId: job.projectId,
						itemId,
						taskId: r.taskId,
						modelVersionId: r.modelVersionId,
						jobId: this.jobId,
						createdAt
					};
					if (!output.ok) {
						predictions.push({
							...base,
							output: null,
							score: 0,
							level: 'uncertain',
							needsReview: true,
							reviewReason: `failed for ${r.task.name}: ${output.error.message} (${r.modelName})`,
							failed: { code: output.error.code, message: output.error.message },
							backend: null,
							latencyMs: 0
						});
						outcomes.push({ ok: false });
						return;
					}
					const decision = reviewDecision(output.prediction, r.task, {
						...options,
						modelName: r.modelName
					});
					predictions.push({
						...base,
						output: storable(output.prediction),
						...decision,
						failed: null,
						backend: output.backend,
						latencyMs: Math.max(0, output.latencyMs)
					});
					scores.push(decision.score);
					let autoApproved = false;
					const mapped = mapToTask(output.prediction, r.task, options);
					const previous = existing.get(itemId);
					// A single-label top class the task lacks gives no class at all: nothing worth
					// an annotation (the prediction is flagged for review with the reason).
					const noClass =
						mapped.ok &&
						mapped.value.type === 'classes' &&
						!r.task.multiLabel &&
						mapped.value.classIds.length === 0;
					if (mapped.ok && !noClass && previous?.source !== 'human') {
						autoApproved = job.params.autoApprove && !decision.needsReview;
						annotations.push({
							...(previous?.id === undefined ? {} : { id: previous.id }),
							projectId: job.projectId,
							itemId,
							taskId: r.taskId,
							value: mapped.value,
							source: 'model',
							status: autoApproved ? 'approved' : 'pending',
							reviewer: null,
							updatedAt: createdAt
						});
					}
					outcomes.push({
						ok: true,
						level: decision.level,
						needsReview: decision.needsReview,
						autoApproved
					});
				});
				histograms[r.taskId] = mergeHistograms(
					histograms[r.taskId] ?? emptyHistogram(),
					addScores(emptyHistogram(), scores)
				);
			}
			await database.predictions.bulkAdd(predictions);
			await database.annotations.bulkPut(annotations);
			const summary = addBatch(current.summary, {
				items: ids.length,
				outcomes,
				elapsedMs: this.now() - started
			});
			const patch = { cursor: last, summary, histograms };
			await updateAutoLabelJob(this.jobId, patch);
			return { ...current, ...patch };
		});
		await this.deps.onProgress?.(updated);
	}
}

/** Embeddings are never stored: a vector per item would bloat IndexedDB. */
function storable(prediction: Prediction): StoredPrediction | null {
	return prediction.kind === 'embedding' ? null : prediction;
}
