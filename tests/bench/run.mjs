// `npm run bench`: builds the app and the benchmark harness, serves both on one local origin,
// drives headless Chromium through them, prints figures with their goals, and merges them
// into bench/results.json. Times are reported, never judged: the exit code is non-zero only
// for a functional error (a build that fails, an import that stored the wrong count, a page
// that never shows its items). See tests/bench/README.md.
//
// Options: --no-build (reuse build/ and bench/build/), --profile (also print where a text
// import's and an image inference batch's time goes),
// --only=texts,images,browser,inference,autolabel,review,export (run some parts). Sizes:
// BENCH_TEXTS, BENCH_IMAGES, BENCH_ITEMS, BENCH_INFER_IMAGES, BENCH_INFER_TEXTS,
// BENCH_AUTOLABEL_IMAGES, BENCH_AUTOLABEL_ROUNDS, BENCH_AUTOLABEL_TEXTS, BENCH_REVIEW_ITEMS,
// BENCH_REVIEW_APPROVALS, BENCH_EXPORT_TEXTS, BENCH_EXPORT_IMAGES
// (results.json is only written at the default
// sizes, so figures stay comparable over time).

import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium.mjs';
import { isFile, startIsolatedServer } from '../isolatedServer.mjs';
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { buildBenchTextModel, LAYERS, WIDTH } from './textModel.mjs';
import { measureReview } from './review.mjs';
import { measureExport } from './export.mjs';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const appDir = path.join(repo, 'build');
const harnessDir = path.join(repo, 'bench', 'build', 'bench');
const resultsFile = path.join(repo, 'bench', 'results.json');
/**
 * Real models (read only, never copied into the repo), served at /shared/. BENCH_NO_SHARED=1
 * hides them, to check the fallback to the fixture classifier.
 */
const sharedDir = process.env.BENCH_NO_SHARED
	? path.join(repo, 'bench', 'no-shared')
	: path.resolve(repo, '..', 'shared');
/** The project's fixture models, served at /fixtures/models/ (fallback image classifier). */
const fixtureModelsDir = path.join(repo, 'tests', 'fixtures', 'models');

const argv = new Set(process.argv.slice(2));
const only = process.argv
	.find((a) => a.startsWith('--only='))
	?.slice('--only='.length)
	.split(',');
const wanted = (part) => !only || only.includes(part);
// Inference sizes are whole batches of 8 in each of the two rounds (see measureInference).
const DEFAULTS = {
	texts: 50_000,
	images: 2_000,
	items: 100_000,
	inferImages: 208,
	inferTexts: 256,
	// Auto-labeling: images per job round (whole batches of 16), rounds (even: ABBA pairs),
	// texts of the memory job.
	autolabelImages: 96,
	autolabelRounds: 6,
	autolabelTexts: 10_000,
	// Review workspace: texts in the project, measured approvals in a row.
	reviewItems: 100_000,
	reviewApprovals: 500,
	// Exports: texts with entity spans, images of ~110 KB (~550 MB).
	exportTexts: 100_000,
	exportImages: 5_000
};
const sizes = {
	texts: Number(process.env.BENCH_TEXTS ?? DEFAULTS.texts),
	images: Number(process.env.BENCH_IMAGES ?? DEFAULTS.images),
	items: Number(process.env.BENCH_ITEMS ?? DEFAULTS.items),
	inferImages: Number(process.env.BENCH_INFER_IMAGES ?? DEFAULTS.inferImages),
	inferTexts: Number(process.env.BENCH_INFER_TEXTS ?? DEFAULTS.inferTexts),
	autolabelImages: Number(process.env.BENCH_AUTOLABEL_IMAGES ?? DEFAULTS.autolabelImages),
	autolabelRounds: Number(process.env.BENCH_AUTOLABEL_ROUNDS ?? DEFAULTS.autolabelRounds),
	autolabelTexts: Number(process.env.BENCH_AUTOLABEL_TEXTS ?? DEFAULTS.autolabelTexts),
	reviewItems: Number(process.env.BENCH_REVIEW_ITEMS ?? DEFAULTS.reviewItems),
	reviewApprovals: Number(process.env.BENCH_REVIEW_APPROVALS ?? DEFAULTS.reviewApprovals),
	exportTexts: Number(process.env.BENCH_EXPORT_TEXTS ?? DEFAULTS.exportTexts),
	exportImages: Number(process.env.BENCH_EXPORT_IMAGES ?? DEFAULTS.exportImages)
};
const defaultSizes = Object.entries(DEFAULTS).every(([k, v]) => sizes[k] === v);

/** A failure of the thing measured (not a slow time): the run exits non-zero. */
class FunctionalError extends Error {}

/** Figures: name → { value, unit, goal? } in the order measured. */
const figures = new Map();
const notes = [];

function record(name, value, unit, goal) {
	const digits = unit === 'ratio' ? 3 : unit === 'ms' ? 2 : 1;
	const rounded = Number(value.toFixed(digits));
	figures.set(name, { value: rounded, raw: value, unit, goal });
	const goalText = goal
		? `  (goal ${goal.op} ${goal.value}: ${meets(value, goal) ? 'met' : 'NOT met'})`
		: '';
	console.log(`  ${name.padEnd(36)} ${String(rounded).padStart(10)} ${unit}${goalText}`);
}

const meets = (value, goal) => (goal.op === '>=' ? value >= goal.value : value < goal.value);

// ---------------------------------------------------------------- build

