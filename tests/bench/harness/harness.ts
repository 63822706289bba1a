/**
 * Benchmark harness: a bare page that drives the app's real import pipeline (service, worker,
 * Dexie), seeds large projects for the item browser, and times the inference client against
 * bare onnxruntime-web (inference.ts). tests/bench/run.mjs calls the
 * functions on `window.bench` with `page.evaluate`; each returns plain numbers.
 *
 * Functional checks (the import stored exactly n items, nothing failed) throw, so a broken
 * import fails the run; times are only reported, never judged.
 */
import Dexie from 'dexie';
import { emptyCounts, thumbKey, type Item, type ImportMessage } from '$lib/domain/schemas';
import { ModelShipDB, db, WRITE_CHUNK } from '$lib/db/database';
import { addProject } from '$lib/db/projects';
import { createImportJob, getImportJob, updateJob } from '$lib/db/jobs';
import { importFiles, type ImportChoices } from '$lib/services/importService';
import { decodeText } from '$lib/domain/import/textDecode';
import { parseDelimited } from '$lib/domain/import/delimited';
import { sha256OfText } from '$lib/domain/import/hash';
import { fakeSha, makeJpegs, makeTexts, pick, seeded, textRecords } from './data';
import { review } from './review';
import { inference } from './inference';
import { autolabel } from './autolabel';
import { exportBench } from './export';

type Timed = { seconds: number; perSecond: number };
/** Items stored over time during an import: [seconds since start, items imported]. */
type Trace = [number, number][];

const LABELS = ['positive', 'negative', 'neutral', 'question'] as const;

function makeCsv(texts: string[], seed = 1): string {
	const random = seeded(seed + 7);
	const rows = texts.map((t) => `"${t.replaceAll('"', '""')}",${pick(random, LABELS)}`);
	return `text,label\n${rows.join('\n')}\n`;
}

// ---------------------------------------------------------------- imports

const TABLE_CHOICES: ImportChoices = {
	textMode: 'file',
	table: { textColumn: 'text', labelColumn: null },
	folderLabelTaskId: null,
	columnLabelTaskId: null
};

const IMAGE_CHOICES: ImportChoices = {
	textMode: 'file',
	table: null,
	folderLabelTaskId: null,
	columnLabelTaskId: null
};

/** Runs one import through the real service and worker; throws unless it stored all `n`. */
async function timedImport(
	files: { file: File; path: string }[],
	choices: ImportChoices,
	n: number,
	kind: 'texts' | 'images'
): Promise<Timed & { trace: Trace }> {
	const projectId = await addProject(`bench ${kind} ${n} ${Date.now()}`);
	let done: ImportMessage | null = null;
	const trace: Trace = [];
	let poll: ReturnType<typeof setInterval> | undefined;
	const start = performance.now();
	// The job record is updated after each stored chunk: sampling it shows the rate over time.
	const sample = async (jobId: number) => {
		const imported = (await getImportJob(jobId))?.counts.imported ?? 0;
		if (imported !== (trace.at(-1)?.[1] ?? 0)) {
			trace.push([(performance.now() - start) / 1000, imported]);
		}
	};
	let jobId = 0;
	await importFiles(
		projectId,
		files,
		choices,
		(message) => {
			if (message.status === 'done') done = message;
		},
		(id) => {
			jobId = id;
			poll = setInterval(() => void sample(id), 250);
		}
	).finally(() => clearInterval(poll));
	const seconds = (performance.now() - start) / 1000;
	const job = await getImportJob(jobId);
	trace.push([seconds, job?.counts.imported ?? 0]);
	const counts = job?.counts;
	if (
		!job ||
		!counts ||
		job.status !== 'completed' ||
		counts.imported !== n ||
		counts[kind] !== n ||
		counts.failed !== 0 ||
		counts.duplicates !== 0
	) {
		throw new Error(
			`import of ${n} ${kind} went wrong: status ${job?.status}, counts ${JSON.stringify(counts)}, ` +
				`message ${job?.message}, last errors ${JSON.stringify(job?.errors.slice(0, 3))}, ` +
				`done message ${JSON.stringify(done)}`
		);
	}
	return { seconds, perSecond: n / seconds, trace };
}

