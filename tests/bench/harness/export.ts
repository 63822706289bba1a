/**
 * Export benchmark, page side (issue 6, run.mjs's `export` part). Seeds projects straight into
 * IndexedDB (items, annotations and image bytes with Dexie `bulkAdd`, as the harness's other
 * seeders do), then times whole export jobs through the app's own path: `createExportJob`
 * (as exportService's `startExport` does) and `runExportInWorker`, which runs the export
 * worker (snapshot, format writer, streaming zip, SHA-256 of the zip, OPFS writes, job
 * updates) until the job record says how it ended.
 *
 * The baseline (`zipBaselineRun`) zips the same image bytes with @zip.js/zip.js alone in a
 * worker of its own (zipBaseline.ts): the same IndexedDB reads one at a time, the same kind of
 * sink (an OPFS file through a sync access handle). `--profile` runs the same worker in its
 * other modes to split the export's time into reads, CRC-32, SHA-256 and OPFS writes.
 *
 * Each export is checked (throws otherwise): the job ends 'completed', it wrote files, it kept
 * every seeded item, and the zip in OPFS is as big as the job says. Zips are deleted after
 * each run (untimed), and so are the job records.
 */
import { createCRC32, createSHA256 } from 'hash-wasm';
import { db, WRITE_CHUNK } from '$lib/db/database';
import { labelledItems } from '$lib/db/exportSource';
import { createExportJob, createImportJob, getExportJob, updateJob } from '$lib/db/jobs';
import { addProject, deleteProject } from '$lib/db/projects';
import { createTask } from '$lib/domain/labels/taskEditing';
import { exportFormat } from '$lib/domain/formats/registry';
import { selectRecords } from '$lib/domain/formats/select';
import {
	defaultExportOptions,
	type ExportEntry,
	type FormatId
} from '$lib/domain/formats/snapshot';
import { writeZip } from '$lib/domain/formats/zipStream';
import {
	emptyCounts,
	type Annotation,
	type AnnotationValue,
	type Item,
	type LabelTask
} from '$lib/domain/schemas';
import { runExportInWorker } from '$lib/workers/export/client';
import { exportFile, removeExportFile } from '$lib/workers/export/exportFiles';
import { fakeSha, pick, seeded } from './data';
import type { BaselineMode, BaselineReply, BaselineRequest } from './zipBaseline';

/** Blobs per write transaction when seeding images (about 11 MB). */
const BLOB_CHUNK = 100;
const IMAGE_WIDTH = 640;
const IMAGE_HEIGHT = 480;
/** Image sizes: uniform in [MIN, MIN + SPREAD) bytes, 110,000 on average. */
const IMAGE_MIN_BYTES = 90_000;
const IMAGE_SPREAD_BYTES = 40_000;
/** Salt of the seeded images' fake hashes (other seeders use other salts). */
const IMAGE_SALT = 0xe4f0;

const FILLER = [
	'the',
	'a',
	'was',
	'is',
	'not',
	'very',
	'really',
	'still',
	'delivery',
	'arrived',
	'late',
	'quick',
	'friendly',
	'support',
	'team',
	'called',
	'about',
	'refund',
	'order',
	'package',
	'price',
	'quality',
	'meeting',
	'office',
	'visited',
	'with',
	'from',
	'near',
	'and',
	'but',
	'after',
	'before',
	'again',
	'never',
	'always',
	'recommend'
] as const;
const ENTITIES: Record<string, readonly string[]> = {
	person: ['Alice', 'Bob', 'Carlos', 'Dana', 'Emeka', 'Fatima', 'Goran', 'Hiro', 'Ingrid'],
	organization: ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Tyrell'],
	location: ['Paris', 'Berlin', 'Lagos', 'Osaka', 'Lima', 'Oslo', 'Quito', 'Perth', 'Cairo']
};
const ENTITY_CLASSES = Object.keys(ENTITIES);
const WORDS_PER_TEXT = 30;
/** Spans go one per slot of SLOT words (so they never overlap): 1–3 of them. */
const SLOT = 10;

type Seeded = { projectId: number; seedSeconds: number };

export type TextSeed = Seeded & { taskId: string; items: number; spans: number; chars: number };