function build(label, args) {
	const started = Date.now();
	const result = spawnSync('npx', args, { cwd: repo, encoding: 'utf8', env: process.env });
	if (result.status !== 0) {
		console.error(result.stdout, result.stderr);
		throw new FunctionalError(`${label} failed (exit ${result.status})`);
	}
	console.log(`built ${label} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

// ---------------------------------------------------------------- static server

/**
 * Files built in memory for this run (the bench text model), by URL path. Served before any
 * directory, so they never touch the repo.
 */
const memoryFiles = new Map();

/**
 * `/bench/…` → the harness build; `/shared/…` → ../shared (read only); `/fixtures/models/…`
 * → tests/fixtures/models; anything else → the app build, `/a/b` → `a/b.html`.
 */
const serve = () =>
	startIsolatedServer({
		mounts: [
			['/bench', harnessDir],
			['/shared', sharedDir],
			['/fixtures/models', fixtureModelsDir]
		],
		fallback: appDir,
		memoryFiles
	});

// ---------------------------------------------------------------- item browser measurements

/** Waits for `items:first-render` (or, failing that, the first visible row) after a navigation. */
async function firstRender(page, url) {
	await page.goto(url, { waitUntil: 'commit' });
	const handle = await page.waitForFunction(
		() => {
			const mark = performance.getEntriesByName('items:first-render')[0];
			if (mark) return { mark: mark.startTime, rowsAt: null };
			// Fallback when the page sets no mark: a visible element with content inside a
			// scrolling container, measured at animation-frame granularity.
			const scrollers = [...document.querySelectorAll('main *')].filter((el) => {
				const style = getComputedStyle(el);
				return /(auto|scroll)/.test(style.overflowY) && el.clientHeight > 100;
			});
			const row = scrollers
				.flatMap((el) => [
					...el.querySelectorAll(
						'[role="row"], [role="gridcell"], [role="option"], li, button, img'
					)
				])
				.find((el) => {
					const box = el.getBoundingClientRect();
					return (
						box.height > 0 &&
						box.top < innerHeight &&
						(el.textContent?.trim() || el.tagName === 'IMG')
					);
				});
			if (row) return { mark: null, rowsAt: performance.now() };
			return false;
		},
		null,
		{ polling: 'raf', timeout: 60_000 }
	);
	let { mark, rowsAt } = await handle.jsonValue();
	if (mark === null) {
		// Rows are up; give a late mark a moment before falling back to the row time.
		await page.waitForTimeout(1500);
		mark = await page.evaluate(
			() => performance.getEntriesByName('items:first-render')[0]?.startTime ?? null
		);
	}
	return { ms: mark ?? rowsAt, fromMark: mark !== null };
}

/**
 * Scrolls the item browser's virtual list a steady 0.15 viewport per animation frame
 * (1.5 viewports per 10 frames) and returns the frame-to-frame times.
 */
async function scrollFrames(page, frames) {
	return page.evaluate(async (frames) => {
		const scrollers = [...document.querySelectorAll('*')].filter((el) => {
			const style = getComputedStyle(el);
			return /(auto|scroll)/.test(style.overflowY) && el.scrollHeight > el.clientHeight + 10;
		});
		const doc = document.scrollingElement;
		if (doc && doc.scrollHeight > innerHeight + 10) scrollers.push(doc);
		// The virtual list is the element with the most to scroll (not the page itself).
		scrollers.sort((a, b) => b.scrollHeight - b.clientHeight - (a.scrollHeight - a.clientHeight));
		const el = scrollers[0];
		if (!el) return null;
		const step = el.clientHeight * 0.15;
		const raf = () => new Promise((resolve) => requestAnimationFrame(resolve));
		// Work per frame: from the frame's start (the rAF timestamp, before scroll events run)
		// to a message posted in rAF, which runs once the frame's style, layout and paint are done.
		const work = [];
		let frameStart = null;
		const channel = new MessageChannel();
		channel.port1.onmessage = () => {
			if (frameStart !== null) work.push(performance.now() - frameStart);
			frameStart = null;
		};
		const run = (count) =>
			new Promise((resolve) => {
				const stamps = [];
				const tick = (time) => {
					stamps.push(time);
					if (stamps.length > count) return resolve(stamps);
					frameStart = time;
					channel.port2.postMessage(0);
					el.scrollTop += step;
					requestAnimationFrame(tick);
				};
				requestAnimationFrame(tick);
			});
		const long = [];
		let observer = null;
		if (PerformanceObserver.supportedEntryTypes?.includes('long-animation-frame')) {
			observer = new PerformanceObserver((list) =>
				long.push(...list.getEntries().map((e) => e.duration))
			);
		}
		// Warm up: scroll a stretch, come back, let loads settle.
		await run(60);
		el.scrollTop = 0;
		for (let i = 0; i < 60; i++) await raf();
		observer?.observe({ type: 'long-animation-frame' });
		work.length = 0;
		const startTop = el.scrollTop;
		const stamps = await run(frames);
		observer?.disconnect();
		const deltas = stamps.slice(1).map((t, i) => t - stamps[i]);
		channel.port1.close();
		// How many options in view show their image the moment scrolling stops (grid only).
		const box = el.getBoundingClientRect();
		const inView = [...el.querySelectorAll('[role="option"]')].filter((o) => {
			const r = o.getBoundingClientRect();
			return r.bottom > box.top && r.top < box.bottom;
		});
		const shown = inView.filter((o) => o.querySelector('img')?.complete).length;
		return {
			imagesShown: `${shown}/${inView.length}`,
			deltas,
			work,
			scrolledPx: el.scrollTop - startTop,
			scrollHeight: el.scrollHeight,
			clientHeight: el.clientHeight,
			container: `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''}`,
			nodes: el.querySelectorAll('*').length,
			longFrames: long.length,
			longestFrame: long.length ? Math.max(...long) : 0
		};
	}, frames);
}

const percentile = (values, p) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const median = (values) => percentile(values, 50);

/** Import rate over stretches of the job, from the progress trace: shows a slowdown. */
function describeTrace(trace, n) {
	const timeAt = (count) => trace.find(([, imported]) => imported >= count)?.[0];
	const marks = [0, 0.1, 0.5, 0.9, 1].map((f) => Math.round(f * n));
	const parts = [];
	for (let i = 1; i < marks.length; i++) {
		const from = i === 1 ? 0 : timeAt(marks[i - 1]);
		const to = timeAt(marks[i]);
		if (from === undefined || to === undefined || to <= from) continue;
		const rate = (marks[i] - marks[i - 1]) / (to - from);
		parts.push(
			`${Math.round((marks[i - 1] / n) * 100)}–${Math.round((marks[i] / n) * 100)}%: ${rate.toFixed(0)}/s`
		);
	}
	const first = trace[0];
	return `first ${first ? `${first[1]} stored after ${first[0].toFixed(2)} s` : 'none'}; rate by stretch ${parts.join(', ')}`;
}

async function measureBrowser(page, base, projectId, kind) {
	// `nosw`: the app skips registering its service worker (as the end-to-end tests do).
	const url = `${base}/project?id=${projectId}&nosw`;
	await firstRender(page, url); // warm-up visit: HTTP cache, code cache, database open
	const runs = [];
	for (let i = 0; i < 3; i++) runs.push(await firstRender(page, url));
	const fromMark = runs.every((r) => r.fromMark);
	if (!fromMark)
		notes.push(
			`${kind}: no items:first-render mark; first render measured as the first visible row`
		);
	console.log(
		`  ${kind} first render runs: ${runs.map((r) => r.ms.toFixed(0)).join(', ')} ms${fromMark ? '' : ' (row fallback)'}`
	);
	const scroll = await scrollFrames(page, 240);
	if (!scroll)
		throw new FunctionalError(
			`${kind}: the item browser shows no scrollable list of ${sizes.items} items`
		);
	const sorted = [...scroll.deltas].sort((a, b) => a - b);
	const work = [...scroll.work].sort((a, b) => a - b);
	console.log(
		`  ${kind} scroll: ${scroll.deltas.length} frames over ${Math.round(scroll.scrolledPx)} px in ${scroll.container} ` +
			`(height ${scroll.scrollHeight} px, ${scroll.nodes} nodes); frame ms median ${median(sorted).toFixed(1)}, ` +
			`p95 ${percentile(sorted, 95).toFixed(1)}, max ${sorted.at(-1).toFixed(1)}; ` +
			`long animation frames ${scroll.longFrames} (longest ${scroll.longestFrame.toFixed(0)} ms); ` +
			`work per frame median ${median(work).toFixed(1)}, p95 ${percentile(work, 95).toFixed(1)} ms` +
			(kind === 'grid' ? `; images shown when scrolling stops: ${scroll.imagesShown}` : '')
	);
	if (scroll.scrolledPx < scroll.clientHeight * 10) {
		throw new FunctionalError(
			`${kind}: the list scrolled only ${Math.round(scroll.scrolledPx)} px`
		);
	}
	return {
		firstRenderMs: median(runs.map((r) => r.ms)),
		p95: percentile(sorted, 95),
		workP95: percentile(work, 95)
	};
}

// ---------------------------------------------------------------- main

async function main() {
	if (!argv.has('--no-build')) {
		build('the app', ['vite', 'build']);
		build('the harness', ['vite', 'build', '--config', 'tests/bench/vite.config.ts']);
	}
	if (wanted('inference') || wanted('autolabel')) {
		const started = Date.now();
		const files = await buildBenchTextModel(path.join(fixtureModelsDir, 'hf', 'tiny-sentiment'));
		for (const [name, bytes] of files)
			memoryFiles.set(`/bench-models/bench-sentiment/${name}`, bytes);
		const onnx = files.get('onnx/model.onnx');
		console.log(
			`built the bench text model (${WIDTH} wide, ${LAYERS} layers, ${(onnx.byteLength / 1e6).toFixed(1)} MB) in ${((Date.now() - started) / 1000).toFixed(1)} s`
		);
	}
	const server = await serve();
	const base = `http://127.0.0.1:${server.address().port}`;
	let browser;
	try {
		browser = await chromium.launch({
			executablePath: CHROMIUM_PATH,
			args: CHROMIUM_ARGS
		});
		const context = await browser.newContext({
			serviceWorkers: 'block',
			viewport: { width: 1280, height: 800 }
		});
		const page = await context.newPage();
		page.on('pageerror', (error) => console.error(`  [page error] ${error.message}`));
		page.on('console', (message) => {
			if (message.type() === 'error') console.error(`  [console] ${message.text()}`);
		});
		const harness = async () => {
			await page.goto(`${base}/bench/`);
			await page.waitForFunction(() => document.title === 'bench ready');
		};
		const call = (name, ...args) =>
			page
				.evaluate(([name, args]) => window.bench[name](...args), [name, args])
				.catch((error) => {
					throw new FunctionalError(`bench.${name}(${args.join(', ')}): ${error.message}`);
				});

		if (wanted('texts') || wanted('images')) {
			console.log(`\nimports (${sizes.texts} texts, ${sizes.images} images of 512×512)`);
			await harness();
			if (wanted('texts')) await measureTexts(call);
			if (wanted('images')) await measureImages(call);
		}
		if (wanted('browser')) await measureBrowsers(call, harness, page, base);
		if (wanted('inference')) await measureInference(call, harness);
		if (wanted('autolabel')) await measureAutolabel(call, harness, context, page);
		if (wanted('review')) {
			if (!(await isFile(path.join(appDir, 'project', 'review.html')))) {
				notes.push(
					'review skipped: the app has no /project/review page (build/project/review.html)'
				);
				console.log('\nreview workspace skipped: build/project/review.html does not exist');
			} else {
				await measureReview({
					page,
					base,
					call,
					harness,
					n: sizes.reviewItems,
					approvals: sizes.reviewApprovals,
					record,
					notes,
					FunctionalError,
					median,
					percentile,
					profile: argv.has('--profile')
				});
			}
		}
		if (wanted('export')) {
			await measureExport({
				call,
				harness,
				context,
				page,
				heapProbe,
				texts: sizes.exportTexts,
				images: sizes.exportImages,
				record,
				notes,
				FunctionalError,
				profile: argv.has('--profile')
			});
		}
	} finally {
		await browser?.close().catch(() => undefined);
		await new Promise((resolve) => server.close(resolve));
	}
}

