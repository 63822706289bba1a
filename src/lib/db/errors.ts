/** True for the browser's "disk full / over quota" failures, however Dexie wrapped them. */
export function isQuotaExceeded(error: unknown): boolean {
	let current: unknown = error;
	for (let depth = 0; current && depth < 5; depth++) {
		const e = current as { name?: string; inner?: unknown; failures?: unknown[] };
		if (e.name === 'QuotaExceededError') return true;
		if (Array.isArray(e.failures) && e.failures.some((f) => isQuotaExceeded(f))) return true;
		current = e.inner;
	}
	return false;
}

export const QUOTA_MESSAGE =
	'Storage is full: the browser refused to store more. The items stored so far are kept; free space by deleting items or projects you no longer need (Settings shows how much is used), then import the rest.';
