/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />

/**
 * ModelShip's service worker: the app shell is precached per version so the app opens offline;
 * runtime and model files (wasm, onnx, worker chunks SvelteKit's `build` list can miss) are
 * cached on first use in a cache that outlives versions, because they are large and precaching
 * them races the page's own downloads. Every response also gets COOP/COEP/CORP headers so
 * threaded WASM works on static hosts that cannot set headers.
 *
 * Registered by hand (src/lib/platform/serviceWorker.ts); a new version waits until the page
 * asks it to take over, so code is never swapped under a running job.
 */

import { base, build, files, prerendered, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;

const SHELL_CACHE = `shell-${version}`;
const RUNTIME_CACHE = 'runtime-v1';
const NAVIGATION_TIMEOUT_MS = 3000;

/** Big runtime/model files: fetched into RUNTIME_CACHE when first needed, never precached. */
const LARGE_FILE = /\.(?:wasm|onnx|ftz|bin|data|tflite|pb)$/i;
const IMMUTABLE = `${base}/_app/immutable/`;

/**
 * Only content-hashed files (their name changes with their bytes) and large model/runtime
 * files are kept cache-first for good; anything else could go stale.
 */
function cachedOnFirstUse(url: URL): boolean {
	return url.pathname.startsWith(IMMUTABLE) || LARGE_FILE.test(url.pathname);
}

const shellAssets = [...build, ...files, ...prerendered].filter((path) => !LARGE_FILE.test(path));
const shellSet = new Set(shellAssets);
const pageSet = new Set(prerendered);
const rootPage = `${base}/`;

sw.addEventListener('install', (event) => {
	// No skipWaiting here: the page offers the update and sends SKIP_WAITING when the user agrees.
	event.waitUntil(
		(async () => {
			const cache = await caches.open(SHELL_CACHE);
			// 'no-cache' revalidates unhashed files (pages, static/) so a stale HTTP cache entry
			// cannot end up in the new version's shell.
			await cache.addAll(shellAssets.map((path) => new Request(path, { cache: 'no-cache' })));
		})()
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			for (const key of await caches.keys()) {
				if (key.startsWith('shell-') && key !== SHELL_CACHE) await caches.delete(key);
			}
			// Hashed chunks of older versions are never asked for again: drop them so the
			// runtime cache does not grow with every release. Model files stay.
			const runtime = await caches.open(RUNTIME_CACHE);
			const current = new Set(build);
			for (const request of await runtime.keys()) {
				const path = new URL(request.url).pathname;
				if (path.startsWith(IMMUTABLE) && !current.has(path)) await runtime.delete(request);
			}
			await sw.clients.claim();
		})()
	);
});

sw.addEventListener('message', (event) => {
	const data: unknown = event.data;
	if (typeof data === 'object' && data !== null && 'type' in data && data.type === 'SKIP_WAITING') {
		void sw.skipWaiting();
	}
});

sw.addEventListener('fetch', (event) => {
	const { request } = event;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	// Other origins are none of this worker's business (the app makes no such requests).
	if (url.origin !== sw.location.origin) return;
	// Partial responses cannot be cached or re-wrapped; let the browser handle them.
	if (request.headers.has('range')) return;

	if (request.mode === 'navigate') {
		event.respondWith(navigate(request, url).then(isolate));
	} else if (wantsFreshCopy(request, url)) {
		event.respondWith(networkFirst(request).then(isolate));
	} else if (shellSet.has(url.pathname) && url.search === '') {
		event.respondWith(shellFirst(request, event).then(isolate));
	} else if (cachedOnFirstUse(url)) {
		event.respondWith(runtimeFirst(request, event).then(isolate));
	} else {
		// Anything else (unhashed, possibly changing) is never served stale from a cache.
		event.respondWith(networkFirst(request).then(isolate));
	}
});