async function measureTexts(call) {
	await call('importTexts', 500); // warm-up: worker start, code caches, database open
	const texts = await call('importTexts', sizes.texts);
	await call('bulkPutBaseline', 500);
	const baseline = await call('bulkPutBaseline', sizes.texts);
	const chunked = await call('bulkPutBaseline', sizes.texts, 1000);
	console.log(
		`  texts: import ${texts.seconds.toFixed(2)} s (${(texts.csvBytes / 1e6).toFixed(1)} MB CSV), ` +
			`bulkPut ${baseline.seconds.toFixed(2)} s in one call, ${chunked.seconds.toFixed(2)} s in chunks of 1000`
	);
	console.log(`  texts: ${describeTrace(texts.trace, sizes.texts)}`);
	record('import_texts_per_s', texts.perSecond, 'items/s');
	record('import_texts_bulkput_per_s', baseline.perSecond, 'items/s');
	record('import_texts_bulkput_chunked_per_s', chunked.perSecond, 'items/s');
	record('import_texts_ratio_vs_bulkput', texts.perSecond / baseline.perSecond, 'ratio', {
		op: '>=',
		value: 0.5
	});

	if (argv.has('--profile')) {
		const stages = await call('profileTexts', sizes.texts);
		console.log(`  where ${sizes.texts} texts' time goes (stages on the page, ms):`);
		for (const [stage, ms] of Object.entries(stages)) console.log(`    ${stage}: ${ms}`);
	}
}

