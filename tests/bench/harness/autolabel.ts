/**
 * Auto-labeling benchmark, page side (issue 4). Whole auto-label jobs through the app's own
 * path — `createAutoLabelJob`, `updateAutoLabelJob(id, { status: 'running' })` (as
 * autolabelService's `startAutoLabel` does), then `runAutoLabel(jobId)` of the inference
 * client, which runs `AutoLabelRunner` in the inference worker: reading items, decoding,
 * inference, mapping to the task's classes, writing predictions + annotations + the job's
 * cursor and summary per batch in one transaction. Only `runAutoLabel` is timed.
 *
 * Images: the items and MobileNetV2 version inferSetup (inference.ts) seeded and registered,
 * labelled for an image-classification task of 10 classes named after ImageNet labels (a
 * top label outside them is normal: no annotation, the prediction is still stored). Texts:
 * a project of `n` texts labelled by the bench text classifier (transformers.js) for a
 * text-classification task whose classes are the model's labels.
 *
 * Each job is checked (throws otherwise): it ends 'completed', exactly one prediction per
 * item × task carries its job id, `summary.processed` is the item count, none failed. After
 * a timed job its predictions, annotations and record are deleted (untimed), so the next
 * round over the same items does the whole work again.
 * tests/bench/run.mjs calls these through `window.bench`; see tests/bench/README.md.
 */
import { db } from '$lib/db/database';
import {
	createAutoLabelJob,
	createImportJob,
	getAutoLabelJob,
	updateAutoLabelJob
} from '$lib/db/jobs';
import { addProject, updateProject } from '$lib/db/projects';
import { getVersion } from '$lib/db/models';
import { createTask } from '$lib/domain/labels/taskEditing';
import type { Item, LabelTask } from '$lib/domain/schemas';
import type { JobSummary } from '$lib/domain/labeling/schemas';
import { loadModel, runAutoLabel, runModel } from '$lib/workers/inference/client';
import { fakeSha } from './data';
import { inferState, makeTexts } from './inference';

const TEXT_MODEL = '/bench-models/bench-sentiment';

/** ImageNet labels (imagenet-simple-labels) a user might make classes of. */
const IMAGE_CLASSES = [
	'envelope',
	'website',
	'jigsaw puzzle',
	'window screen',
	'shower curtain',
	'comic book',
	'crossword',
	'menu',
	'monitor',
	'television'
];

interface Target {
	projectId: number;
	task: LabelTask;
	versionId: string;
	warm: number[];
	timed: number[];
}

let image: Target | null = null;
let text: Target | null = null;

async function addTask(projectId: number, task: LabelTask): Promise<void> {
	await updateProject(projectId, (p) => ({ ...p, tasks: [...p.tasks, task] }));
}

export interface Execution {
	backend: string;
	device: string;
	threads: number;
	reason: string;
}

/** Loads a version as a job does (`acquire(versionId, {})`: the device's default placement). */
async function execution(versionId: string): Promise<Execution> {
	const loaded = await loadModel(versionId);
	if (!loaded.ok) throw new Error(`load: ${loaded.error.code}: ${loaded.error.message}`);
	const { backend, device, threads, reason } = loaded.value.execution;
	return { backend, device, threads, reason };
}

export interface AutoLabelImageSetup {
	projectId: number;
	versionId: string;
	classes: string[];
	items: number;
	warmItems: number;
	execution: Execution;
}

/**
 * After inferSetup: adds an image-classification task of 10 ImageNet-named classes to the
 * project of the seeded images (the version of session batch `batch`), and loads the model.
 */
async function autolabelImageSetup(batch: number): Promise<AutoLabelImageSetup> {
	const s = inferState();
	const versionId = s.imageVersions.get(batch);
	if (!versionId) throw new Error(`no image version for batch ${batch}`);
	const labels = s.image.manifest.labels ?? [];
	const named = IMAGE_CLASSES.filter((c) => labels.includes(c));
	const classes = named.length > 0 ? named : labels.slice(0, 10);
	const first = await db().items.get(s.items.image.timed[0] as number);
	if (!first) throw new Error('the seeded image items are gone');
	const task = createTask(
		{ name: 'Bench objects', kind: 'image-classification', multiLabel: false },
		classes
	);
	await addTask(first.projectId, task);
	image = {
		projectId: first.projectId,
		task,
		versionId,
		warm: [...s.items.image.warm],
		timed: [...s.items.image.timed]
	};
	return {
		projectId: first.projectId,
		versionId,
		classes,
		items: image.timed.length,
		warmItems: image.warm.length,
		execution: await execution(versionId)
	};
}