async function newProject(name: string, tasks: LabelTask[]) {
	const projectId = await addProject(name, tasks);
	const batchId = await createImportJob(projectId, 'bench export seed');
	return { projectId, batchId };
}

async function finishSeed(batchId: number, texts: number, images: number): Promise<void> {
	await updateJob(batchId, {
		status: 'completed',
		finishedAt: Date.now(),
		counts: {
			...emptyCounts(),
			filesDone: 1,
			filesTotal: 1,
			imported: texts + images,
			texts,
			images
		}
	});
}

const approved = (
	projectId: number,
	itemId: number,
	taskId: string,
	value: AnnotationValue,
	now: number
): Annotation => ({
	projectId,
	itemId,
	taskId,
	value,
	source: 'human',
	status: 'approved',
	reviewer: 'bench',
	note: null,
	updatedAt: now
});

/**
 * A text of WORDS_PER_TEXT words with 1–3 entity spans at word boundaries (one per slot of
 * SLOT words, 1 or 2 words long), commas here and there outside the spans.
 */
function entityText(random: () => number, i: number) {
	const count = 1 + Math.floor(random() * 3);
	const spanAt = new Map<number, { len: number; cls: string }>();
	for (let s = 0; s < count; s++) {
		const len = 1 + Math.floor(random() * 2);
		const start = s * SLOT + Math.floor(random() * (SLOT - len));
		spanAt.set(start, { len, cls: pick(random, ENTITY_CLASSES) });
	}
	let text = '';
	const spans: { id: string; classId: string; start: number; end: number }[] = [];
	for (let w = 0; w < WORDS_PER_TEXT;) {
		const span = spanAt.get(w);
		if (text) text += ' ';
		if (span) {
			const start = text.length;
			const words = Array.from({ length: span.len }, () =>
				pick(random, ENTITIES[span.cls] as readonly string[])
			);
			text += words.join(' ');
			spans.push({ id: `s${spans.length}`, classId: span.cls, start, end: text.length });
			w += span.len;
		} else {
			text += w === 0 ? `Note ${i}` : pick(random, FILLER);
			if (random() < 0.06) text += ',';
			w += 1;
		}
	}
	return { text: `${text}.`, spans };
}

/**
 * A project of `n` texts of 30 words with a named-entities task of 3 classes (person,
 * organization, location) and an approved annotation with 1–3 spans on every text.
 */
async function exportSeedTexts(n: number): Promise<TextSeed> {
	const started = performance.now();
	const task: LabelTask = {
		...createTask({ name: 'Entities', kind: 'named-entities', multiLabel: false }),
		classes: ENTITY_CLASSES.map((id, k) => ({
			id,
			name: id,
			color: ['#2e9d5b', '#c8433a', '#3a6fc8'][k] as string,
			key: String(k + 1),
			threshold: null
		}))
	};
	const { projectId, batchId } = await newProject(`bench export ${n} texts`, [task]);
	const database = db();
	const random = seeded(606);
	let spanCount = 0;
	let chars = 0;
	for (let i = 0; i < n; i += WRITE_CHUNK) {
		const now = Date.now();
		const made = Array.from({ length: Math.min(WRITE_CHUNK, n - i) }, (_, k) =>
			entityText(random, i + k)
		);
		const records: Item[] = made.map(({ text }, k) => ({
			projectId,
			kind: 'text',
			name: `bench-entities.jsonl:${i + k + 1}`,
			sha256: fakeSha(i + k, 0xe7e0 + projectId),
			mime: 'text/plain',
			size: text.length,
			width: null,
			height: null,
			text,
			split: null,
			batchId,
			createdAt: now
		}));
		const ids = (await database.items.bulkAdd(records, { allKeys: true })) as number[];
		await database.annotations.bulkAdd(
			ids.map((itemId, k) => {
				const { spans, text } = made[k] as (typeof made)[number];
				spanCount += spans.length;
				chars += text.length;
				return approved(projectId, itemId, task.id, { type: 'spans', spans, relations: [] }, now);
			})
		);
	}
	await finishSeed(batchId, n, 0);
	return {
		projectId,
		taskId: task.id,
		items: n,
		spans: spanCount,
		chars,
		seedSeconds: (performance.now() - started) / 1000
	};
}