async function measureImages(call) {
	await call('importImages', 20, 2); // warm-up
	const images = await call('importImages', sizes.images, 1);
	console.log(
		`  images: ${images.seconds.toFixed(2)} s, ${(images.avgBytes / 1024).toFixed(0)} KB per JPEG on average`
	);
	console.log(`  images: ${describeTrace(images.trace, sizes.images)}`);
	record('import_images_per_s', images.perSecond, 'images/s', { op: '>=', value: 40 });
}

async function measureBrowsers(call, harness, page, base) {
	console.log(`\nitem browser (${sizes.items} items)`);
	if (!(await isFile(path.join(appDir, 'project.html')))) {
		notes.push('item browser skipped: the app has no /project page (build/project.html)');
		console.log('  skipped: build/project.html does not exist');
	} else {
		await harness();
		const textProject = await call('seedProject', sizes.items, 0);
		const list = await measureBrowser(page, base, textProject, 'list');
		record('browser_first_render_ms', list.firstRenderMs, 'ms', { op: '<', value: 1000 });
		record('browser_scroll_p95_ms', list.p95, 'ms', { op: '<', value: 16.7 });
		record('browser_scroll_work_p95_ms', list.workP95, 'ms', { op: '<', value: 16.7 });

		await harness();
		const imageProject = await call('seedProject', 0, sizes.items);
		const grid = await measureBrowser(page, base, imageProject, 'grid');
		record('browser_grid_first_render_ms', grid.firstRenderMs, 'ms', { op: '<', value: 1000 });
		record('browser_grid_scroll_p95_ms', grid.p95, 'ms', { op: '<', value: 16.7 });
		record('browser_grid_scroll_work_p95_ms', grid.workP95, 'ms', { op: '<', value: 16.7 });
	}
}

// ---------------------------------------------------------------- inference

/** The headline configuration: the app's own defaults on a 2-core machine. */
const HEADLINE = { threads: 2, batch: 8 };
/**
 * Timed items go in rounds of this many (whole batches of 1 and 8), ModelShip and the bare
 * loop alternating ABBA, so noise from other work on the machine falls on both alike. The
 * ratio figures are the median of the per-round ratios: a burst of other work that hits one
 * side of one round moves the median little, where it would move a ratio of totals.
 */
const ROUND_ITEMS = 8;
const WARMUP_ITEMS = 16;
const TEXT_TOKENS = 64;

const sum = (values) => values.reduce((a, b) => a + b, 0);
const ms = (value) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;

function softmax(logits) {
	const max = Math.max(...logits);
	const exps = logits.map((x) => Math.exp(x - max));
	const total = sum(exps);
	return exps.map((e) => e / total);
}

/**
 * One configuration: ModelShip's client and the bare ORT loop over the same number of items,
 * after warm-up, in alternating rounds of ROUND_ITEMS (so a machine that slows down or speeds
 * up during the run weighs on both). Returns items/s for both and prints the context.
 */
