import type { Annotation, Item, LabelTask, Project } from '$lib/domain/schemas';
import { thumbKey } from '$lib/domain/schemas';
import { toAnnotationValue } from '$lib/domain/formats/readers/toAnnotation';
import type { ImportedLabel } from '$lib/domain/formats/readers/dataset';
import { db, WRITE_CHUNK } from '$lib/db/database';
import { projectHashes } from '$lib/db/items';

export type PendingItem = {
	item: Omit<Item, 'id' | 'projectId' | 'batchId' | 'createdAt'>;
	original: Blob | null;
	thumbnail: Blob | null;
	/**
	 * A label that came with the data (a folder name, a label column, another tool's
	 * annotation) for `taskId`, by class name; `origin` says where it came from.
	 */
	label: PendingLabel | null;
};

export type PendingLabel = {
	taskId: string;
	/** Relations: the task that receives the entity classes (null: `taskId` itself). */
	entityTaskId?: string | null;
	label: ImportedLabel;
	origin: string;
};

/** A folder name or a label column's value as a pending label. */
export const classLabel = (taskId: string, className: string, origin: string): PendingLabel => ({
	taskId,
	label: { type: 'classes', names: [className] },
	origin
});

export type FlushResult = { written: Item[]; labeled: number };

/**
 * Buffers finished items and writes them in chunks. Each chunk is one transaction holding
 * bytes, thumbnails, records, labels and any new classes, so an interrupted import leaves
 * only complete items behind.
 */
export class ItemWriter {
	private pending: PendingItem[] = [];
	private pendingBytes = 0;
	/** Hashes the project holds plus those queued by this import. */
	private seen = new Set<string>();

	constructor(
		private readonly projectId: number,
		private readonly batchId: number,
		// Images flush every few megabytes: memory stays flat, progress shows, and a full
		// disk loses at most one small chunk. Texts are small and flush by count.
		private readonly maxBufferedBytes = 4 * 1024 * 1024
	) {}

	/**
	 * Loads the project's hashes. Imports into one project run one at a time (a Web Lock in
	 * the worker), so this set stays the truth for the whole import.
	 */
	async loadExisting(): Promise<void> {
		this.seen = await projectHashes(this.projectId);
	}

	/** True when the project or this import already holds the hash (skip decoding it). */
	hasSeen(sha256: string): boolean {
		return this.seen.has(sha256);
	}

	/** Queues an item; returns false when it duplicates one the project already has. */
	add(pending: PendingItem): boolean {
		if (this.seen.has(pending.item.sha256)) return false;
		this.seen.add(pending.item.sha256);
		this.pending.push(pending);
		this.pendingBytes += (pending.original?.size ?? 0) + (pending.item.text?.length ?? 0);
		return true;
	}

	get shouldFlush(): boolean {
		return this.pending.length >= WRITE_CHUNK || this.pendingBytes >= this.maxBufferedBytes;
	}

	/** Writes what is queued; a failure (e.g. quota) leaves none of this chunk stored. */
	async flush(): Promise<FlushResult> {
		const batch = this.pending;
		this.pending = [];
		this.pendingBytes = 0;
		if (batch.length === 0) return { written: [], labeled: 0 };
		const database = db();
		return database.transaction(
			'rw',
			[database.items, database.blobs, database.annotations, database.projects],
			async () => {
				// Checked in the same transaction as the writes: items of a project deleted
				// mid-import would otherwise be stored where nothing can reach them.
				const project = await database.projects.get(this.projectId);
				if (!project) throw new Error('the project was deleted during the import');
				const now = Date.now();
				const items: Item[] = batch.map((p) => ({
					...p.item,
					projectId: this.projectId,
					batchId: this.batchId,
					createdAt: now
				}));
				const blobs = batch.flatMap((p) => [
					...(p.original ? [{ key: p.item.sha256, blob: p.original }] : []),
					...(p.thumbnail ? [{ key: thumbKey(p.item.sha256), blob: p.thumbnail }] : [])
				]);
				if (blobs.length > 0) await database.blobs.bulkPut(blobs);
				const ids = await database.items.bulkAdd(items, { allKeys: true });
				items.forEach((item, i) => (item.id = ids[i]));
				const labeled = await this.writeLabels(project, batch, ids, now);
				return { written: items, labeled };
			}
		);
	}

	/** Human labels that came with the data, plus any classes the task did not know yet. */
	private async writeLabels(
		project: Project,
		fresh: PendingItem[],
		ids: number[],
		now: number
	): Promise<number> {
		const withLabels = fresh.flatMap((p, i) =>
			p.label ? [{ label: p.label, itemId: ids[i] }] : []
		);
		if (withLabels.length === 0) return 0;
		const database = db();
		const tasks = new Map<string, LabelTask>(project.tasks.map((t) => [t.id, t]));
		const annotations: Annotation[] = [];
		for (const { label, itemId } of withLabels) {
			const task = tasks.get(label.taskId);
			if (!task || itemId === undefined) continue;
			const entityTask = label.entityTaskId ? (tasks.get(label.entityTaskId) ?? null) : null;
			const converted = toAnnotationValue(label.label, task, entityTask);
			tasks.set(task.id, converted.task);
			if (converted.entityTask) tasks.set(converted.entityTask.id, converted.entityTask);
			annotations.push({
				projectId: this.projectId,
				itemId,
				taskId: task.id,
				value: converted.value,
				source: 'human',
				status: 'approved',
				reviewer: null,
				origin: label.origin,
				updatedAt: now
			});
		}
		const updated: Project = {
			...project,
			tasks: project.tasks.map((t) => tasks.get(t.id) ?? t),
			updatedAt: now
		};
		await database.projects.put(updated);
		await database.annotations.bulkAdd(annotations);
		return annotations.length;
	}
}