async function importTexts(n: number): Promise<Timed & { csvBytes: number; trace: Trace }> {
	const csv = makeCsv(makeTexts(n, n));
	const file = new File([csv], 'bench-texts.csv', { type: 'text/csv' });
	const timed = await timedImport([{ file, path: file.name }], TABLE_CHOICES, n, 'texts');
	return { ...timed, csvBytes: file.size };
}

/**
 * The floor the importer is compared with: the same records written straight with Dexie
 * `bulkPut` into a fresh database with the app's schema (no reading, parsing, hashing,
 * duplicate checks or job updates). `chunk` 0 writes all in one call; otherwise in
 * transactions of `chunk` records, as the importer does.
 */
async function bulkPutBaseline(n: number, chunk = 0): Promise<Timed> {
	const records = textRecords(makeTexts(n, n), 1, 1);
	const database = new ModelShipDB(`bench-baseline-${Date.now()}-${Math.random()}`);
	await database.open();
	try {
		const start = performance.now();
		if (chunk <= 0) await database.items.bulkPut(records);
		else {
			for (let i = 0; i < records.length; i += chunk) {
				await database.items.bulkPut(records.slice(i, i + chunk));
			}
		}
		const seconds = (performance.now() - start) / 1000;
		const stored = await database.items.count();
		if (stored !== n) throw new Error(`baseline stored ${stored} items, not ${n}`);
		return { seconds, perSecond: n / seconds };
	} finally {
		database.close();
		await Dexie.delete(database.name);
	}
}

async function importImages(
	n: number,
	seed = 1
): Promise<Timed & { avgBytes: number; trace: Trace }> {
	const blobs = await makeJpegs(n, seed);
	const files = blobs.map((blob, i) => {
		const path = `bench-images/class_${i % 5}/img_${String(i).padStart(5, '0')}.jpg`;
		return {
			file: new File([blob], path.split('/').pop() as string, { type: 'image/jpeg' }),
			path
		};
	});
	const avgBytes = blobs.reduce((sum, b) => sum + b.size, 0) / n;
	const timed = await timedImport(files, IMAGE_CHOICES, n, 'images');
	return { ...timed, avgBytes };
}

// ---------------------------------------------------------------- seeding

/**
 * Distinct images behind the seeded image items (their sha256 repeats every SEED_IMAGES
 * items): more than one measured scroll shows, so the grid really reads thumbnails from the
 * database instead of finding them all in its URL cache.
 */
const SEED_IMAGES = 1024;

/**
 * A project of `nTexts` texts then `nImages` images, written straight to the database in
 * chunks of WRITE_CHUNK, as one completed import job. Images reuse SEED_IMAGES real 256×256
 * JPEGs, each stored as its own thumbnail — `[projectId+sha256]` is not a unique index.
 */
async function seedProject(nTexts: number, nImages: number): Promise<number> {
	const projectId = await addProject(`bench browse ${nTexts} texts ${nImages} images`);
	const batchId = await createImportJob(projectId, 'bench seed');
	const database = db();
	const texts = makeTexts(nTexts, 99);
	for (let i = 0; i < nTexts; i += WRITE_CHUNK) {
		await database.items.bulkAdd(textRecords(texts.slice(i, i + WRITE_CHUNK), projectId, batchId));
	}
	if (nImages > 0) {
		const originals = await makeJpegs(SEED_IMAGES, 4242, 256);
		const shas = originals.map((_, k) => fakeSha(k, 0xbe0c));
		await database.blobs.bulkPut(
			shas.flatMap((sha, k) => [
				{ key: sha, blob: originals[k] as Blob },
				{ key: thumbKey(sha), blob: originals[k] as Blob }
			])
		);
		const now = Date.now();
		for (let i = 0; i < nImages; i += WRITE_CHUNK) {
			const records: Item[] = [];
			for (let j = i; j < Math.min(nImages, i + WRITE_CHUNK); j++) {
				const k = j % SEED_IMAGES;
				records.push({
					projectId,
					kind: 'image',
					name: `seed/class_${j % 5}/img_${String(j).padStart(6, '0')}.jpg`,
					sha256: shas[k] as string,
					mime: 'image/jpeg',
					size: (originals[k] as Blob).size,
					width: 256,
					height: 256,
					text: null,
					split: null,
					batchId,
					createdAt: now
				});
			}
			await database.items.bulkAdd(records);
		}
	}
	const total = nTexts + nImages;
	await updateJob(batchId, {
		status: 'completed',
		finishedAt: Date.now(),
		counts: {
			...emptyCounts(),
			filesDone: 1,
			filesTotal: 1,
			imported: total,
			texts: nTexts,
			images: nImages
		}
	});
	return projectId;
}

