import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * Builds the transformers.js harness page (tests/hf/harness) against the app's real modules
 * (backends/transformers.ts, hubDownload.ts, ortRuntime.ts). Output goes under tests/.tmp so it
 * is never committed; tests/hf/run.mjs serves it with COOP/COEP headers.
 */
const repo = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
	root: fileURLToPath(new URL('./harness', import.meta.url)),
	base: '/',
	resolve: { alias: { $lib: `${repo}src/lib` } },
	worker: { format: 'es' },
	logLevel: 'warn',
	build: {
		outDir: process.env.HF_HARNESS_OUT ?? `${repo}tests/.tmp/hf-harness`,
		emptyOutDir: true,
		target: 'es2022',
		chunkSizeWarningLimit: 4000
	}
});
