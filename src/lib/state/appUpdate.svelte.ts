/**
 * Whether a new version of the app is installed and waiting. The service worker registration
 * (platform/serviceWorker.ts) offers it; UpdatePrompt lets the user apply it when convenient.
 *
 * Methods are arrow fields so they can be passed around unbound:
 *   void registerServiceWorker(appUpdate.offer);
 */
export class AppUpdate {
	ready = $state(false);
	#apply: (() => void) | undefined;

	offer = (apply: () => void): void => {
		this.#apply = apply;
		this.ready = true;
	};

	reload = (): void => {
		const apply = this.#apply;
		this.ready = false;
		// Nothing offered yet: a plain reload is still what the user asked for.
		if (apply) apply();
		else location.reload();
	};

	dismiss = (): void => {
		// The waiting worker stays; it takes over when every tab of the app has closed.
		this.ready = false;
	};
}

export const appUpdate = new AppUpdate();
