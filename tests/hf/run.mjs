// Checks the transformers.js backend and the hub download in real Chromium, on the HF-layout
// fixture models: each model loads from an in-memory files map through the custom cache and
// gives its meaningful outputs; a hub download from the local mock hub reports byte progress
// and its files then load and run offline. Prints figures (load and per-item times) and exits
// non-zero when a check fails.
//
//   node tests/hf/run.mjs [--no-build] [--webgpu] [--prefer=auto|webgpu|wasm]
//
// --webgpu launches Chromium with SwiftShader's WebGPU adapter (correctness, not speed) and
// lets the backend's warm-up probe choose; --prefer forces a device.
//
// Builds tests/hf/harness into tests/.tmp/hf-harness (never committed) and serves it with
// COOP/COEP headers, so ORT runs threaded WASM as in the app.

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium.mjs';
import { startIsolatedServer } from '../isolatedServer.mjs';
import { startMockHub } from '../mockHub.mjs';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const outDir = process.env.HF_HARNESS_OUT ?? path.join(repo, 'tests/.tmp/hf-harness');
const hfDir = path.join(repo, 'tests/fixtures/models/hf');
const golden = JSON.parse(readFileSync(path.join(hfDir, 'golden.json'), 'utf8'));
const argv = new Set(process.argv.slice(2));

const failures = [];
function check(ok, what, detail) {
	console.log(
		`  ${ok ? 'ok  ' : 'FAIL'} ${what}${detail === undefined ? '' : `: ${JSON.stringify(detail)}`}`
	);
	if (!ok) failures.push(what);
}

if (!argv.has('--no-build')) {
	const started = Date.now();
	const result = spawnSync('npx', ['vite', 'build', '--config', 'tests/hf/vite.config.ts'], {
		cwd: repo,
		encoding: 'utf8',
		env: { ...process.env, HF_HARNESS_OUT: outDir }
	});
	if (result.status !== 0) {
		console.error(result.stdout, result.stderr);
		process.exit(1);
	}
	console.log(`built the harness in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const served = [];
const server = await startIsolatedServer({
	mounts: [['/fixtures', hfDir]],
	fallback: outDir,
	onRequest: (urlPath) => served.push(urlPath)
});
const origin = `http://127.0.0.1:${server.address().port}`;
const hub = await startMockHub({ port: 0 });

const filesOf = (name) => {
	const walk = (dir) =>
		readdirSync(path.join(hfDir, name, dir), { withFileTypes: true }).flatMap((e) =>
			e.isDirectory() ? walk(path.join(dir, e.name)) : [path.posix.join(dir, e.name)]
		);
	return walk('');
};

const args = [...CHROMIUM_ARGS];
if (argv.has('--webgpu')) args.splice(args.indexOf('--disable-gpu'), 1, '--enable-unsafe-webgpu');
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args });
const context = await browser.newContext();
const page = await context.newPage();
const requests = [];
context.on('request', (r) => requests.push(r.url()));
page.on('console', (m) => {
	if (m.type() === 'error' || m.type() === 'warning')
		console.log(`  [console.${m.type()}] ${m.text()}`);
});
page.on('pageerror', (e) => console.log(`  [pageerror] ${e.message}`));

const figures = {};
const prefer =
	process.argv.find((a) => a.startsWith('--prefer='))?.slice('--prefer='.length) ??
	(argv.has('--webgpu') ? 'auto' : 'wasm');
