import Dexie from 'dexie';
import { z } from 'zod';
import { db } from '$lib/db/database';
import { eachItemKey } from '$lib/db/itemKeys';
import {
	createAutoLabelJob,
	getAutoLabelJob,
	listAutoLabelJobs,
	updateAutoLabelJob
} from '$lib/db/jobs';
import { getModel, getVersion } from '$lib/db/models';
import { getProject } from '$lib/db/projects';
import { estimateSeconds } from '$lib/domain/labeling/jobPlan';
import { modelFitsTask } from '$lib/domain/models/registryRules';
import {
	taskItemKind,
	type AutoLabelJob,
	type ItemKind,
	type LabelTask
} from '$lib/domain/schemas';
import { runAutoLabel, runModel } from '$lib/workers/inference/client';
import { setThreshold } from '$lib/domain/labels/taskEditing';
import { editTask } from './projectService';
import { queryItemIds, type ItemFilter } from './itemQuery';

/**
 * Auto-label jobs from the page's side: which items a job covers, a run-time estimate
 * measured on a few of them, starting a job in an inference worker, pause / resume / cancel,
 * and resuming jobs a closed tab left running. The job itself runs in the worker
 * (workers/inference/autolabelRunner.ts); progress lives on its record.
 */

export const ItemScope = z.enum(['all', 'unlabeled', 'filter']);
export type ItemScope = z.infer<typeof ItemScope>;

export const AutoLabelChoices = z.object({
	scope: ItemScope,
	tasks: z
		.array(
			z.object({
				taskId: z.string().min(1),
				modelVersionId: z.string().min(1, 'choose a model version'),
				threshold: z.number().min(0).max(1)
			})
		)
		.min(1, 'choose at least one label task'),
	autoApprove: z.boolean(),
	batchSize: z.number().int().min(1).max(256).default(16)
});
export type AutoLabelChoices = z.input<typeof AutoLabelChoices>;

export class AutoLabelSetupError extends Error {}

const BATCH_OVERHEAD_MS = 15;
const PROBE_ITEMS = 4;

/** Ids of a project's items of one kind, ascending, from the index alone. */
async function idsOfKind(projectId: number, kind: ItemKind): Promise<number[]> {
	return db()
		.items.where('[projectId+kind+id]')
		.between([projectId, kind, Dexie.minKey], [projectId, kind, Dexie.maxKey])
		.primaryKeys();
}

/** Item ids that hold an annotation for `taskId` (key cursor: no annotation is loaded). */
async function labeledFor(ids: readonly number[], taskId: string): Promise<Set<number>> {
	const out = new Set<number>();
	await eachItemKey('annotations', ids, (itemId, task) => {
		if (task === taskId) out.add(itemId);
	});
	return out;
}

export interface ScopedItems {
	/** Every item the job walks, ascending. */
	itemIds: number[];
	/** taskId → how many of them the task applies to, and the first few (to time the model on). */
	perTask: Record<string, { count: number; sample: number[] }>;
}

/**
 * The items a job covers: those in the scope whose kind one of the chosen tasks labels.
 * "unlabeled" keeps, per task, the items with no annotation for that task yet, so an image
 * labelled for Colour but not for Objects is still labelled for Objects.
 */
export async function scopeItems(
	projectId: number,
	tasks: readonly Pick<LabelTask, 'id' | 'kind'>[],
	scope: ItemScope,
	filter: ItemFilter | null
): Promise<ScopedItems> {
	const inFilter =
		scope === 'filter' && filter ? new Set(await queryItemIds(projectId, filter, 'oldest')) : null;
	const byKind = new Map<ItemKind, number[]>();
	for (const task of tasks) {
		const kind = taskItemKind[task.kind];
		if (!byKind.has(kind)) {
			const ids = await idsOfKind(projectId, kind);
			byKind.set(kind, inFilter ? ids.filter((id) => inFilter.has(id)) : ids);
		}
	}
	const perTask: ScopedItems['perTask'] = {};
	const chosen = new Set<number>();
	for (const task of tasks) {
		let ids = byKind.get(taskItemKind[task.kind]) ?? [];
		if (scope === 'unlabeled') {
			const labeled = await labeledFor(ids, task.id);
			ids = ids.filter((id) => !labeled.has(id));
		}
		perTask[task.id] = { count: ids.length, sample: ids.slice(0, PROBE_ITEMS) };
		for (const id of ids) chosen.add(id);
	}
	return { itemIds: [...chosen].sort((a, b) => a - b), perTask };
}