async function compareInference(call, { kind, threads, batch }, n) {
	const per = ROUND_ITEMS;
	const rounds = n / per;
	if (!Number.isInteger(rounds) || per % batch !== 0) {
		throw new FunctionalError(
			`${n} ${kind} items do not split into rounds of ${per} (whole batches of ${batch})`
		);
	}
	const config = { kind, threads, batch };
	const warm = await call('inferModelShip', {
		...config,
		set: 'warm',
		offset: 0,
		count: WARMUP_ITEMS
	});
	await call('inferBare', { ...config, set: 'warm', offset: 0, count: WARMUP_ITEMS, warmup: 2 });
	const modelship = [];
	const bare = [];
	for (let r = 0; r < rounds; r++) {
		const slice = { ...config, set: 'timed', offset: r * per, count: per };
		const runShip = async () => modelship.push(await call('inferModelShip', slice));
		const runBare = async () => bare.push(await call('inferBare', { ...slice, warmup: 0 }));
		if (r % 2 === 0) {
			await runShip();
			await runBare();
		} else {
			await runBare();
			await runShip();
		}
	}
	const shipSeconds = sum(modelship.map((m) => m.seconds));
	const bareSeconds = sum(bare.map((b) => b.seconds));
	const shipBatches = modelship.flatMap((m) => m.batchMs);
	const bareBatches = bare.flatMap((b) => b.batchMs);
	const inferenceMs = sum(modelship.map((m) => m.inferenceMs));
	const execution = modelship[0].execution;

	if (kind === 'text') {
		// Round 0 of both started at the same texts: the scores must agree, or the two paths
		// did not compute the same thing (a tokenizer that differs, another graph).
		const ship = modelship[0].firstScores;
		const reference = [];
		for (let i = 0; i < bare[0].firstOutput.length; i += 2) {
			reference.push(softmax(bare[0].firstOutput.slice(i, i + 2))[1]);
		}
		const worst = Math.max(...ship.map((p, i) => Math.abs(p - reference[i])));
		if (ship.length !== reference.length || !(worst < 1e-3)) {
			throw new FunctionalError(
				`text: ModelShip and bare ORT disagree on the same texts (max |Δp| ${worst}; ${ship.slice(0, 3)} vs ${reference.slice(0, 3)})`
			);
		}
	}

	const roundRatios = modelship.map((m, r) => bare[r].seconds / m.seconds);
	const batches = shipBatches.length;
	const shipMedian = median(shipBatches);
	const bareMedian = median(bareBatches);
	const insideRun = inferenceMs / batches;
	console.log(
		`  ${kind} ${threads} thread${threads === 1 ? '' : 's'}, batch ${batch}: ` +
			`ModelShip ${(n / shipSeconds).toFixed(1)}/s, batch median ${ms(shipMedian)} (p90 ${ms(percentile(shipBatches, 90))}); ` +
			`bare ORT ${(n / bareSeconds).toFixed(1)}/s, batch median ${ms(bareMedian)}; ratio: median of ${rounds} rounds ` +
			`${median(roundRatios).toFixed(3)} (quartiles ${percentile(roundRatios, 25).toFixed(2)}–${percentile(roundRatios, 75).toFixed(2)}, ` +
			`range ${Math.min(...roundRatios).toFixed(2)}–${Math.max(...roundRatios).toFixed(2)}), of totals ${(bareSeconds / shipSeconds).toFixed(3)}`
	);
	console.log(
		`    per batch: ${ms((shipSeconds * 1000) / batches)} in all = ${ms(insideRun)} in the backend's run ` +
			`(session.run ≈ ${ms(bareMedian)} as bare, so ≈ ${ms(Math.max(0, insideRun - bareMedian))} preprocessing + decoding) ` +
			`+ ${ms((shipSeconds * 1000) / batches - insideRun)} outside it (call, IndexedDB reads, image decoding, answer)`
	);
	console.log(
		`    execution: ${execution.backend}, ${execution.threads} thread${execution.threads === 1 ? '' : 's'} — ${execution.reason}; ` +
			`first load ${ms(warm.loadMs)} (${ms(execution.loadMs)} in the backend)`
	);
	return {
		shipPerSecond: n / shipSeconds,
		barePerSecond: n / bareSeconds,
		ratio: median(roundRatios)
	};
}

