/**
 * transformers.js harness page: starts the harness worker and exposes it as `window.hf`, so
 * tests/hf/run.mjs can drive it with `page.evaluate`. Fixture files are read from
 * `/fixtures/<name>/<path>` (tests/fixtures/models/hf) and transferred to the worker.
 */
import { transfer, wrap } from 'comlink';
import type { HarnessApi } from './worker';

const worker = new Worker(new URL('./worker.ts', import.meta.url), {
	type: 'module',
	name: 'hf-harness'
});
const api = wrap<HarnessApi>(worker);

async function fetchFiles(name: string, paths: string[]): Promise<Record<string, ArrayBuffer>> {
	const entries = await Promise.all(
		paths.map(async (p) => {
			const response = await fetch(`/fixtures/${name}/${p}`);
			if (!response.ok) throw new Error(`${name}/${p}: ${response.status}`);
			return [p, await response.arrayBuffer()] as const;
		})
	);
	return Object.fromEntries(entries);
}

const hf = {
	api,
	crossOriginIsolated: self.crossOriginIsolated,
	async loadFixture(
		key: string,
		name: string,
		paths: string[],
		options: Parameters<HarnessApi['load']>[2]
	) {
		const files = await fetchFiles(name, paths);
		return api.load(key, transfer(files, Object.values(files)), options);
	}
};

declare global {
	interface Window {
		hf: typeof hf;
	}
}
window.hf = hf;