try {
	await page.goto(`${origin}/`);
	await page.waitForFunction(() => 'hf' in window);
	const isolated = await page.evaluate(() => window.hf.crossOriginIsolated);
	check(isolated, 'page is cross-origin isolated');

	const load = (key, name, options) =>
		page.evaluate(
			([k, n, p, o]) => window.hf.loadFixture(k, n, p, o),
			[key, name, filesOf(name), options]
		);
	const run = (key, inputs, candidates, repeat = 1) =>
		page.evaluate(
			([k, i, c, r]) => window.hf.api.run(k, i, c, r),
			[key, inputs, candidates, repeat]
		);

	// ---------------------------------------------------------------- text classification
	console.log('tiny-sentiment (text-classification)');
	const s = await load('sentiment', 'tiny-sentiment', { task: 'text-classification', prefer });
	console.log(`  execution: ${JSON.stringify(s.execution)}`);
	figures.sentiment_load_ms = s.execution.loadMs;
	check(
		JSON.stringify(s.labels) === '["negative","positive"]',
		'labels from config.json',
		s.labels
	);
	const cases = golden['tiny-sentiment'].cases;
	const sr = await run(
		'sentiment',
		cases.map((c) => ({ kind: 'text', text: c.text }))
	);
	cases.forEach((c, i) => {
		const p = sr.predictions[i];
		const top = p.classes[0];
		if (c.expected)
			check(top.label === c.expected && top.score > 0.98, `"${c.text}" → ${c.expected}`, p.classes);
		else check(Math.abs(top.score - 0.5) < 1e-4, `"${c.text}" → undecided`, p.classes);
		check(
			p.classes.length === 2 &&
				p.classes.every((x) => x.index === (x.label === 'positive' ? 1 : 0)),
			'both labels with their index'
		);
	});
	const batch = Array.from({ length: 64 }, (_, i) => ({
		kind: 'text',
		text: `${cases[i % 5].text} number ${i}`
	}));
	const sb = await run('sentiment', batch, undefined, 4);
	figures.sentiment_per_item_ms = Math.min(...sb.times) / batch.length;
	check(
		(await page.evaluate(() =>
			window.hf.api.cancelled('sentiment', [{ kind: 'text', text: 'x' }])
		)) === 'cancelled',
		'an aborted signal cancels before the first batch'
	);

	// ---------------------------------------------------------------- token classification
	console.log('tiny-ner (token-classification)');
	const n = await load('ner', 'tiny-ner', { task: 'token-classification', prefer });
	figures.ner_load_ms = n.execution.loadMs;
	const nerCases = golden['tiny-ner'].cases;
	const nr = await run(
		'ner',
		nerCases.map((c) => ({ kind: 'text', text: c.text }))
	);
	nerCases.forEach((c, i) => {
		const spans = nr.predictions[i].spans;
		const got = spans.map((sp) => [sp.label, sp.text]);
		check(JSON.stringify(got) === JSON.stringify(c.entities), `"${c.text}" entities`, spans);
		check(
			spans.every((sp) => c.text.slice(sp.start, sp.end) === sp.text && sp.score > 0.9),
			'exact offsets, confident'
		);
	});
	const nb = await run('ner', batch.slice(0, 32), undefined, 3);
	figures.ner_per_item_ms = Math.min(...nb.times) / 32;

	// ---------------------------------------------------------------- feature extraction
	console.log('tiny-ner as feature-extraction');
	await load('embed', 'tiny-ner', { task: 'feature-extraction', prefer });
	const er = await run('embed', [
		{ kind: 'text', text: 'Alice visited Paris' },
		{ kind: 'text', text: 'the day' }
	]);
	const norms = er.predictions.map((p) => Math.hypot(...p.vector));
	check(
		er.predictions.every((p) => p.kind === 'embedding' && p.vector.length === 5),
		'vectors of the hidden size',
		er.predictions
	);
	check(
		norms.every((x) => Math.abs(x - 1) < 1e-5),
		'unit length',
		norms
	);

	// ---------------------------------------------------------------- image classification
	console.log('tiny-colors (image-classification)');
	const c = await load('colors', 'tiny-colors', { task: 'image-classification', prefer });
	figures.colors_load_ms = c.execution.loadMs;
	const colorCases = golden['tiny-colors'].cases;
	const cr = await run(
		'colors',
		colorCases.map((x) => ({ kind: 'solid', rgb: x.pixel, width: 40, height: 30 }))
	);
	colorCases.forEach((x, i) => {
		const top = cr.predictions[i].classes[0];
		check(
			top.label === x.name && top.score > 0.95,
			`solid rgb(${x.pixel}) → ${x.name}`,
			cr.predictions[i].classes
		);
	});
	const images = Array.from({ length: 16 }, (_, i) => ({
		kind: 'solid',
		rgb: colorCases[i % 4].pixel,
		width: 224,
		height: 224
	}));
	const cb = await run('colors', images, undefined, 3);
	figures.colors_per_item_ms = Math.min(...cb.times) / images.length;

	// ---------------------------------------------------------------- a missing weights file
	const q8 = await page
		.evaluate(
			([p]) =>
				window.hf.loadFixture('q8', 'tiny-sentiment', p, {
					task: 'text-classification',
					dtype: 'q8',
					prefer: 'wasm'
				}),
			[filesOf('tiny-sentiment')]
		)
		.then(
			() => 'loaded',
			(e) => String(e.message ?? e)
		);
	check(
		/onnx\/model_quantized\.onnx/.test(q8),
		'dtype q8 without its file: the error names onnx/model_quantized.onnx',
		q8
	);

	// ---------------------------------------------------------------- hub download
	console.log(`hub download from the mock hub at ${hub.url}`);
	const hubId = 'modelship-fixtures/tiny-sentiment';
	const d = await page.evaluate(
		([u, id]) => window.hf.api.download('hub', u, id, 'text-classification'),
		[hub.url, hubId]
	);
	check(d.ok, 'downloaded', d.ok ? Object.keys(d.files) : d);
	if (d.ok) {
		figures.hub_download_ms = d.wallMs;
		const expected = ['config.json', 'onnx/model.onnx', 'tokenizer.json', 'tokenizer_config.json'];
		check(
			JSON.stringify(Object.keys(d.files).sort()) === JSON.stringify(expected),
			'exactly the pipeline files',
			d.files
		);
		const bytes = Object.values(d.files).reduce((a, b) => a + b, 0);
		const last = d.progress.at(-1);
		check(
			d.progress.length >= 4 && last[0] === bytes && last[1] === bytes,
			`byte progress up to ${bytes}`,
			d.progress.slice(-2)
		);
		console.log(`  progress: ${JSON.stringify(d.progress)}`);
		check(
			d.progress.every(
				([l, t], i) => l <= Math.max(t, l) && (i === 0 || l >= d.progress[i - 1][0])
			),
			'progress never goes back'
		);
		check(JSON.stringify(d.labels) === '["negative","positive"]', 'labels from id2label', d.labels);
		check(
			hub.requests.some((r) => r.status === 206),
			'transformers sized files with range requests'
		);
		// Again in the same worker: transformers memoises configs per model id, yet every file
		// must be fetched (and captured) anew.
		const firstRequests = hub.requests.length;
		const again = await page.evaluate(
			([u, id]) => window.hf.api.download('hub2', u, id, 'text-classification'),
			[hub.url, hubId]
		);
		check(
			again.ok && JSON.stringify(again.files) === JSON.stringify(d.files),
			'a second download captures the same files',
			again.ok ? again.files : again
		);
		console.log(
			`  second download fetched: ${hub.requests
				.slice(firstRequests)
				.map((r) => r.path.split('/resolve/main/')[1])
				.join(', ')}`
		);
	}
	console.log(
		`  mock hub saw: ${hub.requests.map((r) => `${r.status} ${r.path.split('/resolve/main/')[1]}${r.range ? ' (range)' : ''}`).join(', ')}`
	);

	// Offline: the hub is gone and the browser is offline; the downloaded files still run.
	await hub.close();
	await context.setOffline(true);
	const offline = await page.evaluate(() =>
		window.hf.api.load('hub', null, { task: 'text-classification', prefer: 'wasm' })
	);
	check(offline.task === 'text-classification', 'downloaded files load offline', offline.execution);
	const or = await run('hub', [
		{ kind: 'text', text: 'I love it, great!' },
		{ kind: 'text', text: 'awful and bad' }
	]);
	check(
		or.predictions[0].classes[0].label === 'positive' &&
			or.predictions[1].classes[0].label === 'negative',
		'and classify offline',
		or.predictions
	);
	const refused = await page.evaluate(
		([u, id]) => window.hf.api.download('again', u, id, 'text-classification'),
		[hub.url, hubId]
	);
	check(
		!refused.ok && refused.code === 'offline' && /could not be reached/.test(refused.message),
		'a download while offline is refused cleanly',
		refused
	);
	await context.setOffline(false);
	// Online, but the hub does not answer (it was closed above): refused the same way.
	const unreachable = await page.evaluate(
		([u, id]) => window.hf.api.download('again', u, id, 'text-classification'),
		[hub.url, hubId]
	);
	check(
		!unreachable.ok &&
			unreachable.code === 'offline' &&
			/could not be reached/.test(unreachable.message),
		'a hub that does not answer is refused cleanly',
		unreachable
	);

	// ---------------------------------------------------------------- what the worker fetched
	const resources = await page.evaluate(() => window.hf.api.resources());
	const wasm = [...new Set([...requests, ...resources].filter((u) => u.includes('.wasm')))];
	console.log(`  wasm fetched: ${wasm.join(', ')}`);
	check(
		wasm.length === 1 && wasm[0].startsWith(origin),
		'exactly one wasm file, from the app origin',
		wasm
	);
	const foreign = requests.filter(
		(u) =>
			!u.startsWith(origin) &&
			!u.startsWith(hub.url) &&
			!u.startsWith('blob:') &&
			!u.startsWith('data:')
	);
	check(foreign.length === 0, 'no request left localhost', foreign);
	check(
		!requests.some((u) => u.includes('huggingface.co') || u.includes('jsdelivr')),
		'never the real hub or a CDN'
	);
} catch (error) {
	console.error(error);
	failures.push(String(error));
} finally {
	await browser.close();
	server.close();
	await hub.close().catch(() => undefined);
}

console.log('figures:');
for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(28)} ${v.toFixed(2)} ms`);
if (failures.length > 0) {
	console.log(`${failures.length} check(s) failed`);
	process.exit(1);
}
console.log('all checks passed');