export type ImageSeed = Seeded & {
	classTaskId: string;
	boxTaskId: string;
	items: number;
	bytes: number;
	boxes: number;
};

/** `length` pseudo-random bytes (xorshift32), opening with a JPEG start-of-image marker. */
function randomBytes(length: number, seed: number): Uint8Array<ArrayBuffer> {
	const words = new Uint32Array(Math.ceil(length / 4));
	let x = Math.imul(seed, 2654435761) + 1 || 1;
	for (let k = 0; k < words.length; k++) {
		x ^= x << 13;
		x ^= x >>> 17;
		x ^= x << 5;
		words[k] = x;
	}
	const bytes = new Uint8Array(words.buffer, 0, length);
	bytes.set([0xff, 0xd8, 0xff, 0xe0]);
	return bytes;
}

/**
 * A project of `n` images of 640×480 (random bytes of 90–130 KB stored as image/jpeg blobs:
 * writers copy bytes, they never decode them) with an image-classification task of 4 classes
 * and an object-detection task of the same classes, each with an approved label on every
 * image (one class; 1–3 boxes).
 */
async function exportSeedImages(n: number, salt = IMAGE_SALT): Promise<ImageSeed> {
	const started = performance.now();
	const classNames = ['bird', 'cat', 'dog', 'fish'];
	const classTask = createTask(
		{ name: 'Animal', kind: 'image-classification', multiLabel: false },
		classNames
	);
	const boxTask = createTask(
		{ name: 'Animals', kind: 'object-detection', multiLabel: false },
		classNames
	);
	const { projectId, batchId } = await newProject(`bench export ${n} images`, [classTask, boxTask]);
	const database = db();
	const random = seeded(707 + salt);
	let bytes = 0;
	let boxCount = 0;
	for (let i = 0; i < n; i += BLOB_CHUNK) {
		const now = Date.now();
		const count = Math.min(BLOB_CHUNK, n - i);
		const sizes = Array.from(
			{ length: count },
			() => IMAGE_MIN_BYTES + Math.floor(random() * IMAGE_SPREAD_BYTES)
		);
		const shas = sizes.map((_, k) => fakeSha(i + k, salt));
		await database.blobs.bulkAdd(
			shas.map((key, k) => ({
				key,
				blob: new Blob([randomBytes(sizes[k] as number, salt * 1_000_003 + i + k)], {
					type: 'image/jpeg'
				})
			}))
		);
		bytes += sizes.reduce((a, b) => a + b, 0);
		const records: Item[] = shas.map((sha256, k) => ({
			projectId,
			kind: 'image',
			name: `seed/img_${String(i + k).padStart(6, '0')}.jpg`,
			sha256,
			mime: 'image/jpeg',
			size: sizes[k] as number,
			width: IMAGE_WIDTH,
			height: IMAGE_HEIGHT,
			text: null,
			split: null,
			batchId,
			createdAt: now
		}));
		const ids = (await database.items.bulkAdd(records, { allKeys: true })) as number[];
		const annotations: Annotation[] = [];
		for (const itemId of ids) {
			const cls = pick(random, classTask.classes).id;
			annotations.push(
				approved(projectId, itemId, classTask.id, { type: 'classes', classIds: [cls] }, now)
			);
			const boxes = Array.from({ length: 1 + Math.floor(random() * 3) }, () => {
				const w = 20 + Math.round(random() * 300);
				const h = 20 + Math.round(random() * 200);
				return {
					classId: pick(random, boxTask.classes).id,
					x: Math.round(random() * (IMAGE_WIDTH - w)),
					y: Math.round(random() * (IMAGE_HEIGHT - h)),
					w,
					h,
					score: null
				};
			});
			boxCount += boxes.length;
			annotations.push(approved(projectId, itemId, boxTask.id, { type: 'boxes', boxes }, now));
		}
		await database.annotations.bulkAdd(annotations);
	}
	await finishSeed(batchId, 0, n);
	return {
		projectId,
		classTaskId: classTask.id,
		boxTaskId: boxTask.id,
		items: n,
		bytes,
		boxes: boxCount,
		seedSeconds: (performance.now() - started) / 1000
	};
}

