import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// Pages are prerendered as empty shells (ssr = false in +layout.ts); the app runs
		// entirely in the browser and any static host can serve `build/`.
		adapter: adapter({ pages: 'build', assets: 'build', fallback: undefined, strict: true }),
		// Registered by hand in platform/serviceWorker.ts so the app can offer "reload for
		// the new version" instead of swapping code under a running import.
		serviceWorker: { register: false },
		version: { pollInterval: 0 },
		// Absolute asset paths: the offline shell served for a deep link still finds its code.
		paths: { relative: false }
	}
};

export default config;
