// `npm run eval`: builds the evaluation harness from the app's real modules, serves it and
// ../shared on one local origin with COOP/COEP, drives headless Chromium through it, and
// scores real models on labelled data run through ModelShip's own preprocessing and decoding
// (backends/onnx.ts with the manifests in tests/eval/manifests). Prints every figure next to
// its goal and merges them into bench/eval.json. Exits non-zero only on a functional error
// (a build that fails, a model that does not load or run, data that is missing) — never
// because a figure misses its goal. See tests/eval/README.md.
//
// Options: --no-build (reuse bench/build/eval), --only=mnist,mobilenet,nanodet,embedded,
// --prefer=auto|wasm|webgpu (the execution plan's preference, default auto),
// --webgpu (launch Chromium with its software WebGPU adapter, to exercise the WebGPU path and
// the probe), EVAL_MNIST_LIMIT=n (fewer digits; the MNIST figures are then not written).

import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium.mjs';
import { isFile, startIsolatedServer } from '../isolatedServer.mjs';
import { compareWithReference, meanAP, parseYoloLabels } from './metrics.mjs';
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const harnessDir = path.join(repo, 'bench', 'build', 'eval');
const sharedDir = path.resolve(repo, '..', 'shared');
const resultsFile = path.join(repo, 'bench', 'eval.json');
/** Images resized here the way the reference predictions were made (sharp), served at /pixels/. */
const pixelsDir = path.join(repo, 'bench', 'build', 'eval-pixels');

const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name) =>
	args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? null;
const only = option('only')?.split(',');
const wanted = (part) => !only || only.includes(part);
const prefer = option('prefer') ?? 'auto';
const MNIST_ALL = 10_000;
const mnistLimit = Number(process.env.EVAL_MNIST_LIMIT ?? MNIST_ALL);

class FunctionalError extends Error {}

/** name → { value, unit, goal text, met (true / false / null when no goal) } */
const figures = new Map();
const notes = [];

function record(name, value, unit, { digits = 2, goal = null, met = null, write = true } = {}) {
	const rounded = Number(value.toFixed(digits));
	figures.set(name, { value: rounded, unit, goal, met, write });
	const verdict = met === null ? '' : met ? 'met' : 'NOT met';
	console.log(
		`  ${name.padEnd(42)} ${String(rounded).padStart(9)} ${unit.padEnd(6)} ${goal ? `goal ${goal}: ${verdict}` : ''}`
	);
}

// ---------------------------------------------------------------- build and serve

