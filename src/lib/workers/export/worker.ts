/// <reference lib="webworker" />
import { expose } from 'comlink';
import { db } from '$lib/db/database';
import { updateExportJob } from '$lib/db/jobs';
import { ExportJob, type ExportProgress } from '$lib/domain/schemas';
import { ExportOptions } from '$lib/domain/formats/snapshot';
import { zipSourceFiles } from '$lib/domain/formats/zipStream';
import { importProjectFileFrom, type ImportedProject } from '$lib/services/projectFileService';
import { datasetSnapshot, runExport } from './exportRunner';
import { EXPORTS_FOLDER } from './exportFiles';

/**
 * The export worker: zips exports into the origin-private file system (and a file the user
 * picked, where the browser can), and imports project files. Everything heavy stays here,
 * off the page's thread; the page follows progress through the job record.
 */

const running = new Map<number, AbortController>();
/** How often progress reaches the job record (the page watches it). */
const PROGRESS_MS = 250;

async function exportsFolder(): Promise<FileSystemDirectoryHandle> {
	const root = await navigator.storage.getDirectory();
	return root.getDirectoryHandle(EXPORTS_FOLDER, { create: true });
}

const api = {
	/** Items an export with these options would hold, per split and class (the page's preview). */
	async preview(projectId: number, rawOptions: unknown) {
		const { counts } = await datasetSnapshot(
			projectId,
			ExportOptions.parse(rawOptions),
			Date.now()
		);
		return counts;
	},

	/**
	 * Runs export job `jobId` into `exports/<jobId>.zip`; with `saveTo`, the same bytes also go
	 * to that file. Settles when the job record says how it ended.
	 */
	async run(jobId: number, saveTo: FileSystemFileHandle | null): Promise<void> {
		const stored = await db().jobs.get(jobId);
		const job = ExportJob.parse(stored);
		const controller = new AbortController();
		running.set(jobId, controller);
		const folder = await exportsFolder();
		const handle = await folder.getFileHandle(`${jobId}.zip`, { create: true });
		const file = await handle.createSyncAccessHandle();
		const userFile = saveTo ? await saveTo.createWritable() : null;
		let lastWrite = 0;
		let finalProgress: ExportProgress = job.progress;
		let at = 0;
		try {
			file.truncate(0);
			const result = await runExport(
				job,
				async (chunk) => {
					// A sync access handle may take fewer bytes than asked (a full disk): write the
					// rest, and fail the export rather than keep a zip that is cut short.
					for (let done = 0; done < chunk.length;) {
						const wrote = file.write(chunk.subarray(done), { at: at + done });
						if (wrote <= 0) {
							throw new Error('The export could not be written: storage is full or unavailable.');
						}
						done += wrote;
					}
					at += chunk.length;
					if (userFile) await userFile.write(chunk as Uint8Array<ArrayBuffer>);
				},
				{
					signal: controller.signal,
					onProgress: (progress: ExportProgress) => {
						finalProgress = progress;
						const now = Date.now();
						if (now - lastWrite < PROGRESS_MS) return;
						lastWrite = now;
						void updateExportJob(jobId, { progress: { ...progress } });
					}
				}
			);
			file.flush();
			file.close();
			if (userFile) await userFile.close();
			await updateExportJob(jobId, {
				status: 'completed',
				finishedAt: Date.now(),
				progress: { ...finalProgress },
				result: { ...result, savedToFile: userFile !== null }
			});
		} catch (error) {
			file.close();
			await userFile?.abort().catch(() => undefined);
			await folder.removeEntry(`${jobId}.zip`).catch(() => undefined);
			const cancelled = controller.signal.aborted;
			await updateExportJob(jobId, {
				status: cancelled ? 'cancelled' : 'failed',
				finishedAt: Date.now(),
				message: cancelled
					? 'Cancelled; nothing was kept.'
					: error instanceof Error
						? error.message
						: String(error)
			});
		} finally {
			running.delete(jobId);
		}
	},

	cancel(jobId: number): void {
		running.get(jobId)?.abort();
	},

	/** Checks a project file completely, then imports it as a new project (all or nothing). */
	async importProject(file: Blob): Promise<ImportedProject> {
		const files = await zipSourceFiles(file);
		try {
			return await importProjectFileFrom(files);
		} finally {
			await files.close();
		}
	}
};

export type ExportApi = typeof api;

expose(api);
