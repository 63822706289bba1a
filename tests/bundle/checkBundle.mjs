// Keeps the first page load small and free of ML code (CONVENTIONS.md #15): the scripts the
// entry page loads eagerly must stay under the budget, and heavy runtimes must only ever
// appear in lazily loaded worker chunks.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUILD = 'build';
const BUDGET_GZIP_BYTES = 120 * 1024;
// Signatures of the runtimes' code (not of names: the registry's schema may say 'tfjs').
const FORBIDDEN = [
	/InferenceSession/,
	/ort-wasm-simd/,
	/AutoTokenizer|PreTrainedModel/,
	/@tensorflow\/tfjs|tfjs-core|registerKernel/,
	/fastText\.common|FastTextModel/,
	/wink-eng-lite/
];

const html = readFileSync(join(BUILD, 'index.html'), 'utf8');
const eager = new Set();
const queue = [...html.matchAll(/(?:href|src|import\()\s*=?\s*["']([^"']+\.js)["']/g)].map(
	(m) => m[1]
);
while (queue.length > 0) {
	const ref = queue.pop().replace(/^\.?\//, '');
	const path = join(BUILD, ref.startsWith('_app') ? ref : ref);
	if (eager.has(path)) continue;
	let source;
	try {
		source = readFileSync(path, 'utf8');
	} catch {
		continue;
	}
	eager.add(path);
	// Static imports are loaded eagerly; dynamic import() chunks are not followed.
	for (const m of source.matchAll(
		/(?:^|[;\s}])import\s*(?:[^'"()]*?from\s*)?["']([^"']+\.js)["']/g
	)) {
		const spec = m[1];
		const dir = path.slice(0, path.lastIndexOf('/'));
		queue.push(join(dir, spec).replace(/^build\//, ''));
	}
}

let total = 0;
const problems = [];
for (const path of eager) {
	const source = readFileSync(path);
	total += gzipSync(source).length;
	for (const pattern of FORBIDDEN) {
		if (pattern.test(source.toString('utf8'))) problems.push(`${path} contains ${pattern}`);
	}
}

const workerFiles = [];
const walk = (dir) => {
	for (const name of readdirSync(dir)) {
		const p = join(dir, name);
		if (statSync(p).isDirectory()) walk(p);
		else if (/worker.*\.js$/.test(name)) workerFiles.push(p);
	}
};
walk(join(BUILD, '_app'));

console.log(
	`first load: ${eager.size} scripts, ${(total / 1024).toFixed(1)} KiB gzipped (budget ${BUDGET_GZIP_BYTES / 1024} KiB)`
);
console.log(`worker chunks: ${workerFiles.length}`);
if (eager.size === 0) problems.push('found no entry scripts in build/index.html');
if (total > BUDGET_GZIP_BYTES) problems.push(`first load is over budget`);
if (problems.length > 0) {
	for (const p of problems) console.error(p);
	process.exit(1);
}
