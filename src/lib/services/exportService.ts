import { liveQuery, type Observable } from 'dexie';
import { db } from '$lib/db/database';
import { createExportJob, getExportJob, listExportJobs, updateExportJob } from '$lib/db/jobs';
import { safeName } from '$lib/domain/formats/paths';
import type { Selection } from '$lib/domain/formats/select';
import { exportFormat } from '$lib/domain/formats/registry';
import type { ExportOptions } from '$lib/domain/formats/snapshot';
import type { ExportJob, ExportParams } from '$lib/domain/schemas';
import { exportFile, removeExportFile } from '$lib/workers/export/exportFiles';
import {
	importProjectInWorker,
	previewInWorker,
	runExportInWorker
} from '$lib/workers/export/client';
import type { ImportedProject } from './projectFileService';

/**
 * Exports and project files, as the export page and the projects page use them. The work
 * runs in the export worker; the page follows it through the job record (`watchExportJobs`).
 */

const controllers = new Map<number, AbortController>();
const jobLock = (jobId: number) => `export-job-${jobId}`;

/** `Birds-coco-2026-11-29.zip`, `Birds-project-2026-11-29.zip`. */
export function exportFileName(projectName: string, what: string, at = new Date()): string {
	const day = at.toISOString().slice(0, 10);
	return `${safeName(projectName, 'project')}-${what}-${day}.zip`;
}

/** How many items an export with these options holds, per split and per class. */
export function previewExport(
	projectId: number,
	options: ExportOptions
): Promise<Selection['counts']> {
	return previewInWorker(projectId, options);
}

/** Whether the browser can write straight to a file the user picks (File System Access). */
export function canPickSaveFile(): boolean {
	return typeof window !== 'undefined' && 'showSaveFilePicker' in window;
}

/** Asks where to save; null when the user closes the picker. */
export async function pickSaveFile(suggestedName: string): Promise<FileSystemFileHandle | null> {
	const picker = (
		window as unknown as {
			showSaveFilePicker(options: unknown): Promise<FileSystemFileHandle>;
		}
	).showSaveFilePicker;
	try {
		return await picker({
			suggestedName,
			types: [{ description: 'Zip archive', accept: { 'application/zip': ['.zip'] } }]
		});
	} catch (error) {
		if (error instanceof DOMException && error.name === 'AbortError') return null;
		throw error;
	}
}

/**
 * Starts an export and returns its job id at once; the zip is written by the worker while this
 * tab holds the job's lock (a reload marks an unfinished export as interrupted).
 */
export async function startExport(
	projectId: number,
	params: ExportParams,
	{ saveTo = null }: { saveTo?: FileSystemFileHandle | null } = {}
): Promise<number> {
	const project = await db().projects.get(projectId);
	if (!project) throw new Error('This project no longer exists.');
	let label: string;
	let fileName: string;
	if (params.kind === 'dataset') {
		const format = exportFormat(params.options.format);
		const task = project.tasks.find((t) => t.id === params.options.taskId);
		label = `${format.name} · ${task?.name ?? 'task'}`;
		fileName = exportFileName(project.name, format.id);
	} else {
		label = params.includeModels ? 'Project file with models' : 'Project file';
		fileName = exportFileName(project.name, 'project');
	}
	const jobId = await createExportJob(projectId, label, params, fileName);
	const controller = new AbortController();
	controllers.set(jobId, controller);
	void navigator.locks
		.request(jobLock(jobId), () => runExportInWorker(jobId, saveTo, controller.signal))
		.catch(async (error: unknown) => {
			// The worker died (out of memory, a chunk that failed to load): say so on the job.
			const job = await getExportJob(jobId);
			if (job?.status === 'running') {
				await updateExportJob(jobId, {
					status: 'failed',
					finishedAt: Date.now(),
					message: error instanceof Error ? error.message : String(error)
				});
			}
		})
		.finally(() => controllers.delete(jobId));
	return jobId;
}

export function cancelExport(jobId: number): void {
	controllers.get(jobId)?.abort();
}

/** Hands the finished zip to the browser's download (read from disk, not held in memory). */
export async function downloadExport(jobId: number): Promise<void> {
	const job = await getExportJob(jobId);
	const file = await exportFile(jobId);
	if (!job || !file) throw new Error('This export is no longer stored; run it again.');
	const url = URL.createObjectURL(file);
	const link = document.createElement('a');
	link.href = url;
	link.download = job.fileName;
	document.body.append(link);
	link.click();
	link.remove();
	// The download has its own reference to the file by now.
	setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Removes an export from history and its zip from storage. */
export async function deleteExport(jobId: number): Promise<void> {
	cancelExport(jobId);
	await removeExportFile(jobId);
	await db().jobs.delete(jobId);
}

/**
 * A job is recorded a moment before its tab takes the lock: one younger than this may still
 * be starting in another tab, so it is not taken for interrupted.
 */
const STARTING_MS = 30_000;

/** Exports still marked running that no tab is writing: the tab closed mid-way. */
export async function recoverInterruptedExports(): Promise<void> {
	const held = new Set(((await navigator.locks.query()).held ?? []).map((l) => l.name));
	const now = Date.now();
	const stale = (await db().jobs.where('status').equals('running').toArray()).filter(
		(j): j is ExportJob =>
			j.type === 'export' && now - j.createdAt > STARTING_MS && !held.has(jobLock(j.id as number))
	);
	for (const job of stale) {
		await removeExportFile(job.id as number);
		await updateExportJob(job.id as number, {
			status: 'failed',
			finishedAt: Date.now(),
			message: 'Interrupted: the tab closed before the export finished. Run it again.'
		});
	}
}

/** Checks a project file and imports it as a new project; nothing changes if it is refused. */
export function importProjectFile(file: File): Promise<ImportedProject> {
	return importProjectInWorker(file);
}

/** A project's exports, newest first; progress updates several times a second while one runs. */
export const watchExportJobs = (projectId: number): Observable<ExportJob[]> =>
	liveQuery(() => listExportJobs(projectId));