async function measureInference(call, harness) {
	console.log(
		`\ninference (${sizes.inferImages} images of 320×240, ${sizes.inferTexts} texts of ${TEXT_TOKENS} tokens; prefer wasm)`
	);
	await harness();
	const setup = await call('inferSetup', {
		images: sizes.inferImages,
		texts: sizes.inferTexts,
		warmupImages: WARMUP_ITEMS,
		warmupTexts: WARMUP_ITEMS,
		textTokens: TEXT_TOKENS,
		batches: [1, 8]
	});
	const env = setup.environment;
	console.log(
		`  image model ${setup.imageModel}; JPEGs ${(setup.avgJpegBytes / 1024).toFixed(0)} KB on average; ` +
			`text model ${(setup.textModelBytes / 1e6).toFixed(1)} MB; ${env.cores} cores, ` +
			`crossOriginIsolated ${setup.isolated}; the app's default here: ${env.workers} worker × ${env.threads} threads`
	);
	if (!setup.isolated) {
		throw new FunctionalError(
			'the harness page is not cross-origin isolated: WASM threads cannot run'
		);
	}
	if (!setup.imageModel.startsWith('mobilenet')) {
		notes.push(
			`inference: ${setup.imageModel} stood in for MobileNetV2 (../shared/models missing)`
		);
	}
	const imageBatch = Math.min(HEADLINE.batch, setup.imageBatchMax);
	const groups = [
		{
			threads: HEADLINE.threads,
			configs: [
				{ kind: 'image', batch: imageBatch },
				// A fixed-batch fallback model already ran at batch 1.
				...(imageBatch === 1 ? [] : [{ kind: 'image', batch: 1 }]),
				{ kind: 'text', batch: HEADLINE.batch }
			]
		},
		// ORT fixes its threads per worker: the 1-thread runs get fresh workers.
		{ threads: 1, configs: [{ kind: 'image', batch: imageBatch }] }
	];
	const results = new Map();
	for (const { threads, configs } of groups) {
		await call('inferReset');
		for (const config of configs) {
			const n = config.kind === 'image' ? sizes.inferImages : sizes.inferTexts;
			results.set(
				`${config.kind}:${threads}:${config.batch}`,
				await compareInference(call, { ...config, threads }, n)
			);
		}
	}
	await call('inferReset');

	if (argv.has('--profile')) {
		const stages = await call('inferProfile', Math.min(sizes.inferImages, 64), imageBatch);
		console.log(
			`  where an image batch of ${imageBatch}'s time goes around session.run (median ms per batch):`
		);
		for (const [stage, times] of Object.entries(stages)) {
			console.log(`    ${stage}: ${median(times).toFixed(2)}`);
		}
	}

	const headline = results.get(`image:${HEADLINE.threads}:${imageBatch}`);
	const text = results.get(`text:${HEADLINE.threads}:${HEADLINE.batch}`);
	const goal = { op: '>=', value: 0.85 };
	record('infer_image_per_s', headline.shipPerSecond, 'images/s');
	record('infer_image_bare_ort_per_s', headline.barePerSecond, 'images/s');
	record('infer_image_ratio_vs_bare_ort', headline.ratio, 'ratio', goal);
	record(
		'infer_image_per_s_threads1',
		results.get(`image:1:${imageBatch}`).shipPerSecond,
		'images/s'
	);
	record('infer_image_per_s_threads2', headline.shipPerSecond, 'images/s');
	record(
		'infer_image_per_s_batch1',
		results.get(`image:${HEADLINE.threads}:1`).shipPerSecond,
		'images/s'
	);
	record('infer_image_per_s_batch8', headline.shipPerSecond, 'images/s');
	record('infer_text_per_s', text.shipPerSecond, 'texts/s');
	record('infer_text_bare_ort_per_s', text.barePerSecond, 'texts/s');
	record('infer_text_ratio_vs_bare_ort', text.ratio, 'ratio', goal);
}

// ---------------------------------------------------------------- auto-labeling

/** Session batch of the image version and the bare loop; the job batch of the headline. */
const AUTOLABEL_BATCH = 8;
/** The job's default batch (autolabelService's AutoLabelChoices), the second image figure. */
const AUTOLABEL_JOB_DEFAULT_BATCH = 16;
const AUTOLABEL_WARMUP_TEXTS = 64;
/** Tokens per text of the memory job: a review of about 30 words. */
const AUTOLABEL_TEXT_TOKENS = 32;
const MB = 1024 * 1024;

/**
 * JS heaps of the page and its dedicated workers whose title (the worker's `name`) starts
 * with `titlePrefix` (the inference workers by default), through the Chrome DevTools
 * Protocol: a CDP session on the page auto-attaches (non-flattened) to its dedicated workers,
 * whose sessions are driven with Target.sendMessageToTarget. `read()` collects garbage in
 * each, then reads `Runtime.getHeapUsage` (V8 heap in use; WASM memory and ArrayBuffers are
 * outside it); `sample()` reads the same without collecting garbage (for peaks while a job
 * runs).
 */
async function heapProbe(context, page, titlePrefix = 'inference-') {
	const cdp = await context.newCDPSession(page);
	const workers = new Map();
	const pending = new Map();
	let nextId = 1;
	cdp.on('Target.attachedToTarget', (e) => workers.set(e.sessionId, e.targetInfo));
	cdp.on('Target.detachedFromTarget', (e) => workers.delete(e.sessionId));
	cdp.on('Target.receivedMessageFromTarget', (e) => {
		const message = JSON.parse(e.message);
		const settle = message.id === undefined ? null : pending.get(message.id);
		if (!settle) return;
		pending.delete(message.id);
		settle(message);
	});
	const sendTo = (sessionId, method, params = {}, timeoutMs = 60_000) =>
		new Promise((resolve, reject) => {
			const id = nextId++;
			const timer = setTimeout(() => {
				pending.delete(id);
				reject(new Error(`${method} in a worker: no answer`));
			}, timeoutMs);
			pending.set(id, (message) => {
				clearTimeout(timer);
				if (message.error) reject(new Error(`${method}: ${message.error.message}`));
				else resolve(message.result);
			});
			cdp
				.send('Target.sendMessageToTarget', {
					sessionId,
					message: JSON.stringify({ id, method, params })
				})
				.catch(reject);
		});
	await cdp.send('Target.setAutoAttach', {
		autoAttach: true,
		waitForDebuggerOnStart: false,
		flatten: false
	});
	return {
		/** { page, workers: { name → bytes }, worker: sum over the matching workers } in bytes. */
		async read() {
			const matching = [...workers].filter(([, info]) => info.title.startsWith(titlePrefix));
			const byName = {};
			for (const [sessionId, info] of matching) {
				await sendTo(sessionId, 'HeapProfiler.collectGarbage');
				await sendTo(sessionId, 'HeapProfiler.collectGarbage');
				byName[info.title] = (await sendTo(sessionId, 'Runtime.getHeapUsage')).usedSize;
			}
			await cdp.send('HeapProfiler.collectGarbage');
			await cdp.send('HeapProfiler.collectGarbage');
			const pageUsed = (await cdp.send('Runtime.getHeapUsage')).usedSize;
			return { page: pageUsed, workers: byName, worker: sum(Object.values(byName)) };
		},
		/** As `read()`, without collecting garbage first; a worker that does not answer is left out. */
		async sample() {
			const matching = [...workers].filter(([, info]) => info.title.startsWith(titlePrefix));
			const byName = {};
			await Promise.all(
				matching.map(async ([sessionId, info]) => {
					const usage = await sendTo(sessionId, 'Runtime.getHeapUsage', {}, 5_000).catch(
						() => null
					);
					if (usage) byName[info.title] = usage.usedSize;
				})
			);
			const pageUsed = (await cdp.send('Runtime.getHeapUsage')).usedSize;
			return { page: pageUsed, workers: byName, worker: sum(Object.values(byName)) };
		},
		detach: () => cdp.detach().catch(() => undefined)
	};
}

