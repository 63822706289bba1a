// The export benchmark (`--only=export`, issue 6): whole export jobs through the app's export
// worker — 100,000 texts with entity spans as JSONL and CoNLL, 5,000 images (~550 MB) as
// ImageFolder and COCO — against zipping the same image bytes with @zip.js/zip.js alone, and
// the export worker's peak JS heap while it writes the images. Data side in
// harness/export.ts and harness/zipBaseline.ts. See tests/bench/README.md for the figures.

/** Bytes per MB in rates and sizes (decimal); heaps are in MiB, as autolabel's. */
const MB = 1e6;
const MIB = 1024 * 1024;
/** Heap samples (Runtime.getHeapUsage, no GC) while an export runs, one per this many ms. */
const SAMPLE_MS = 200;
/** Warm-up projects: worker start, code caches, database and OPFS first use. */
const WARM_TEXTS = 1000;
const WARM_IMAGES = 50;
/** Salt of the warm-up images' fake hashes (the timed ones use the harness's default). */
const WARM_SALT = 0xe4f1;
/** Timed runs per text format; ABAB rounds of the image exports and the baseline. */
const TEXT_RUNS = 2;
const IMAGE_ROUNDS = 2;
/** Modes of the baseline worker that `--profile` runs on the image project. */
const PROFILE_MODES = ['read', 'read+crc', 'read+sha', 'read+opfs', 'app-zip', 'app-zip+sha'];

/** The middle value; the mean of the two middle ones for an even count (2 runs: their mean). */
function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes) => (bytes / MB).toFixed(1);

/**
 * Runs `job` while sampling the heaps of the page and the export worker every SAMPLE_MS
 * without collecting garbage; returns its result with the peaks (bytes) and sample counts.
 */
async function withHeapPeaks(heaps, job) {
	const peak = { worker: 0, page: 0, samples: 0, workerSamples: 0 };
	let done = false;
	const sampler = (async () => {
		while (!done) {
			const started = Date.now();
			const s = await heaps.sample().catch(() => null);
			if (s) {
				peak.samples += 1;
				peak.page = Math.max(peak.page, s.page);
				if (Object.keys(s.workers).length > 0) {
					peak.workerSamples += 1;
					peak.worker = Math.max(peak.worker, s.worker);
				}
			}
			await sleep(Math.max(0, SAMPLE_MS - (Date.now() - started)));
		}
	})();
	try {
		const result = await job();
		return { result, peak };
	} finally {
		done = true;
		await sampler;
	}
}

