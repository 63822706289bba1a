/**
 * Registers the service worker (src/service-worker.ts) by hand instead of SvelteKit's automatic
 * registration, so that a new version waits until the user agrees to reload: swapping code
 * under a running import or auto-label job would leave the page with chunks that no longer
 * exist in the cache.
 */

const SCRIPT_URL = '/service-worker.js';

/** Set once the user asked for the new version: the next controller change reloads. */
let applying = false;
let reloading = false;

/**
 * True when the page was opened with `?nosw`: tests that do not test offline behaviour open
 * the app that way, because precaching while the page downloads large files races.
 */
export function serviceWorkerBlocked(): boolean {
	return new URLSearchParams(location.search).has('nosw');
}

/**
 * Registers the service worker and calls `onUpdateReady(apply)` whenever a new version is
 * installed and waiting; `apply()` activates it and reloads the page once it has taken over.
 * Never throws: without a service worker the app still works, only not offline.
 *
 * Example:
 *   void registerServiceWorker(appUpdate.offer);
 */
export async function registerServiceWorker(
	onUpdateReady: (apply: () => void) => void
): Promise<void> {
	if (!('serviceWorker' in navigator) || import.meta.env.DEV || serviceWorkerBlocked()) return;
	const container = navigator.serviceWorker;

	// Typed as possibly undefined: a browser (or test harness) that blocks service workers
	// resolves register() with nothing.
	let registration: ServiceWorkerRegistration | undefined;
	try {
		registration = await container.register(SCRIPT_URL, { type: 'classic' });
	} catch (error) {
		console.warn('[ModelShip] service worker registration failed; no offline support', error);
		return;
	}
	if (!registration) return;
	const active: ServiceWorkerRegistration = registration;

	const offer = () => onUpdateReady(() => apply(active));

	if (active.waiting) offer();

	active.addEventListener('updatefound', () => {
		const worker = active.installing;
		if (!worker) return;
		worker.addEventListener('statechange', () => {
			// Without a controller this is the first install: it activates by itself and there
			// is nothing older to replace.
			if (worker.state === 'installed' && container.controller) offer();
		});
	});

	let hadController = container.controller !== null;
	container.addEventListener('controllerchange', () => {
		if (applying) {
			reload();
		} else if (hadController) {
			// Another tab applied the update: the new worker controls this page too and has
			// deleted the old shell this page's lazy chunks come from, so it should reload
			// when the user is ready.
			offer();
		}
		hadController = true;
	});

	document.addEventListener('visibilitychange', () => {
		if (document.visibilityState !== 'visible') return;
		// Rejects when offline; the next visible tab tries again.
		active.update().catch(() => undefined);
	});
}

function apply(registration: ServiceWorkerRegistration): void {
	const waiting = registration.waiting;
	if (!waiting) {
		// Already activated (from another tab): only the page is out of date.
		reload();
		return;
	}
	applying = true;
	waiting.postMessage({ type: 'SKIP_WAITING' });
}

function reload(): void {
	if (reloading) return;
	reloading = true;
	location.reload();
}
