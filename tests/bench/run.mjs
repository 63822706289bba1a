// `npm run bench`: builds the app and the benchmark harness, serves both on one local origin,
// drives headless Chromium through them, prints figures with their goals, and merges them
// into bench/results.json. Times are reported, never judged: the exit code is non-zero only
// for a functional error (a build that fails, an import that stored the wrong count, a page
// that never shows its items). See tests/bench/README.md.
//
// Options: --no-build (reuse build/ and bench/build/), --profile (also print where a text
// import's time goes), --only=texts,images,browser (run some parts). Sizes: BENCH_TEXTS, BENCH_IMAGES, BENCH_ITEMS (results.json is only
// written at the default sizes, so figures stay comparable over time).

import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium.mjs';
import { spawnSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const appDir = path.join(repo, 'build');
const harnessDir = path.join(repo, 'bench', 'build', 'bench');
const resultsFile = path.join(repo, 'bench', 'results.json');

const argv = new Set(process.argv.slice(2));
const only = process.argv
	.find((a) => a.startsWith('--only='))
	?.slice('--only='.length)
	.split(',');
const wanted = (part) => !only || only.includes(part);
const DEFAULTS = { texts: 50_000, images: 2_000, items: 100_000 };
const sizes = {
	texts: Number(process.env.BENCH_TEXTS ?? DEFAULTS.texts),
	images: Number(process.env.BENCH_IMAGES ?? DEFAULTS.images),
	items: Number(process.env.BENCH_ITEMS ?? DEFAULTS.items)
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

const TYPES = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.json': 'application/json',
	'.webmanifest': 'application/manifest+json',
	'.wasm': 'application/wasm',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.jpg': 'image/jpeg',
	'.ico': 'image/x-icon',
	'.txt': 'text/plain; charset=utf-8',
	'.onnx': 'application/octet-stream'
};

async function isFile(file) {
	try {
		return (await stat(file)).isFile();
	} catch {
		return false;
	}
}

/** `/bench/…` → the harness build; anything else → the app build, `/a/b` → `a/b.html`. */
async function resolveFile(urlPath) {
	let pathname;
	try {
		pathname = decodeURIComponent(urlPath);
	} catch {
		return null;
	}
	let root = appDir;
	if (pathname === '/bench' || pathname.startsWith('/bench/')) {
		root = harnessDir;
		pathname = pathname.slice('/bench'.length) || '/';
	}
	const rel = path.posix.normalize(pathname);
	if (rel.includes('\0') || !rel.startsWith('/')) return null;
	const candidates = rel.endsWith('/')
		? [`${rel}index.html`]
		: [rel, `${rel}.html`, `${rel}/index.html`];
	for (const candidate of candidates) {
		const file = path.join(root, candidate);
		if (file.startsWith(root) && (await isFile(file))) return file;
	}
	return null;
}

function serve() {
	const server = http.createServer(async (req, res) => {
		res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
		res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
		res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
		const url = new URL(req.url ?? '/', 'http://localhost');
		const file =
			req.method === 'GET' || req.method === 'HEAD' ? await resolveFile(url.pathname) : null;
		if (!file) {
			res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
			return;
		}
		const { size } = await stat(file);
		res.writeHead(200, {
			'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
			'Content-Length': size,
			'Cache-Control': url.pathname.includes('/immutable/')
				? 'public, max-age=31536000, immutable'
				: 'no-cache'
		});
		if (req.method === 'HEAD') res.end();
		else createReadStream(file).pipe(res);
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve(server));
	});
}

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

		console.log(`\nimports (${sizes.texts} texts, ${sizes.images} images of 512×512)`);
		await harness();
		if (wanted('texts')) await measureTexts(call);
		if (wanted('images')) await measureImages(call);
		if (wanted('browser')) await measureBrowsers(call, harness, page, base);
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
