import { createSHA256 } from 'hash-wasm';
import { exportFormat } from '$lib/domain/formats/registry';
import { selectRecords } from '$lib/domain/formats/select';
import type { DatasetSnapshot, ExportEntry, ExportOptions } from '$lib/domain/formats/snapshot';
import { writeZip } from '$lib/domain/formats/zipStream';
import type { ZipSink } from '$lib/domain/formats/zipWriter';
import { writeProjectFile } from '$lib/domain/formats/projectFile/writeProjectFile';
import { PROJECT_PATHS } from '$lib/domain/formats/projectFile/manifest';
import type { ExportJob, ExportProgress, ExportResult } from '$lib/domain/schemas';
import { labelledItems, readItemBytes } from '$lib/db/exportSource';
import { db } from '$lib/db/database';
import { projectFileInput } from '$lib/services/projectFileService';

/**
 * Runs one export job: builds the entries (a dataset format's writer over the filtered,
 * split snapshot, or the project file), zips them into `sink` and hashes the zip on the way.
 * Where the bytes go (the origin-private file system, a file the user picked, memory in
 * tests) is the caller's business.
 */

export type ExportHooks = {
	/** Called often; the caller throttles what it stores. */
	onProgress(progress: ExportProgress): void;
	signal?: AbortSignal;
	/** Fixed time for generated files; the job's creation time by default. */
	now?: number;
};

export class ExportEmptyError extends Error {}

/** The dataset snapshot a job describes, with its counts (also used for the page's preview). */
export async function datasetSnapshot(
	projectId: number,
	options: ExportOptions,
	createdAt: number,
	onRead?: () => void
): Promise<{ snapshot: DatasetSnapshot; counts: ReturnType<typeof selectRecords>['counts'] }> {
	const project = await db().projects.get(projectId);
	if (!project) throw new Error('This project no longer exists.');
	const task = project.tasks.find((t) => t.id === options.taskId);
	if (!task) throw new Error('The label task of this export no longer exists.');
	const selection = selectRecords(await labelledItems(projectId, task), task, {
		filters: options.filters,
		split: options.split,
		seed: options.seed,
		keepItemSplits: options.keepItemSplits
	});
	return {
		counts: selection.counts,
		snapshot: {
			projectName: project.name,
			task,
			tasks: project.tasks,
			records: selection.records,
			options,
			createdAt,
			readBytes: async (item) => {
				const bytes = await readItemBytes(item);
				onRead?.();
				return bytes;
			}
		}
	};
}

export async function runExport(
	job: ExportJob,
	sink: ZipSink,
	hooks: ExportHooks
): Promise<ExportResult> {
	const startedAt = Date.now();
	const createdAt = hooks.now ?? job.createdAt;
	const progress: ExportProgress = {
		items: 0,
		files: 0,
		bytes: 0,
		zipBytes: 0,
		doneItems: 0,
		startedAt
	};
	let entries: AsyncIterable<ExportEntry>;
	let perSplit: Record<string, number> = {};
	let perClass: Record<string, number> = {};
	// Image formats read one item's bytes per item: that is the progress. Text formats write a
	// file per split, so their progress is the share of records in the files written so far.
	let reads = 0;
	if (job.params.kind === 'dataset') {
		const { snapshot, counts } = await datasetSnapshot(
			job.projectId,
			job.params.options,
			createdAt,
			() => void reads++
		);
		if (counts.kept === 0) {
			throw new ExportEmptyError(
				`Nothing to export: none of the ${counts.considered.toLocaleString('en')} labelled items passes the filters.`
			);
		}
		progress.items = counts.kept;
		perSplit = counts.perSplit;
		perClass = counts.perClass;
		entries = exportFormat(job.params.options.format).write(snapshot);
	} else {
		const input = await projectFileInput(job.projectId, {
			includeModels: job.params.includeModels
		});
		progress.items = await db()
			.items.where('[projectId+id]')
			.between([job.projectId, 0], [job.projectId, Infinity])
			.count();
		entries = countBlobs(writeProjectFile({ ...input, createdAt }), () => void reads++);
	}
	const hasher = await createSHA256();
	hasher.init();
	const counts = await writeZip(
		entries,
		async (chunk) => {
			hasher.update(chunk);
			await sink(chunk);
		},
		{
			signal: hooks.signal,
			onEntry: (p) => {
				progress.files = p.files;
				progress.bytes = p.bytes;
				progress.zipBytes = p.zipBytes;
				progress.doneItems = Math.min(progress.items, reads);
				hooks.onProgress(progress);
			}
		}
	);
	progress.doneItems = progress.items;
	hooks.onProgress(progress);
	return {
		files: counts.files,
		bytes: counts.bytes,
		size: counts.zipBytes,
		sha256: hasher.digest('hex'),
		durationMs: Date.now() - startedAt,
		perSplit,
		perClass,
		savedToFile: false
	};
}

/** Passes a project file's entries through, calling `onBlob` for each image's bytes. */
async function* countBlobs(
	entries: AsyncIterable<ExportEntry>,
	onBlob: () => void
): AsyncIterable<ExportEntry> {
	for await (const entry of entries) {
		if (entry.path.startsWith(PROJECT_PATHS.blob(''))) onBlob();
		yield entry;
	}
}