export async function measureExport({
	call,
	harness,
	context,
	page,
	heapProbe,
	texts,
	images,
	record,
	notes,
	FunctionalError,
	profile
}) {
	console.log(
		`\nexports (${texts} texts of 30 words with 1–3 entity spans; ${images} images of 90–130 KB)`
	);
	await harness();
	const heaps = await heapProbe(context, page, 'export');
	const projects = [];
	try {
		// ---------------------------------------------------------------- warm-up
		const warmTexts = await call('exportSeedTexts', WARM_TEXTS);
		projects.push(warmTexts.projectId);
		const warmImages = await call('exportSeedImages', WARM_IMAGES, WARM_SALT);
		projects.push(warmImages.projectId);
		for (const format of ['text-jsonl', 'conll']) {
			await call('exportRun', warmTexts.projectId, warmTexts.taskId, format, WARM_TEXTS);
		}
		await call(
			'exportRun',
			warmImages.projectId,
			warmImages.classTaskId,
			'imagefolder',
			WARM_IMAGES
		);
		await call('exportRun', warmImages.projectId, warmImages.boxTaskId, 'coco', WARM_IMAGES);
		await call('zipBaselineRun', warmImages.projectId);

		// ---------------------------------------------------------------- texts
		const textSeed = await call('exportSeedTexts', texts);
		projects.push(textSeed.projectId);
		console.log(
			`  texts seeded in ${textSeed.seedSeconds.toFixed(1)} s: ${textSeed.items} texts, ${mb(textSeed.chars)} M characters, ${textSeed.spans} spans`
		);
		const textSeconds = {};
		for (const format of ['text-jsonl', 'conll']) {
			const runs = [];
			for (let r = 0; r < TEXT_RUNS; r++) {
				runs.push(
					await withHeapPeaks(heaps, () =>
						call('exportRun', textSeed.projectId, textSeed.taskId, format, texts)
					)
				);
			}
			const last = runs.at(-1).result;
			textSeconds[format] = median(runs.map((r) => r.result.seconds));
			console.log(
				`  ${format}: runs ${runs.map((r) => r.result.seconds.toFixed(2)).join(', ')} s ` +
					`(the runner's own ${runs.map((r) => r.result.runnerSeconds.toFixed(2)).join(', ')} s); ` +
					`${last.files} files, ${mb(last.bytes)} MB of entries, zip ${mb(last.zipBytes)} MB; ` +
					`heap peaks (no GC): export worker ${(Math.max(...runs.map((r) => r.peak.worker)) / MIB).toFixed(1)} MiB, ` +
					`page ${(Math.max(...runs.map((r) => r.peak.page)) / MIB).toFixed(1)} MiB`
			);
		}
		if (profile) {
			for (const format of ['text-jsonl', 'conll']) {
				const stages = await call(
					'exportProfileTexts',
					textSeed.projectId,
					textSeed.taskId,
					format
				);
				console.log(`  where a ${format} export's time goes (steps on the page, ms):`);
				for (const [stage, ms] of Object.entries(stages)) console.log(`    ${stage}: ${ms}`);
			}
		}
		record('export_100k_texts_jsonl_s', textSeconds['text-jsonl'], 's', { op: '<', value: 10 });
		record('export_100k_texts_conll_s', textSeconds.conll, 's', { op: '<', value: 10 });

		// The text project goes before the images are seeded: less storage at once.
		await call('exportCleanup', [textSeed.projectId], false);
		projects.splice(projects.indexOf(textSeed.projectId), 1);

		// ---------------------------------------------------------------- images
		const imageSeed = await call('exportSeedImages', images);
		projects.push(imageSeed.projectId);
		const inputMb = imageSeed.bytes / MB;
		console.log(
			`  images seeded in ${imageSeed.seedSeconds.toFixed(1)} s: ${imageSeed.items} images, ${inputMb.toFixed(1)} MB ` +
				`(${(imageSeed.bytes / MIB).toFixed(1)} MiB), ${imageSeed.boxes} boxes`
		);
		const imageRuns = { imagefolder: [], coco: [] };
		const baselineRuns = [];
		const exportImages = (format) =>
			withHeapPeaks(heaps, () =>
				call(
					'exportRun',
					imageSeed.projectId,
					format === 'coco' ? imageSeed.boxTaskId : imageSeed.classTaskId,
					format,
					images
				)
			);
		// ABAB: each round an ImageFolder export, the baseline, then a COCO export.
		for (let r = 0; r < IMAGE_ROUNDS; r++) {
			imageRuns.imagefolder.push(await exportImages('imagefolder'));
			baselineRuns.push(await call('zipBaselineRun', imageSeed.projectId));
			imageRuns.coco.push(await exportImages('coco'));
		}
		const rate = (seconds) => inputMb / seconds;
		const baselineRates = baselineRuns.map((b) => rate(b.seconds));
		const ratios = {};
		for (const [format, runs] of Object.entries(imageRuns)) {
			const last = runs.at(-1);
			ratios[format] = runs.map((run, r) => rate(run.result.seconds) / baselineRates[r]);
			console.log(
				`  ${format}: runs ${runs.map((run) => `${run.result.seconds.toFixed(2)} s (${rate(run.result.seconds).toFixed(1)} MB/s)`).join(', ')}; ` +
					`the runner's own ${runs.map((run) => run.result.runnerSeconds.toFixed(2)).join(', ')} s; ` +
					`${last.result.files} files, zip ${mb(last.result.zipBytes)} MB; ` +
					`ratio vs zip.js per round ${ratios[format].map((x) => x.toFixed(3)).join(', ')}; ` +
					`heap peaks (no GC, ${last.peak.workerSamples} worker samples): export worker ` +
					`${runs.map((run) => (run.peak.worker / MIB).toFixed(1)).join(', ')} MiB, page ` +
					`${runs.map((run) => (run.peak.page / MIB).toFixed(1)).join(', ')} MiB`
			);
		}
		const base = baselineRuns.at(-1);
		console.log(
			`  zip.js baseline: runs ${baselineRuns.map((b, r) => `${b.seconds.toFixed(2)} s (${baselineRates[r].toFixed(1)} MB/s)`).join(', ')}; ` +
				`zip ${mb(base.zipBytes)} MB; IndexedDB reads ${(base.stages.read / 1000).toFixed(2)} s of ${(base.stages.total / 1000).toFixed(2)} s in the worker`
		);
		const allImageRuns = [...imageRuns.imagefolder, ...imageRuns.coco];
		if (allImageRuns.some((run) => run.peak.workerSamples === 0)) {
			throw new FunctionalError(
				'no heap sample of the export worker during an image export (CDP auto-attach)'
			);
		}
		const folderRate = median(imageRuns.imagefolder.map((run) => rate(run.result.seconds)));
		record('export_images_mb_per_s', folderRate, 'MB/s');
		record('export_images_imagefolder_mb_per_s', folderRate, 'MB/s');
		record(
			'export_images_coco_mb_per_s',
			median(imageRuns.coco.map((run) => rate(run.result.seconds))),
			'MB/s'
		);
		record('export_images_zipjs_mb_per_s', median(baselineRates), 'MB/s');
		record('export_images_ratio_vs_zip', median(ratios.imagefolder), 'ratio', {
			op: '>=',
			value: 0.7
		});
		record(
			'export_peak_heap_mb',
			Math.max(...allImageRuns.map((run) => run.peak.worker)) / MIB,
			'MB',
			{ op: '<', value: 256 }
		);
		record(
			'export_peak_page_heap_mb',
			Math.max(...allImageRuns.map((run) => run.peak.page)) / MIB,
			'MB'
		);
		notes.push(
			'export: export_images_mb_per_s is the ImageFolder export (median of 2 rounds); ' +
				'export_images_ratio_vs_zip compares it with the zip.js baseline of the same round'
		);

		if (profile) {
			console.log(
				`  where the image export's time goes (the same ${images} blobs in the baseline worker, one pass each):`
			);
			for (const mode of PROFILE_MODES) {
				const run = await call('zipBaselineRun', imageSeed.projectId, mode);
				console.log(
					`    ${mode.padEnd(12)} ${run.seconds.toFixed(2)} s (${rate(run.seconds).toFixed(1)} MB/s); ` +
						`reads ${(run.stages.read / 1000).toFixed(2)} s, the rest ${(run.stages.rest / 1000).toFixed(2)} s`
				);
			}
		}
	} finally {
		const seconds = await call('exportCleanup', projects).catch(() => null);
		if (seconds !== null) console.log(`  seeded projects deleted in ${seconds.toFixed(1)} s`);
		await heaps.detach();
	}
}