// ---------------------------------------------------------------- where import time goes

/**
 * Times the stages of a text import one by one on this thread, with the same domain and
 * database functions the worker uses, to show where the time goes. Store stages are timed
 * per chunk: `first` and `last` average the first and last five chunks, which shows costs
 * that grow with the project. Not a figure.
 */
async function profileTexts(n: number): Promise<Record<string, number | string>> {
	const csv = makeCsv(makeTexts(n, n + 1));
	const bytes = new TextEncoder().encode(csv);
	const ms: Record<string, number | string> = {};
	let t = performance.now();
	const lap = (name: string) => {
		const now = performance.now();
		ms[name] = Math.round(now - t);
		t = now;
	};
	const decoded = decodeText(bytes);
	lap('decodeText');
	if (!decoded.ok) throw new Error('profile CSV did not decode');
	const parsed = parseDelimited(decoded.text, ',');
	lap('parseDelimited');
	const texts = parsed.rows.map((r) => r.fields.text ?? '');
	const shas: string[] = [];
	for (const text of texts) shas.push(await sha256OfText(text));
	lap('sha256 one await per row');
	for (let i = 0; i < texts.length; i += WRITE_CHUNK) {
		await Promise.all(texts.slice(i, i + WRITE_CHUNK).map((text) => sha256OfText(text)));
	}
	lap('sha256 1000 at once');
	const database = db();
	const stage = async (name: string, run: (chunk: Item[]) => Promise<unknown>) => {
		const projectId = await addProject(`bench profile ${name}`);
		const records = textRecords(texts, projectId, 1).map((r, i) => ({
			...r,
			sha256: shas[i] as string
		}));
		const times: number[] = [];
		for (let i = 0; i < records.length; i += WRITE_CHUNK) {
			const start = performance.now();
			await run(records.slice(i, i + WRITE_CHUNK));
			times.push(performance.now() - start);
		}
		const avg = (xs: number[]) => (xs.reduce((x, y) => x + y, 0) / xs.length).toFixed(0);
		ms[name] =
			`${Math.round(times.reduce((x, y) => x + y, 0))} ms ` +
			`(per chunk: first ${avg(times.slice(0, 5))}, last ${avg(times.slice(-5))})`;
		t = performance.now();
		return projectId;
	};
	await stage('bulkAdd alone', (chunk) => database.items.bulkAdd(chunk));
	// The per-chunk alternative to loading the project's hashes once: one lookup per hash.
	await stage('point lookups then bulkAdd', (chunk) =>
		database.transaction('rw', database.items, async () => {
			const index = database.items.where('[projectId+sha256]');
			await Promise.all(chunk.map((r) => index.equals([r.projectId, r.sha256]).count()));
			await database.items.bulkAdd(chunk);
		})
	);
	const batchId = await createImportJob(1, 'bench profile');
	for (let i = 0; i < texts.length; i += WRITE_CHUNK) {
		await updateJob(batchId, { counts: { ...emptyCounts(), imported: i } });
	}
	lap('updateJob once per chunk');
	return ms;
}

const bench = {
	importTexts,
	bulkPutBaseline,
	importImages,
	seedProject,
	profileTexts,
	...inference,
	...autolabel,
	...review,
	...exportBench
};

declare global {
	interface Window {
		bench: typeof bench;
	}
}

window.bench = bench;
document.title = 'bench ready';