/**
 * Whole auto-label jobs (runAutoLabel, from start to finish) against the bare ORT loop on the
 * same image model, items and threads, in ABBA rounds; then a 10,000-text job for memory.
 */
async function measureAutolabel(call, harness, context, page) {
	const n = sizes.autolabelImages;
	const rounds = sizes.autolabelRounds;
	if (n % AUTOLABEL_JOB_DEFAULT_BATCH !== 0 || n % AUTOLABEL_BATCH !== 0 || rounds < 1) {
		throw new FunctionalError(
			`BENCH_AUTOLABEL_IMAGES must be a multiple of ${AUTOLABEL_JOB_DEFAULT_BATCH} and BENCH_AUTOLABEL_ROUNDS ≥ 1`
		);
	}
	console.log(
		`
auto-labeling (${rounds} rounds of a job over ${n} images of 320×240; a job over ${sizes.autolabelTexts} texts of ${AUTOLABEL_TEXT_TOKENS} tokens)`
	);
	await harness();
	const heaps = await heapProbe(context, page);
	try {
		const setup = await call('inferSetup', {
			images: n,
			texts: 0,
			warmupImages: WARMUP_ITEMS,
			warmupTexts: 0,
			textTokens: AUTOLABEL_TEXT_TOKENS,
			batches: [AUTOLABEL_BATCH]
		});
		if (!setup.isolated) {
			throw new FunctionalError(
				'the harness page is not cross-origin isolated: WASM threads cannot run'
			);
		}
		if (!setup.imageModel.startsWith('mobilenet')) {
			notes.push(
				`autolabel: ${setup.imageModel} stood in for MobileNetV2 (../shared/models missing)`
			);
		}
		const images = await call('autolabelImageSetup', AUTOLABEL_BATCH);
		const exec = images.execution;
		console.log(
			`  image model ${setup.imageModel}, task of ${images.classes.length} classes (${images.classes.join(', ')}); ` +
				`the job's model runs on ${exec.backend}, ${exec.threads} thread${exec.threads === 1 ? '' : 's'} — ${exec.reason}`
		);
		if (exec.device !== 'wasm') {
			notes.push(
				`autolabel: the job's model ran on ${exec.backend}, the bare loop on wasm: the ratio compares different backends`
			);
		}
		const threads = exec.threads;
		const jobRun = (count, batchSize, set = 'timed') =>
			call('autolabelRun', { kind: 'image', set, offset: 0, count, batchSize });
		const bareRun = (set, count, warmup) =>
			call('inferBare', {
				kind: 'image',
				threads,
				batch: AUTOLABEL_BATCH,
				set,
				offset: 0,
				count,
				warmup
			});

		// Warm-up: code caches, the bare session, one job through every step.
		await jobRun(WARMUP_ITEMS, AUTOLABEL_BATCH, 'warm');
		await bareRun('warm', WARMUP_ITEMS, 2);

		const jobs = [];
		const bare = [];
		for (let r = 0; r < rounds; r++) {
			const runJob = async () => jobs.push(await jobRun(n, AUTOLABEL_BATCH));
			const runBare = async () => bare.push(await bareRun('timed', n, 0));
			if (r % 2 === 0) {
				await runJob();
				await runBare();
			} else {
				await runBare();
				await runJob();
			}
		}
		const jobs16 = [];
		for (let r = 0; r < Math.max(1, Math.ceil(rounds / 2)); r++) {
			jobs16.push(await jobRun(n, AUTOLABEL_JOB_DEFAULT_BATCH));
		}
		const jobSeconds = sum(jobs.map((j) => j.seconds));
		const bareSeconds = sum(bare.map((b) => b.seconds));
		const job16Seconds = sum(jobs16.map((j) => j.seconds));
		const ratios = jobs.map((j, r) => bare[r].seconds / j.seconds);
		const last = jobs.at(-1);
		console.log(
			`  job batch ${AUTOLABEL_BATCH}: ${((n * rounds) / jobSeconds).toFixed(1)}/s (rounds ${jobs.map((j) => j.seconds.toFixed(2)).join(', ')} s); ` +
				`bare ORT ${((n * rounds) / bareSeconds).toFixed(1)}/s (rounds ${bare.map((b) => b.seconds.toFixed(2)).join(', ')} s); ` +
				`ratio: median of ${rounds} rounds ${median(ratios).toFixed(3)} (range ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}), of totals ${(bareSeconds / jobSeconds).toFixed(3)}`
		);
		console.log(
			`  job batch ${AUTOLABEL_JOB_DEFAULT_BATCH} (two session.run of ${AUTOLABEL_BATCH} per batch): ${((n * jobs16.length) / job16Seconds).toFixed(1)}/s (rounds ${jobs16.map((j) => j.seconds.toFixed(2)).join(', ')} s)`
		);
		console.log(
			`  each job: ${last.predictions} predictions (backend ${last.backends.join(', ')}), ${last.annotations} annotations ` +
				`(${last.withClass} with a class: the top label is one of the task's), ${last.summary.needsReview} need review; ` +
				`the runner's own rate (batches only) ${last.summary.itemsPerSecond.toFixed(1)}/s`
		);
		record('autolabel_job_per_s', (n * rounds) / jobSeconds, 'items/s');
		record('autolabel_job_bare_ort_per_s', (n * rounds) / bareSeconds, 'items/s');
		record('autolabel_job_ratio_vs_bare_ort', median(ratios), 'ratio', { op: '>=', value: 0.8 });
		record('autolabel_job_per_s_batch16', (n * jobs16.length) / job16Seconds, 'items/s');

		// Memory: one long text job in a fresh inference worker.
		await call('inferReset');
		const texts = await call(
			'autolabelTextSetup',
			sizes.autolabelTexts,
			AUTOLABEL_WARMUP_TEXTS,
			AUTOLABEL_TEXT_TOKENS
		);
		console.log(
			`  text model: bench sentiment (transformers.js) on ${texts.execution.backend}, ${texts.execution.threads} threads; ` +
				`${texts.items} texts seeded in ${texts.seedSeconds.toFixed(1)} s; task classes ${texts.classes.join(', ')}`
		);
		await call('autolabelRun', {
			kind: 'text',
			set: 'warm',
			offset: 0,
			count: AUTOLABEL_WARMUP_TEXTS,
			batchSize: AUTOLABEL_JOB_DEFAULT_BATCH
		});
		// Context: the same texts through runModel alone (no storage), right before the job.
		const plain = await call('autolabelRunModel', {
			kind: 'text',
			set: 'timed',
			offset: 0,
			count: Math.min(256, sizes.autolabelTexts),
			batch: AUTOLABEL_JOB_DEFAULT_BATCH
		});
		console.log(
			`  the first ${Math.min(256, sizes.autolabelTexts)} texts through runModel alone (batch ${AUTOLABEL_JOB_DEFAULT_BATCH}, no storage): ${plain.perSecond.toFixed(1)}/s`
		);
		const before = await heaps.read();
		if (Object.keys(before.workers).length === 0) {
			throw new FunctionalError('no inference worker to measure the heap of (CDP auto-attach)');
		}
		const long = await call('autolabelRun', {
			kind: 'text',
			set: 'timed',
			offset: 0,
			count: sizes.autolabelTexts,
			batchSize: AUTOLABEL_JOB_DEFAULT_BATCH,
			keep: true
		});
		const after = await heaps.read();
		const workerGrowth = (after.worker - before.worker) / MB;
		const pageGrowth = (after.page - before.page) / MB;
		const list = (h) =>
			Object.entries(h.workers)
				.map(([name, bytes]) => `${name} ${(bytes / MB).toFixed(1)} MB`)
				.join(', ');
		console.log(
			`  ${sizes.autolabelTexts} texts, job batch ${AUTOLABEL_JOB_DEFAULT_BATCH}: ${long.seconds.toFixed(1)} s; ${long.predictions} predictions, ${long.annotations} annotations; ` +
				`heap after GC: worker ${list(before)} → ${list(after)}; page ${(before.page / MB).toFixed(1)} → ${(after.page / MB).toFixed(1)} MB`
		);
		record('autolabel_10k_per_s', long.perSecond, 'items/s');
		record('autolabel_10k_heap_growth_mb', workerGrowth, 'MB', { op: '<', value: 50 });
		record('autolabel_10k_page_heap_growth_mb', pageGrowth, 'MB');
	} finally {
		await call('inferReset').catch(() => undefined);
		await heaps.detach();
	}
}

