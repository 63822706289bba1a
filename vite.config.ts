import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import type { Plugin } from 'vite';
import { embeddedModels } from './src/lib/services/embeddedModels.vite.js';

/**
 * Cross-origin isolation (COOP/COEP) is what lets onnxruntime-web use threaded WASM.
 * `vite preview` ignores `preview.headers` for SvelteKit pages, so the headers are set in
 * a middleware for both the dev and the preview server.
 */
function crossOriginIsolation(): Plugin {
	const setHeaders = (
		_req: unknown,
		res: { setHeader(name: string, value: string): void },
		next: () => void
	) => {
		res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
		res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
		res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
		next();
	};
	return {
		name: 'modelship:cross-origin-isolation',
		configureServer(server) {
			server.middlewares.use(setHeaders);
		},
		configurePreviewServer(server) {
			server.middlewares.use(setHeaders);
		}
	};
}

export default defineConfig({
	// embeddedModels: nsfwjs's weights as real files, and the offline asset list the service
	// worker warms its cache from (src/lib/services/embeddedModels.vite.ts).
	plugins: [crossOriginIsolation(), sveltekit(), embeddedModels()],
	worker: { format: 'es' },
	build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
	server: { port: 5173, strictPort: true },
	preview: { port: 4173, strictPort: true },
	test: {
		include: ['src/**/*.spec.ts', 'models/**/*.spec.ts', 'tests/consumers/**/*.spec.ts'],
		environment: 'node'
	}
});