function build() {
	const started = Date.now();
	const result = spawnSync('npx', ['vite', 'build', '--config', 'tests/eval/vite.config.ts'], {
		cwd: repo,
		encoding: 'utf8',
		env: process.env
	});
	if (result.status !== 0) {
		console.error(result.stdout, result.stderr);
		throw new FunctionalError(`building the harness failed (exit ${result.status})`);
	}
	console.log(`built the evaluation harness in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** `/eval/…` → the harness build, `/shared/…` → ../shared (read only); nothing else. */
const serve = () =>
	startIsolatedServer({
		mounts: [
			['/eval', harnessDir],
			['/shared', sharedDir],
			['/pixels', pixelsDir]
		]
	});

// ---------------------------------------------------------------- evaluations

const pct = (n, d) => (100 * n) / d;
const describeExecution = (e) =>
	`${e.backend}, ${e.threads} thread${e.threads === 1 ? '' : 's'} — ${e.reason}; loaded in ${e.loadMs.toFixed(0)} ms`;

async function evalMnist(call) {
	const goals = {
		'mnist-cntk': ['eval_mnist_cntk_acc', 98.9],
		'mnist-pytorch-cnn': ['eval_mnist_pytorch_acc', 99.07]
	};
	for (const [model, [name, reference]] of Object.entries(goals)) {
		const r = await call('mnist', model, mnistLimit, prefer);
		const accuracy = pct(r.correct, r.total);
		console.log(
			`  ${model}: ${r.correct}/${r.total} correct, mean top-1 probability ${r.meanTop1.toFixed(4)}, ` +
				`${((r.ms / r.items) * 1000).toFixed(0)} µs per digit\n    ${describeExecution(r.execution)}`
		);
		if (r.total !== mnistLimit)
			throw new FunctionalError(`${model}: ran ${r.total} of ${mnistLimit} digits`);
		const full = r.total === MNIST_ALL;
		if (!full)
			notes.push(`${name} measured on ${r.total} digits only: not written to bench/eval.json`);
		record(name, accuracy, '%', {
			goal: `${reference} ± 0.1 (PROVENANCE, all 10,000)`,
			met: full ? Math.abs(accuracy - reference) <= 0.1 + 1e-9 : null,
			write: full
		});
	}
}

async function evalMobilenet(call) {
	const reference = JSON.parse(
		await readFile(
			path.join(sharedDir, 'eval/image-sanity/reference-predictions-mobilenetv2-int8-wasm.json'),
			'utf8'
		)
	);
	const files = Object.keys(reference).sort();
	const r = await call('mobilenet', files, prefer, false);
	console.log(
		`  mobilenetv2-int8: ${files.length} images, ${(r.ms / r.items).toFixed(0)} ms per image\n    ${describeExecution(r.execution)}`
	);
	let agree = 0;
	let maxDiff = 0;
	for (const file of files) {
		const ours = r.top5[file][0];
		const ref = reference[file][0];
		const same = ours.index === ref.index;
		if (same) agree++;
		maxDiff = Math.max(maxDiff, Math.abs(ours.score - ref.prob));
		console.log(
			`    ${file.padEnd(14)} ${same ? 'same' : 'DIFFERENT'}: ${ours.label} ${(ours.score * 100).toFixed(1)} % ` +
				`(reference ${ref.label} ${(ref.prob * 100).toFixed(1)} %)`
		);
	}
	record('eval_mobilenet_reference_agreement', agree / files.length, 'ratio', {
		digits: 3,
		goal: '1.0',
		met: agree === files.length
	});
	record('eval_mobilenet_reference_max_top1_prob_diff', maxDiff, 'prob', { digits: 4 });

	// The same photos resized by sharp as the reference was (fit 'cover', lanczos3), taken 1:1.
	const sharp = await loadSharp();
	if (!sharp) return;
	await mkdir(path.join(pixelsDir, 'mobilenet'), { recursive: true });
	for (const file of files) {
		await sharp(path.join(sharedDir, 'eval/image-sanity', file))
			.resize(224, 224, { fit: 'cover' })
			.png()
			.toFile(path.join(pixelsDir, 'mobilenet', `${file}.png`));
	}
	const same = await call('mobilenet', files, prefer, true);
	let sameAgree = 0;
	let sameDiff = 0;
	for (const file of files) {
		const ours = same.top5[file][0];
		if (ours.index === reference[file][0].index) sameAgree++;
		sameDiff = Math.max(sameDiff, Math.abs(ours.score - reference[file][0].prob));
	}
	console.log(
		`    with the reference's own resized pixels: max top-1 probability difference ${sameDiff.toFixed(4)}`
	);
	record('eval_mobilenet_reference_agreement_same_pixels', sameAgree / files.length, 'ratio', {
		digits: 3,
		goal: '1.0',
		met: sameAgree === files.length
	});
}

/** sharp (installed with @huggingface/transformers) makes the reference's resized pixels. */
async function loadSharp() {
	try {
		return (await import('sharp')).default;
	} catch {
		notes.push('same-pixel checks skipped: sharp is not installed');
		return null;
	}
}

