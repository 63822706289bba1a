import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { embeddedModels } from '../../src/lib/services/embeddedModels.vite.js';

/**
 * Builds the evaluation harness (tests/eval/harness) against the app's real modules into
 * bench/build/eval, served at /eval/ next to ../shared by tests/eval/run.mjs. The embedded
 * models' plugin is there for embedded.ts (the embedded defaults' evaluation).
 */
const repo = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
	root: fileURLToPath(new URL('./harness', import.meta.url)),
	base: '/eval/',
	plugins: [embeddedModels()],
	resolve: { alias: { $lib: `${repo}src/lib` } },
	worker: { format: 'es' },
	logLevel: 'warn',
	build: {
		outDir: `${repo}bench/build/eval`,
		emptyOutDir: true,
		target: 'es2022',
		chunkSizeWarningLimit: 2000
	}
});