export interface AutoLabelTextSetup {
	projectId: number;
	versionId: string;
	classes: string[];
	items: number;
	warmItems: number;
	seedSeconds: number;
	execution: Execution;
}

/**
 * After inferSetup: a new project of `n` + `warmup` distinct texts of `tokens` tokens and a
 * text-classification task whose classes are the bench text classifier's labels.
 */
async function autolabelTextSetup(
	n: number,
	warmup: number,
	tokens: number
): Promise<AutoLabelTextSetup> {
	const s = inferState();
	const versionId = s.textVersions.get(8);
	if (!versionId) throw new Error('no text version');
	const version = await getVersion(versionId);
	if (!version) throw new Error(`version ${versionId} is not in the registry`);
	const started = performance.now();
	// The bench tokenizer (served by run.mjs), so every text is exactly `tokens` tokens.
	const response = await fetch(`${TEXT_MODEL}/tokenizer.json`);
	if (!response.ok) throw new Error(`GET ${TEXT_MODEL}/tokenizer.json: ${response.status}`);
	const tokenizer = (await response.json()) as { model: { vocab: Record<string, number> } };
	const { texts } = makeTexts(tokenizer.model.vocab, n + warmup, tokens, 9004);
	const task = createTask(
		{ name: 'Bench sentiment', kind: 'text-classification', multiLabel: false },
		version.labels
	);
	const projectId = await addProject(`bench autolabel texts ${Date.now()}`, [task]);
	const batchId = await createImportJob(projectId, 'bench autolabel seed');
	const now = Date.now();
	const records: Item[] = texts.map((t, i) => ({
		projectId,
		kind: 'text',
		name: `bench-autolabel.csv:${i + 2}`,
		sha256: fakeSha(i, 0xa17e),
		mime: 'text/plain',
		size: t.length,
		width: null,
		height: null,
		text: t,
		split: null,
		batchId,
		createdAt: now
	}));
	const ids = (await db().items.bulkAdd(records, { allKeys: true })) as number[];
	if (ids.length !== n + warmup) throw new Error(`seeded ${ids.length} of ${n + warmup} texts`);
	const seedSeconds = (performance.now() - started) / 1000;
	text = { projectId, task, versionId, warm: ids.slice(0, warmup), timed: ids.slice(warmup) };
	return {
		projectId,
		versionId,
		classes: version.labels,
		items: n,
		warmItems: warmup,
		seedSeconds,
		execution: await execution(versionId)
	};
}

export interface AutoLabelRun {
	jobId: number;
	items: number;
	seconds: number;
	perSecond: number;
	summary: JobSummary;
	predictions: number;
	/** Model annotations the job wrote for the task. */
	annotations: number;
	/** Of them, those with a class (the top label is one of the task's classes). */
	withClass: number;
	backends: string[];
}

/**
 * One whole job over `count` items from `offset` of the warm-up or timed set, job batch
 * `batchSize`; only `runAutoLabel` is timed. Checks the outcome, then (unless `keep`) deletes
 * the job's predictions, the task's annotations and the job record, untimed.
 */
