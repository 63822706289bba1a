/** The origin-private folder that holds finished export zips (history downloads them again). */
export const EXPORTS_FOLDER = 'exports';

/** The zip of export job `jobId` in the origin-private file system, or null when it is gone. */
export async function exportFile(jobId: number): Promise<File | null> {
	try {
		const root = await navigator.storage.getDirectory();
		const folder = await root.getDirectoryHandle(EXPORTS_FOLDER);
		const handle = await folder.getFileHandle(`${jobId}.zip`);
		return await handle.getFile();
	} catch {
		return null;
	}
}

/** Deletes export job `jobId`'s zip; a missing one is fine. */
export async function removeExportFile(jobId: number): Promise<void> {
	try {
		const root = await navigator.storage.getDirectory();
		const folder = await root.getDirectoryHandle(EXPORTS_FOLDER);
		await folder.removeEntry(`${jobId}.zip`);
	} catch {
		// Already gone.
	}
}