export interface ExportRun {
	seconds: number;
	files: number;
	/** Uncompressed bytes of the zip's entries. */
	bytes: number;
	/** The zip's size. */
	zipBytes: number;
	/** Items the export kept (sum over splits). */
	kept: number;
	/** The runner's own duration (`result.durationMs`), s: from the worker's start of work. */
	runnerSeconds: number;
}

/**
 * One whole export job, timed from `createExportJob` until `runExportInWorker` resolves (the
 * job record then says how it ended). Throws unless it completed, wrote files, kept all
 * `expect` items and left a zip of the size it reports. The zip and the job are then deleted.
 */
async function exportRun(
	projectId: number,
	taskId: string,
	format: FormatId,
	expect: number
): Promise<ExportRun> {
	const start = performance.now();
	const jobId = await createExportJob(
		projectId,
		`bench ${format}`,
		{ kind: 'dataset', options: { ...defaultExportOptions(format, taskId) } },
		'x.zip'
	);
	await runExportInWorker(jobId, null, new AbortController().signal);
	const seconds = (performance.now() - start) / 1000;
	try {
		const job = await getExportJob(jobId);
		const result = job?.result;
		if (!job || job.status !== 'completed' || !result || result.files <= 0) {
			throw new Error(
				`export ${format} of project ${projectId}: status ${job?.status}, message ${job?.message}, result ${JSON.stringify(result)}`
			);
		}
		const kept = Object.values(result.perSplit).reduce((a, b) => a + b, 0);
		if (kept !== expect) {
			throw new Error(`export ${format} kept ${kept} items, not ${expect}`);
		}
		const zip = await exportFile(jobId);
		if (!zip || zip.size !== result.size) {
			const estimate = await navigator.storage.estimate();
			throw new Error(
				`export ${format}: the zip in OPFS is ${zip?.size ?? 'missing'}, the job says ${result.size} bytes ` +
					`(storage: ${JSON.stringify(estimate)})`
			);
		}
		return {
			seconds,
			files: result.files,
			bytes: result.bytes,
			zipBytes: result.size,
			kept,
			runnerSeconds: result.durationMs / 1000
		};
	} finally {
		await removeExportFile(jobId);
		await db().jobs.delete(jobId);
	}
}

// ---------------------------------------------------------------- zip.js baseline

let baselineWorker: Worker | null = null;
let nextRequest = 1;

function baseline(): Worker {
	baselineWorker ??= new Worker(new URL('./zipBaseline.ts', import.meta.url), {
		type: 'module',
		name: 'zip-baseline'
	});
	return baselineWorker;
}

function askBaseline(request: Omit<BaselineRequest, 'id'>): Promise<BaselineReply> {
	const worker = baseline();
	const id = nextRequest++;
	return new Promise((resolve, reject) => {
		const onMessage = (event: MessageEvent<BaselineReply>) => {
			if (event.data.id !== id) return;
			worker.removeEventListener('message', onMessage);
			worker.removeEventListener('error', onError);
			if (event.data.error) reject(new Error(event.data.error));
			else resolve(event.data);
		};
		const onError = (event: ErrorEvent) => {
			worker.removeEventListener('message', onMessage);
			reject(new Error(`the zip baseline worker failed: ${event.message}`));
		};
		worker.addEventListener('message', onMessage);
		worker.addEventListener('error', onError);
		worker.postMessage({ ...request, id });
	});
}

/** The project's image items in id order (the export's order): zip path and blob key. */
async function imageEntries(projectId: number): Promise<{ path: string; sha256: string }[]> {
	const items = await db()
		.items.where('[projectId+id]')
		.between([projectId, 0], [projectId, Infinity])
		.toArray();
	return items.map((item) => ({
		path: `images/${item.id}.jpg`,
		sha256: item.sha256
	}));
}

export interface BaselineRun {
	seconds: number;
	files: number;
	bytes: number;
	zipBytes: number;
	/** Per stage for the profile modes, ms. */
	stages: Record<string, number>;
}

/**
 * The project's image bytes read from IndexedDB one at a time and written by `mode`
 * (zipBaseline.ts): 'zipjs' is the baseline figure. Timed on this page from the request to
 * the answer (the item list is read first, untimed).
 */