async function tasksOf(projectId: number, choices: AutoLabelChoices): Promise<LabelTask[]> {
	const project = await getProject(projectId);
	if (!project) throw new AutoLabelSetupError('This project no longer exists.');
	return choices.tasks.map((c) => {
		const task = project.tasks.find((t) => t.id === c.taskId);
		if (!task) throw new AutoLabelSetupError(`A chosen task no longer exists (${c.taskId}).`);
		return task;
	});
}

/** "tiny-image-classifier 1.0.0", after checking the version exists and fits the task. */
async function checkedVersion(task: LabelTask, versionId: string): Promise<string> {
	const version = await getVersion(versionId);
	const model = version ? await getModel(version.modelId) : undefined;
	if (!version || !model) {
		throw new AutoLabelSetupError(
			`The model version chosen for ${task.name} is no longer in the registry.`
		);
	}
	const name = `${model.name} ${version.version}`;
	if (!modelFitsTask(task, model.task)) {
		throw new AutoLabelSetupError(`${name} (${model.task}) cannot label ${task.name}.`);
	}
	return name;
}

export interface TaskEstimate {
	taskId: string;
	items: number;
	/** Measured on up to PROBE_ITEMS of the task's items; null when none could run. */
	msPerItem: number | null;
	/** Why there is no measurement, or null. */
	problem: string | null;
}

export interface JobEstimate {
	items: number;
	seconds: number;
	tasks: TaskEstimate[];
}

/**
 * Runs each chosen model on a few of the job's items (which also loads it, so the job starts
 * warm) and scales the measured time per item to the whole job.
 */
export async function estimateJob(
	projectId: number,
	input: AutoLabelChoices,
	filter: ItemFilter | null,
	signal?: AbortSignal
): Promise<JobEstimate> {
	const choices = AutoLabelChoices.parse(input);
	const tasks = await tasksOf(projectId, choices);
	const scoped = await scopeItems(projectId, tasks, choices.scope, filter);
	const estimates: TaskEstimate[] = [];
	let totalMs = 0;
	for (const [i, task] of tasks.entries()) {
		const versionId = (choices.tasks[i] as { modelVersionId: string }).modelVersionId;
		const { count: items, sample } = scoped.perTask[task.id] ?? { count: 0, sample: [] };
		if (sample.length === 0) {
			estimates.push({ taskId: task.id, items, msPerItem: 0, problem: null });
			continue;
		}
		const run = await runModel(
			versionId,
			sample.map((itemId) => ({ kind: 'item', itemId })),
			{ signal, candidateLabels: task.classes.map((c) => c.name) }
		);
		if (!run.ok) {
			estimates.push({ taskId: task.id, items, msPerItem: null, problem: run.error.message });
			continue;
		}
		const msPerItem = run.value.inferenceMs / sample.length;
		totalMs += items * msPerItem;
		estimates.push({ taskId: task.id, items, msPerItem, problem: null });
	}
	const items = scoped.itemIds.length;
	return {
		items,
		seconds:
			items === 0
				? 0
				: estimateSeconds(items, totalMs / items, choices.batchSize, BATCH_OVERHEAD_MS),
		tasks: estimates
	};
}

/** "Colour + Objects · 120 items" */
function jobLabel(tasks: readonly LabelTask[], items: number): string {
	return `${tasks.map((t) => t.name).join(' + ')} · ${items.toLocaleString('en')} ${items === 1 ? 'item' : 'items'}`;
}

/**
 * Stores a job for the choices and starts it in a worker; answers the job id at once (the
 * job runs on). Thresholds changed at set-up are saved on their tasks, where review reads them.
 */
