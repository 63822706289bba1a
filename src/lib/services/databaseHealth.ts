import { db } from '$lib/db/database';

/**
 * Opens the database once at start-up and says, in words, why it cannot be used: private
 * modes that block IndexedDB, another tab holding a newer version, a corrupt profile. Every
 * screen depends on it, so the app shows this instead of spinning forever.
 */
export async function databaseProblem(): Promise<string | null> {
	try {
		await db().open();
		return null;
	} catch (error) {
		const e = error as { name?: string; message?: string };
		if (e.name === 'VersionError' || e.name === 'DatabaseClosedError') {
			return 'Another tab runs a newer version of ModelShip. Close this tab and reload the other one.';
		}
		return `This browser refused to open ModelShip's storage (${e.name ?? 'error'}: ${e.message ?? ''}). Private browsing modes often block it; try a normal window.`;
	}
}