async function zipBaselineRun(
	projectId: number,
	mode: BaselineMode = 'zipjs'
): Promise<BaselineRun> {
	const entries = await imageEntries(projectId);
	const start = performance.now();
	const reply = await askBaseline({ mode, entries });
	const seconds = (performance.now() - start) / 1000;
	if (reply.files !== entries.length) {
		throw new Error(`zip baseline (${mode}) wrote ${reply.files} of ${entries.length} files`);
	}
	return {
		seconds,
		files: reply.files,
		bytes: reply.bytes,
		zipBytes: reply.zipBytes,
		stages: reply.stages
	};
}

/**
 * Where a text export's time goes (`--profile`), ms: the runner's steps one by one on this
 * page with the same functions — the reads (annotations, items; and `labelledItems` whole),
 * `selectRecords`, the format writer alone (entries collected), then per entry hash-wasm
 * CRC-32, `CompressionStream` deflate, SHA-256 of the deflated bytes, and `writeZip` whole
 * into a sink that drops the bytes.
 */
async function exportProfileTexts(
	projectId: number,
	taskId: string,
	format: FormatId
): Promise<Record<string, number>> {
	const ms: Record<string, number> = {};
	const time = async <T>(name: string, run: () => Promise<T> | T): Promise<T> => {
		const t = performance.now();
		const out = await run();
		ms[name] = Math.round(performance.now() - t);
		return out;
	};
	const database = db();
	const project = await database.projects.get(projectId);
	const task = project?.tasks.find((t) => t.id === taskId);
	if (!project || !task) throw new Error(`no task ${taskId} in project ${projectId}`);
	const annotations = await time('annotations toArray', () =>
		database.annotations.where('[projectId+taskId]').equals([projectId, taskId]).toArray()
	);
	await time('items bulkGet (chunks of 1000)', async () => {
		for (let at = 0; at < annotations.length; at += WRITE_CHUNK) {
			await database.items.bulkGet(annotations.slice(at, at + WRITE_CHUNK).map((a) => a.itemId));
		}
	});
	const labelled = await time('labelledItems (whole)', () => labelledItems(projectId, task));
	const options = defaultExportOptions(format, taskId);
	const selection = await time('selectRecords', () => selectRecords(labelled, task, options));
	const snapshot = {
		projectName: project.name,
		task,
		tasks: project.tasks,
		records: selection.records,
		options,
		createdAt: Date.now(),
		readBytes: () => Promise.reject(new Error('a text export read bytes'))
	};
	const entries = await time('format writer (entries collected)', async () => {
		const out: ExportEntry[] = [];
		for await (const entry of exportFormat(format).write(snapshot)) out.push(entry);
		return out;
	});
	ms['entry MB'] = Math.round(entries.reduce((a, e) => a + e.bytes.length, 0) / 1e6);
	const crc = await createCRC32();
	await time('CRC-32 (hash-wasm)', () => {
		for (const e of entries) {
			crc.init();
			crc.update(e.bytes);
			crc.digest('binary');
		}
	});
	const deflated = await time('deflate (CompressionStream)', () =>
		Promise.all(
			entries.map(async (e) => {
				const stream = new Blob([e.bytes as Uint8Array<ArrayBuffer>])
					.stream()
					.pipeThrough(new CompressionStream('deflate-raw'));
				return new Uint8Array(await new Response(stream).arrayBuffer());
			})
		)
	);
	const sha = await createSHA256();
	await time('SHA-256 of the deflated bytes', () => {
		sha.init();
		for (const d of deflated) sha.update(d);
		sha.digest('hex');
	});
	await time('writeZip whole (bytes dropped)', () =>
		writeZip(
			(async function* () {
				yield* entries;
			})(),
			() => undefined
		)
	);
	return ms;
}

/** Deletes seeded projects (items, labels, jobs, their blobs) and stops the baseline worker. */
async function exportCleanup(projectIds: number[], stopWorker = true): Promise<number> {
	const start = performance.now();
	for (const id of projectIds) await deleteProject(id);
	if (stopWorker) {
		baselineWorker?.terminate();
		baselineWorker = null;
	}
	return (performance.now() - start) / 1000;
}

export const exportBench = {
	exportSeedTexts,
	exportSeedImages,
	exportRun,
	zipBaselineRun,
	exportProfileTexts,
	exportCleanup
};