async function writeResults() {
	if (figures.size === 0) return;
	if (!defaultSizes) {
		console.log(
			`\nbench/results.json not written: sizes differ from the defaults ${JSON.stringify(DEFAULTS)}`
		);
		return;
	}
	let previous = {};
	try {
		previous = JSON.parse(await readFile(resultsFile, 'utf8'));
	} catch (error) {
		if (error.code !== 'ENOENT') throw error;
	}
	const merged = { ...previous };
	for (const [name, { value, unit }] of figures) merged[name] = { value, unit };
	const sorted = Object.fromEntries(
		Object.keys(merged)
			.sort()
			.map((k) => [k, merged[k]])
	);
	await mkdir(path.dirname(resultsFile), { recursive: true });
	await writeFile(resultsFile, `${JSON.stringify(sorted, null, '\t')}\n`);
	console.log(`\nwrote ${figures.size} figures to bench/results.json`);
}

function printSummary() {
	if (figures.size === 0) return;
	console.log('\nsummary');
	for (const [name, { value, raw, unit, goal }] of figures) {
		const goalText = goal ? `goal ${goal.op} ${goal.value}` : '';
		const verdict = goal ? (meets(raw, goal) ? 'met' : 'NOT met') : '';
		console.log(
			`  ${name.padEnd(36)} ${String(value).padStart(10)} ${unit.padEnd(9)}${goalText.padEnd(15)}${verdict}`
		);
	}
}

let exitCode = 0;
try {
	await main();
} catch (error) {
	exitCode = 1;
	console.error(
		`\nbenchmark failed: ${error instanceof FunctionalError ? error.message : error.stack}`
	);
}
printSummary();
try {
	await writeResults();
} catch (error) {
	exitCode = 1;
	console.error(`could not write bench/results.json: ${error.message}`);
}
for (const note of notes) console.log(`note: ${note}`);
process.exit(exitCode);