export async function startAutoLabel(
	projectId: number,
	input: AutoLabelChoices,
	filter: ItemFilter | null
): Promise<number> {
	const parsed = AutoLabelChoices.safeParse(input);
	if (!parsed.success) {
		throw new AutoLabelSetupError(parsed.error.issues[0]?.message ?? 'Check the job settings.');
	}
	const choices = parsed.data;
	const tasks = await tasksOf(projectId, choices);
	for (const [i, task] of tasks.entries()) {
		const choice = choices.tasks[i] as { modelVersionId: string; threshold: number };
		await checkedVersion(task, choice.modelVersionId);
		if (choice.threshold !== task.threshold) {
			await editTask(projectId, task.id, (t) => setThreshold(t, choice.threshold));
		}
	}
	const scoped = await scopeItems(projectId, tasks, choices.scope, filter);
	if (scoped.itemIds.length === 0) {
		throw new AutoLabelSetupError(
			choices.scope === 'unlabeled'
				? 'Every item already has a label for the chosen tasks.'
				: 'No items to label: the chosen tasks label other kinds of items, or the filter matches none.'
		);
	}
	const jobId = await createAutoLabelJob(projectId, jobLabel(tasks, scoped.itemIds.length), {
		tasks: choices.tasks.map(({ taskId, modelVersionId }) => ({ taskId, modelVersionId })),
		itemIds: scoped.itemIds,
		autoApprove: choices.autoApprove,
		batchSize: choices.batchSize
	});
	await updateAutoLabelJob(jobId, { status: 'running' });
	void runJob(jobId);
	return jobId;
}

const jobLock = (jobId: number) => `autolabel-job-${jobId}`;
/** Jobs this tab is running, with the signal that pauses them. */
const runningHere = new Map<number, AbortController>();

/**
 * Runs a job in a worker while this tab holds the job's lock; does nothing when another tab
 * holds it (that tab runs the job). A worker that crashes fails the job with the reason; it
 * can be resumed, from its cursor.
 */
export async function runJob(jobId: number): Promise<void> {
	if (runningHere.has(jobId)) return;
	const controller = new AbortController();
	runningHere.set(jobId, controller);
	try {
		await navigator.locks.request(jobLock(jobId), { ifAvailable: true }, async (lock) => {
			if (!lock) return;
			const result = await runAutoLabel(jobId, controller.signal);
			if (!result.ok) {
				await updateAutoLabelJob(jobId, {
					status: 'failed',
					finishedAt: Date.now(),
					message: `Auto-labeling stopped: ${result.error.message}. Labels stored so far are kept; resume to go on.`
				});
			}
		});
	} finally {
		runningHere.delete(jobId);
	}
}

async function isRunningSomewhere(jobId: number): Promise<boolean> {
	if (runningHere.has(jobId)) return true;
	const held = (await navigator.locks.query()).held ?? [];
	return held.some((lock) => lock.name === jobLock(jobId));
}

/** Pauses after the batch in flight; a job nobody runs is paused at once. */
export async function pauseJob(jobId: number): Promise<void> {
	if (await isRunningSomewhere(jobId)) {
		await updateAutoLabelJob(jobId, { pauseRequested: true });
	} else {
		await updateAutoLabelJob(jobId, { status: 'paused', pauseRequested: false });
	}
}

/** Resumes a paused or failed job from its cursor (also "retry"). */
export async function resumeJob(jobId: number): Promise<void> {
	const job = await getAutoLabelJob(jobId);
	if (!job || job.status === 'completed' || job.status === 'cancelled') return;
	await updateAutoLabelJob(jobId, { status: 'running', pauseRequested: false, message: null });
	void runJob(jobId);
}

/** Cancels after the batch in flight; labels stored so far stay. */
export async function cancelJob(jobId: number): Promise<void> {
	if (await isRunningSomewhere(jobId)) {
		await updateAutoLabelJob(jobId, { cancelRequested: true });
	} else {
		await updateAutoLabelJob(jobId, {
			status: 'cancelled',
			finishedAt: Date.now(),
			pauseRequested: false,
			cancelRequested: false
		});
	}
}

/**
 * Jobs still marked running when the app opens were left by a closed or crashed tab (or run
 * in another open tab, which holds their lock): each resumes from its cursor.
 */
export async function resumeInterruptedJobs(): Promise<void> {
	const jobs = await db().jobs.where('status').equals('running').toArray();
	for (const job of jobs) if (job.type === 'autolabel') void runJob(job.id as number);
}

export { listAutoLabelJobs };
export type { AutoLabelJob };
