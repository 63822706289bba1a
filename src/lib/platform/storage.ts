export type StorageEstimate = { usage: number; quota: number; persisted: boolean };

export async function estimateStorage(): Promise<StorageEstimate | null> {
	if (!navigator.storage?.estimate) return null;
	const [estimate, persisted] = await Promise.all([
		navigator.storage.estimate(),
		navigator.storage.persisted?.() ?? Promise.resolve(false)
	]);
	return { usage: estimate.usage ?? 0, quota: estimate.quota ?? 0, persisted };
}

/**
 * Asks the browser not to evict our data under storage pressure. Must run on the main
 * thread, ideally right after a user gesture (the first import).
 */
export async function requestPersistence(): Promise<boolean> {
	try {
		return (await navigator.storage?.persist?.()) ?? false;
	} catch {
		return false;
	}
}
