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
 * After activation the worker also warms that runtime cache in the background from the
 * build's `_app/offline-assets.json` (written by services/embeddedModels.vite.ts: every file
 * under `_app/immutable/`, worker chunks and their wasm/model assets included), so the embedded
 * default models and their runtimes work offline after the first visit, before any model ran.
 * Warming fetches one file at a time at low priority, skips files over WARM_MAX_BYTES
 * (onnxruntime's 14–28 MB wasm stays cache-on-first-use), and shares in-flight downloads with
 * the fetch handler, so a page that asks for a file being warmed waits for that one download
 * instead of racing it into the cache.
 *
 * Registered by hand (src/lib/platform/serviceWorker.ts); a new version waits until the page
 * asks it to take over, so code is never swapped under a running job.
 */

import { base, build, files, prerendered, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;

const SHELL_CACHE = `shell-${version}`;
const RUNTIME_CACHE = 'runtime-v1';
const NAVIGATION_TIMEOUT_MS = 3000;
/** Written by the build (services/embeddedModels.vite.ts); fetched at install into the shell. */
const OFFLINE_ASSETS = `${base}/_app/offline-assets.json`;
/** Files up to this size are warmed after install; bigger ones are cached on first use. */
const WARM_MAX_BYTES = 8 * 1024 * 1024;
/** Lets the first page finish its own loads before warming starts. */
const WARM_DELAY_MS = 2000;

interface OfflineAssets {
	assets: { url: string; size: number }[];
}

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
			// The warm-up list belongs to this version; without it (a dev build) nothing is warmed.
			await cache
				.add(new Request(OFFLINE_ASSETS, { cache: 'no-cache' }))
				.catch(() => console.warn('[service-worker] no offline asset list; nothing to warm'));
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
			// runtime cache does not grow with every release. Model files stay. Worker chunks and
			// assets are not in `build`; without this version's list of them, keep everything.
			const listed = await offlineAssets();
			if (listed) {
				const runtime = await caches.open(RUNTIME_CACHE);
				const current = new Set([...build, ...listed.assets.map((a) => a.url)]);
				for (const request of await runtime.keys()) {
					const path = new URL(request.url).pathname;
					if (path.startsWith(IMMUTABLE) && !current.has(path)) await runtime.delete(request);
				}
			}
			await sw.clients.claim();
		})().then(() => {
			// Not part of activation (it would hold back the first page's controller); fetch
			// events keep the worker alive while it runs, and navigations restart it if needed.
			setTimeout(() => void warm(), WARM_DELAY_MS);
		})
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

	if (warming) event.waitUntil(warming);

	if (request.mode === 'navigate') {
		if (!warmed) event.waitUntil(delay(WARM_DELAY_MS).then(warm));
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

/** Downloads into the runtime cache in flight, by path: shared by the page and the warm-up. */
const inFlight = new Map<string, Promise<void>>();

/** Cache on first use: model and runtime files then work offline once they have loaded. */
async function runtimeFirst(request: Request, event: FetchEvent): Promise<Response> {
	const cache = await caches.open(RUNTIME_CACHE);
	const path = new URL(request.url).pathname;
	// Content-addressed files: the cached copy is right whatever headers the request varies on.
	const cached = await cache.match(request, { ignoreVary: true });
	if (cached) return cached;

	const pending = inFlight.get(path);
	if (pending) {
		// The warm-up is downloading this very file: wait for it rather than racing it (if it
		// fails, fetch below as usual).
		await pending.catch(() => undefined);
		const fromWarmUp = await cache.match(request, { ignoreVary: true });
		if (fromWarmUp) return fromWarmUp;
	}

	const response = await fetch(request);
	if (cacheable(response) && !inFlight.has(path)) {
		const stored = cache.put(request, response.clone()).catch((error: unknown) => {
			// Two tabs fetching the same file race here, and storage may be full; either way
			// the response itself is still good to return.
			console.warn('[service-worker] could not cache', request.url, error);
		});
		inFlight.set(path, stored);
		void stored.finally(() => inFlight.delete(path));
		event.waitUntil(stored);
	}
	return response;
}

/** This version's list of build files (see OFFLINE_ASSETS), or null before it is installed. */
async function offlineAssets(): Promise<OfflineAssets | null> {
	const response = await (await caches.open(SHELL_CACHE)).match(OFFLINE_ASSETS);
	if (!response) return null;
	try {
		const data = (await response.json()) as OfflineAssets;
		return Array.isArray(data.assets) ? data : null;
	} catch {
		return null;
	}
}

/** Set while a warm-up runs; fetch events extend their lifetime with it. */
let warming: Promise<void> | null = null;
/** This worker finished a warm-up: every listed file is cached. */
let warmed = false;

/**
 * Fetches every listed file up to WARM_MAX_BYTES that neither cache holds, one at a time and
 * at low priority. Idempotent and resumable: a warm-up cut short (offline, worker stopped,
 * storage full) starts over at the next navigation and skips what it already stored. A file
 * the server no longer has is skipped, not retried forever.
 */
function warm(): Promise<void> {
	if (warmed) return Promise.resolve();
	warming ??= (async () => {
		try {
			const listed = sw.navigator.onLine ? await offlineAssets() : null;
			if (!listed) return;
			const shell = await caches.open(SHELL_CACHE);
			const runtime = await caches.open(RUNTIME_CACHE);
			for (const { url, size } of listed.assets) {
				if (size > WARM_MAX_BYTES || url.endsWith('.map')) continue;
				if (shellSet.has(url) && (await shell.match(url))) continue;
				if (await runtime.match(url, { ignoreVary: true })) continue;
				const pending = inFlight.get(url);
				if (pending) {
					await pending.catch(() => undefined);
					continue;
				}
				// Throws (and stops the warm-up) when offline or out of storage.
				const download = fetch(url, { priority: 'low' }).then(async (response) => {
					if (cacheable(response)) await runtime.put(url, response);
					else console.warn(`[service-worker] not warming ${url}: HTTP ${response.status}`);
				});
				inFlight.set(url, download);
				try {
					await download;
				} finally {
					inFlight.delete(url);
				}
			}
			warmed = true;
		} catch (error) {
			console.warn('[service-worker] warming the offline cache stopped; retrying later:', error);
		} finally {
			warming = null;
		}
	})();
	return warming;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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