/** Network first (so an online user gets the newest page), the cached shell when offline/slow. */
async function navigate(request: Request, url: URL): Promise<Response> {
	const path = pagePath(url.pathname);
	if (path !== url.pathname && pageSet.has(path)) {
		// One URL per page (trailing slash 'never'), so caches and links agree.
		return Response.redirect(new URL(path + url.search, url).href, 301);
	}
	const network = fetch(request);
	const fast = await withTimeout(network, NAVIGATION_TIMEOUT_MS).catch(() => undefined);
	if (fast) return fast;

	const cache = await caches.open(SHELL_CACHE);
	// Screens take their arguments from the query (`/project?id=3`), so the prerendered page
	// for the pathname alone is the right shell.
	const cached =
		(pageSet.has(path) ? await cache.match(path) : undefined) ?? (await cache.match(rootPage));
	if (cached) return cached;
	// Nothing cached (first visit still installing): keep waiting on a slow network.
	return network;
}

/** Trailing slash is 'never', so `/project/` and `/project` are the same page. */
function pagePath(pathname: string): string {
	return pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
}

/** Resolves with the network response, or undefined when it is slower than `ms`. */
function withTimeout(response: Promise<Response>, ms: number): Promise<Response | undefined> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const timeout = new Promise<undefined>((resolve) => {
		timer = setTimeout(() => resolve(undefined), ms);
	});
	return Promise.race([response, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The page asked to bypass caches (SvelteKit's version check sends `cache-control: no-cache`),
 * so a cache-first answer would hide exactly what it is looking for.
 */
function wantsFreshCopy(request: Request, url: URL): boolean {
	if (request.cache === 'no-store' || request.cache === 'no-cache' || request.cache === 'reload') {
		return true;
	}
	const cacheControl = request.headers.get('cache-control') ?? '';
	return /no-cache|no-store/.test(cacheControl) || url.pathname.endsWith('/_app/version.json');
}

async function networkFirst(request: Request): Promise<Response> {
	try {
		return await fetch(request);
	} catch (error) {
		const cached = await caches.match(request);
		if (cached) return cached;
		throw error;
	}
}

async function shellFirst(request: Request, event: FetchEvent): Promise<Response> {
	const cached = await (await caches.open(SHELL_CACHE)).match(request);
	// A miss means the shell is not installed yet (first visit); the runtime path still works.
	return cached ?? runtimeFirst(request, event);
}

/** Cache on first use: model and runtime files then work offline once they have loaded. */
async function runtimeFirst(request: Request, event: FetchEvent): Promise<Response> {
	const cache = await caches.open(RUNTIME_CACHE);
	const cached = await cache.match(request);
	if (cached) return cached;

	const response = await fetch(request);
	if (cacheable(response)) {
		const copy = response.clone();
		event.waitUntil(
			cache.put(request, copy).catch((error: unknown) => {
				// Two tabs or a page and a worker fetching the same file race here, and storage
				// may be full; either way the response itself is still good to return.
				console.warn('[service-worker] could not cache', request.url, error);
			})
		);
	}
	return response;
}

function cacheable(response: Response): boolean {
	if (response.status !== 200 || response.type !== 'basic') return false;
	return !/no-store/.test(response.headers.get('cache-control') ?? '');
}

/**
 * Adds the cross-origin isolation headers that static hosts cannot set. Opaque (status 0) and
 * partial (206) responses cannot be rebuilt faithfully, so they pass through untouched.
 * Rebuilding also drops the `redirected` flag, which browsers refuse on navigation responses.
 */
function isolate(response: Response): Response {
	if (response.status === 0 || response.type === 'opaque' || response.status === 206) {
		return response;
	}
	const headers = new Headers(response.headers);
	headers.set('Cross-Origin-Opener-Policy', 'same-origin');
	headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
	headers.set('Cross-Origin-Resource-Policy', 'same-origin');
	return new Response(response.body, {
		status: response.status,
		statusText: response.statusText,
		headers
	});
}