async function evalNanodet(call) {
	const dir = path.join(sharedDir, 'eval/coco128-val');
	const ids = (await readdir(path.join(dir, 'images')))
		.filter((f) => f.endsWith('.jpg'))
		.map((f) => f.slice(0, -4))
		.sort();
	if (ids.length === 0) throw new FunctionalError(`no images in ${dir}/images`);
	const r = await call('nanodet', ids, 0.05, prefer, false);
	console.log(
		`  nanodet-plus-m-416: ${ids.length} images, ${(r.ms / r.items).toFixed(0)} ms per image\n    ${describeExecution(r.execution)}`
	);
	const truth = new Map();
	for (const image of r.images) {
		const text = await readFile(path.join(dir, 'labels', `${image.id}.txt`), 'utf8').catch(
			() => ''
		);
		truth.set(image.id, parseYoloLabels(text, image.width, image.height));
	}
	const boxes = [...truth.values()].flat().length;
	const at50 = meanAP(r.images, truth);
	const at5095 = meanAP(
		r.images,
		truth,
		Array.from({ length: 10 }, (_, i) => 0.5 + 0.05 * i)
	);
	console.log(`    ground truth: ${boxes} boxes, ${at50.classes} classes present`);
	const partial = ids.length < 128 ? `; this folder holds ${ids.length} of the 128 images` : '';
	record('eval_nanodet_map50', at50.map, '%', {
		digits: 1,
		goal: `≈ 42.0 (PROVENANCE, all 128 images${partial})`
	});
	record('eval_nanodet_map50_95', at5095.map, '%', {
		digits: 1,
		goal: `≈ 26.0 (PROVENANCE, all 128 images${partial})`
	});

	// The stored reference detections (fp32, onnxruntime-web wasm, score ≥ 0.3).
	const reference = JSON.parse(
		await readFile(path.join(dir, 'reference-predictions-nanodet-fp32-wasm.json'), 'utf8')
	);
	const floor = 0.3;
	const cmp = compareWithReference(r.images, reference, floor);
	const refImages = Object.entries(reference).map(([id, list]) => ({
		id,
		boxes: list.map((d) => ({ classIndex: d.class, score: d.score, box: d.box_xyxy }))
	}));
	const oursAtFloor = r.images.map((p) => ({
		...p,
		boxes: p.boxes.filter((b) => b.score >= floor)
	}));
	const refMap = meanAP(refImages, truth).map;
	const ourMap = meanAP(oursAtFloor, truth).map;
	console.log(
		`    reference detections: ${cmp.matched}/${cmp.total} reproduced; worst box ${JSON.stringify(cmp.worst)}`
	);
	for (const m of cmp.missed) {
		console.log(
			`    missed ${m.id} class ${m.class} ${m.score}${m.nearFloor ? ' (near the 0.3 floor)' : ''}`
		);
	}
	for (const e of cmp.extra) {
		console.log(
			`    extra  ${e.id} class ${e.classIndex} ${e.score.toFixed(4)}${e.nearFloor ? ' (near the 0.3 floor)' : ''}`
		);
	}
	record('eval_nanodet_reference_max_box_diff_px', cmp.maxBoxDiff, 'px', {
		digits: 2,
		goal: '≤ 1',
		met: cmp.maxBoxDiff <= 1
	});
	record('eval_nanodet_reference_boxes_within_1px', cmp.within1 / cmp.matched, 'ratio', {
		digits: 3,
		goal: 'share of reproduced reference boxes within 1 px'
	});
	record('eval_nanodet_reference_max_score_diff', cmp.maxScoreDiff, 'score', { digits: 4 });
	const hard =
		cmp.missed.filter((m) => !m.nearFloor).length + cmp.extra.filter((e) => !e.nearFloor).length;
	record('eval_nanodet_reference_matched', cmp.matched / cmp.total, 'ratio', {
		digits: 3,
		goal: '1.0 (misses only at the 0.3 floor)',
		met: hard === 0
	});
	record('eval_nanodet_map50_at_0_3', ourMap, '%', {
		digits: 2,
		goal: `= reference detections' ${refMap.toFixed(2)} ± 0.1`,
		met: Math.abs(ourMap - refMap) <= 0.1
	});

	// The reference's own letterboxed pixels (sharp lanczos3 to round(size·s), black bars at
	// floor offsets), taken 1:1; boxes mapped back as the reference did: (v − offset) / s.
	const sharp = await loadSharp();
	if (!sharp) return;
	await mkdir(path.join(pixelsDir, 'nanodet'), { recursive: true });
	const geometry = new Map();
	for (const image of r.images) {
		const { width: W, height: H } = image;
		const s = Math.min(416 / W, 416 / H);
		const dw = Math.round(W * s);
		const dh = Math.round(H * s);
		const ox = Math.floor((416 - dw) / 2);
		const oy = Math.floor((416 - dh) / 2);
		geometry.set(image.id, { W, H, s, ox, oy });
		const inner = await sharp(path.join(dir, 'images', `${image.id}.jpg`))
			.resize(dw, dh, { fit: 'fill' })
			.png()
			.toBuffer();
		await sharp({ create: { width: 416, height: 416, channels: 3, background: '#000' } })
			.composite([{ input: inner, left: ox, top: oy }])
			.png()
			.toFile(path.join(pixelsDir, 'nanodet', `${image.id}.png`));
	}
	const same = await call('nanodet', ids, floor, prefer, true);
	const mapped = same.images.map((p) => {
		const { W, H, s, ox, oy } = geometry.get(p.id);
		const clamp = (v, max) => Math.min(max, Math.max(0, v));
		return {
			...p,
			boxes: p.boxes.map((b) => ({
				...b,
				box: [
					clamp((b.box[0] - ox) / s, W),
					clamp((b.box[1] - oy) / s, H),
					clamp((b.box[2] - ox) / s, W),
					clamp((b.box[3] - oy) / s, H)
				]
			}))
		};
	});
	const exact = compareWithReference(mapped, reference, floor);
	console.log(
		`    with the reference's own letterboxed pixels: ${exact.matched}/${exact.total} reproduced, ` +
			`${exact.extra.length} extra, max score difference ${exact.maxScoreDiff.toFixed(4)}`
	);
	record('eval_nanodet_reference_max_box_diff_px_same_pixels', exact.maxBoxDiff, 'px', {
		digits: 2,
		goal: '≤ 1 (decoding alone; the reference rounds to 0.1)',
		met: exact.maxBoxDiff <= 1 && exact.matched === exact.total && exact.extra.length === 0
	});
}