async function autolabelRun(options: {
	kind: 'image' | 'text';
	set: 'warm' | 'timed';
	offset: number;
	count: number;
	batchSize: number;
	keep?: boolean;
}): Promise<AutoLabelRun> {
	const target = options.kind === 'image' ? image : text;
	if (!target)
		throw new Error(`call autolabel${options.kind === 'image' ? 'Image' : 'Text'}Setup first`);
	const ids = target[options.set].slice(options.offset, options.offset + options.count);
	if (ids.length !== options.count)
		throw new Error(`only ${ids.length} ${options.kind} items left`);
	const database = db();
	const jobId = await createAutoLabelJob(
		target.projectId,
		`bench ${options.kind} · ${ids.length}`,
		{
			tasks: [{ taskId: target.task.id, modelVersionId: target.versionId }],
			itemIds: ids,
			autoApprove: false,
			batchSize: options.batchSize
		}
	);
	await updateAutoLabelJob(jobId, { status: 'running' });
	const start = performance.now();
	const result = await runAutoLabel(jobId);
	const seconds = (performance.now() - start) / 1000;
	if (!result.ok) throw new Error(`runAutoLabel: ${result.error.code}: ${result.error.message}`);
	const job = await getAutoLabelJob(jobId);
	if (!job) throw new Error(`job ${jobId} is gone`);
	if (result.value.status !== 'completed' || job.status !== 'completed') {
		throw new Error(
			`job ${jobId} ended '${result.value.status}' (record: '${job.status}'): ${job.message ?? ''}`
		);
	}
	const predictions = await database.predictions.where('jobId').equals(jobId).toArray();
	const perItem = new Map<number, number>();
	for (const p of predictions) {
		if (p.taskId !== target.task.id || p.modelVersionId !== target.versionId) {
			throw new Error(`job ${jobId} stored a prediction for another task or version`);
		}
		perItem.set(p.itemId, (perItem.get(p.itemId) ?? 0) + 1);
	}
	if (
		predictions.length !== ids.length ||
		perItem.size !== ids.length ||
		ids.some((id) => perItem.get(id) !== 1)
	) {
		throw new Error(
			`job ${jobId}: ${predictions.length} predictions for ${ids.length} items (${perItem.size} distinct items); want exactly one per item × task`
		);
	}
	if (job.summary.processed !== ids.length) {
		throw new Error(`job ${jobId}: summary.processed ${job.summary.processed}, want ${ids.length}`);
	}
	if (job.summary.failed !== 0) {
		const failed = predictions.find((p) => p.failed);
		throw new Error(
			`job ${jobId}: ${job.summary.failed} items failed (${failed?.failed?.code}: ${failed?.failed?.message})`
		);
	}
	if (job.cursor !== ids[ids.length - 1]) {
		throw new Error(
			`job ${jobId}: cursor ${job.cursor}, want the last item ${ids[ids.length - 1]}`
		);
	}
	const stored = await database.annotations
		.where('[projectId+taskId]')
		.equals([target.projectId, target.task.id])
		.filter((a) => a.source === 'model')
		.toArray();
	const annotations = stored.length;
	const withClass = stored.filter(
		(a) => a.value.type === 'classes' && a.value.classIds.length > 0
	).length;
	const backends = [...new Set(predictions.map((p) => p.backend ?? 'none'))];
	if (!options.keep) await autolabelClear(options.kind, jobId);
	return {
		jobId,
		items: ids.length,
		seconds,
		perSecond: ids.length / seconds,
		summary: job.summary,
		predictions: predictions.length,
		annotations,
		withClass,
		backends
	};
}

/**
 * Context for a job's rate: the same items through `runModel` (default placement, as the job
 * loads its model), `batch` per call, one call at a time — inference without the job's
 * storage. Nothing is stored.
 */
async function autolabelRunModel(options: {
	kind: 'image' | 'text';
	set: 'warm' | 'timed';
	offset: number;
	count: number;
	batch: number;
}): Promise<{ seconds: number; perSecond: number }> {
	const target = options.kind === 'image' ? image : text;
	if (!target) throw new Error('set up first');
	const ids = target[options.set].slice(options.offset, options.offset + options.count);
	const start = performance.now();
	for (let i = 0; i < ids.length; i += options.batch) {
		const chunk = ids.slice(i, i + options.batch);
		const result = await runModel(
			target.versionId,
			chunk.map((itemId) => ({ kind: 'item' as const, itemId }))
		);
		if (!result.ok) throw new Error(`runModel: ${result.error.code}: ${result.error.message}`);
		if (result.value.outputs.some((o) => !o.ok)) throw new Error('runModel: an output failed');
	}
	const seconds = (performance.now() - start) / 1000;
	return { seconds, perSecond: ids.length / seconds };
}

/** Deletes a job's predictions, its task's annotations and the job record. */
async function autolabelClear(kind: 'image' | 'text', jobId: number): Promise<void> {
	const target = kind === 'image' ? image : text;
	if (!target) return;
	const database = db();
	await database.transaction(
		'rw',
		[database.predictions, database.annotations, database.jobs],
		async () => {
			await database.predictions.where('jobId').equals(jobId).delete();
			await database.annotations
				.where('[projectId+taskId]')
				.equals([target.projectId, target.task.id])
				.delete();
			await database.jobs.delete(jobId);
		}
	);
}

export const autolabel = {
	autolabelImageSetup,
	autolabelTextSetup,
	autolabelRun,
	autolabelRunModel,
	autolabelClear
};
