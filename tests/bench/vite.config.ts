import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * Builds the benchmark harness page (tests/bench/harness) against the app's real modules.
 * Served at /bench/ on the same origin as the built app, so both share IndexedDB.
 */
const repo = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
	root: fileURLToPath(new URL('./harness', import.meta.url)),
	base: '/bench/',
	resolve: { alias: { $lib: `${repo}src/lib` } },
	worker: { format: 'es' },
	logLevel: 'warn',
	build: {
		outDir: `${repo}bench/build/bench`,
		emptyOutDir: true,
		target: 'es2022',
		chunkSizeWarningLimit: 2000
	}
});