async function evalEmbedded(call) {
	const result = await call('embedded');
	if (result === null) {
		notes.push('embedded defaults skipped: tests/eval/harness/embedded.ts does not exist yet');
		console.log('  skipped: tests/eval/harness/embedded.ts does not exist yet');
		return;
	}
	const goals = {
		eval_langid_acc: '75.81 % on all 372 UDHR items (PROVENANCE)',
		eval_sentiment_acc: '87.2 % amazon / 81.6 % imdb (PROVENANCE)'
	};
	for (const [name, { value, unit }] of Object.entries(result)) {
		if (typeof value !== 'number' || typeof unit !== 'string') {
			throw new FunctionalError(`embedded evaluation returned a malformed figure '${name}'`);
		}
		record(name, value, unit, { digits: 3, goal: goals[name] ?? null });
	}
}

async function evalProbe(call) {
	for (const model of ['mnist-cntk', 'mobilenetv2-int8', 'nanodet-plus-m-416']) {
		const e = await call('probe', model, 'auto');
		console.log(`  ${model}: ${describeExecution(e)}`);
	}
}

// ---------------------------------------------------------------- main

async function main() {
	if (!(await isFile(path.join(sharedDir, 'models/INDEX.md')))) {
		throw new FunctionalError(`the shared models are missing: ${sharedDir}/models`);
	}
	if (!flag('no-build')) build();
	const server = await serve();
	const base = `http://127.0.0.1:${server.address().port}`;
	const requested = new Set();
	let browser;
	try {
		const webgpu = flag('webgpu');
		const launchArgs = webgpu
			? [...CHROMIUM_ARGS.filter((a) => a !== '--disable-gpu'), '--enable-unsafe-webgpu']
			: CHROMIUM_ARGS;
		browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: launchArgs });
		const context = await browser.newContext({ serviceWorkers: 'block' });
		context.on('request', (request) => requested.add(request.url()));
		const page = await context.newPage();
		page.on('pageerror', (error) => console.error(`  [page error] ${error.message}`));
		page.on('console', (message) => {
			if (message.type() === 'error') console.error(`  [console] ${message.text()}`);
		});
		await page.goto(`${base}/eval/`);
		await page.waitForFunction(() => document.title === 'eval ready');
		const call = (name, ...callArgs) =>
			page
				.evaluate(([name, callArgs]) => window.evaluation[name](...callArgs), [name, callArgs])
				.catch((error) => {
					throw new FunctionalError(`evaluation.${name}: ${error.message}`);
				});

		const env = await call('environment');
		console.log(
			`\nChromium: cross-origin isolated ${env.isolated}, ${env.cores} cores, ${env.threads} WASM threads; ` +
				`WebGPU: ${env.webgpu.reason}; prefer ${prefer}`
		);
		const parts = [
			['mnist', `MNIST test set (${mnistLimit} digits), raw ONNX + manifest`, evalMnist],
			[
				'mobilenet',
				'MobileNetV2 int8 on the image-sanity photos vs reference predictions',
				evalMobilenet
			],
			[
				'nanodet',
				'NanoDet-Plus on coco128-val (score floor 0.05, per-class NMS 0.6, ≤ 100)',
				evalNanodet
			],
			['embedded', 'embedded defaults', evalEmbedded]
		];
		if (webgpu) parts.unshift(['probe', 'backend probe per model (prefer auto)', evalProbe]);
		for (const [part, title, run] of parts) {
			if (part !== 'probe' && !wanted(part)) continue;
			console.log(`\n${title}`);
			await run(call);
		}
	} finally {
		await browser?.close().catch(() => undefined);
		await new Promise((resolve) => server.close(resolve));
	}
	const runtimeFiles = [...requested]
		.map((u) => new URL(u))
		.filter((u) => /\.(wasm|mjs)$/.test(u.pathname))
		.map((u) => u.pathname);
	console.log(`\nruntime files fetched: ${runtimeFiles.join(', ') || 'none'}`);
	const foreign = [...requested].filter(
		(u) => !u.startsWith(base) && !u.startsWith('data:') && !u.startsWith('blob:')
	);
	if (foreign.length > 0)
		throw new FunctionalError(`requests left the local origin: ${foreign.join(', ')}`);
}

async function writeResults() {
	const written = [...figures].filter(([, f]) => f.write);
	if (written.length === 0) return;
	let previous = {};
	try {
		previous = JSON.parse(await readFile(resultsFile, 'utf8'));
	} catch (error) {
		if (error.code !== 'ENOENT') throw error;
	}
	const merged = { ...previous };
	for (const [name, { value, unit }] of written) merged[name] = { value, unit };
	const sorted = Object.fromEntries(
		Object.keys(merged)
			.sort()
			.map((k) => [k, merged[k]])
	);
	await mkdir(path.dirname(resultsFile), { recursive: true });
	await writeFile(resultsFile, `${JSON.stringify(sorted, null, '\t')}\n`);
	console.log(`wrote ${written.length} figures to bench/eval.json`);
}

function printSummary() {
	if (figures.size === 0) return;
	console.log('\nsummary');
	for (const [name, { value, unit, goal, met }] of figures) {
		const verdict = met === null ? '' : met ? '  met' : '  NOT met';
		console.log(
			`  ${name.padEnd(42)} ${String(value).padStart(9)} ${unit.padEnd(6)} ${goal ?? ''}${verdict}`
		);
	}
}

let exitCode = 0;
try {
	await main();
} catch (error) {
	exitCode = 1;
	console.error(
		`\nevaluation failed: ${error instanceof FunctionalError ? error.message : error.stack}`
	);
}
printSummary();
try {
	await writeResults();
} catch (error) {
	exitCode = 1;
	console.error(`could not write bench/eval.json: ${error.message}`);
}
for (const note of notes) console.log(`note: ${note}`);
process.exit(exitCode);
