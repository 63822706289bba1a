import Dexie, { type Table } from 'dexie';
import type {
	Annotation,
	AppSettings,
	Item,
	Job,
	JobItems,
	ModelRecord,
	ModelVersionRecord,
	PredictionRecord,
	Project,
	Promotion,
	ReviewEvent,
	StoredBlob
} from '$lib/domain/schemas';

export type SettingsRecord = { key: 'app'; value: AppSettings };

/**
 * The one IndexedDB database. Migrations are append-only: a released `version(n)` is never
 * edited, a change is a new `version(n + 1)` (CONVENTIONS.md #9). Only small scalars (and item
 * names) are indexed; blobs and texts never are.
 */
export class ModelShipDB extends Dexie {
	projects!: Table<Project, number>;
	items!: Table<Item, number>;
	blobs!: Table<StoredBlob, string>;
	annotations!: Table<Annotation, number>;
	jobs!: Table<Job, number>;
	settings!: Table<SettingsRecord, string>;
	models!: Table<ModelRecord, string>;
	modelVersions!: Table<ModelVersionRecord, string>;
	promotions!: Table<Promotion, number>;
	predictions!: Table<PredictionRecord, number>;
	jobItems!: Table<JobItems, number>;
	reviewEvents!: Table<ReviewEvent, number>;

	constructor(name = 'modelship') {
		super(name);
		this.version(1).stores({
			projects: '++id, name',
			// [projectId+id] pages a project's items in insertion order; sha256 alone finds
			// whether a shared blob is still referenced by any project. [projectId+name] lets the
			// name sort read names from the index instead of loading records (and their texts).
			items:
				'++id, [projectId+id], [projectId+sha256], [projectId+kind+id], [projectId+batchId], [projectId+name], sha256',
			blobs: 'key',
			annotations: '++id, projectId, [itemId+taskId], [projectId+taskId]',
			jobs: '++id, projectId, status',
			settings: 'key'
		});
		// The model registry (issue 3). Version bytes live in `blobs` under `model:<sha256>`.
		this.version(2).stores({
			models: 'id, name',
			modelVersions: 'id, modelId, stage, sha256',
			promotions: '++id, [projectId+taskId], versionId'
		});
		// Auto-labeling (issue 4). The unique triple makes "one prediction per item × task ×
		// model version" a storage guarantee; jobs of type 'autolabel' share the `jobs` table.
		this.version(3).stores({
			predictions: '++id, &[itemId+taskId+modelVersionId], [projectId+taskId], jobId'
		});
		// An auto-label job's item ids move off its record, which is rewritten every batch.
		this.version(4)
			.stores({ jobItems: 'jobId' })
			.upgrade(async (tx) => {
				await tx
					.table('jobs')
					.toCollection()
					.modify((job: Record<string, unknown>) => {
						const params = job.params as { itemIds?: number[]; itemCount?: number } | undefined;
						if (job.type !== 'autolabel' || !params?.itemIds) return;
						void tx.table('jobItems').put({
							jobId: job.id,
							itemIds: Uint32Array.from(params.itemIds)
						});
						params.itemCount = params.itemIds.length;
						delete params.itemIds;
					});
			});
		// The review log (issue 5): append-only, `seq` orders everything that happened.
		this.version(5).stores({
			reviewEvents: '++seq, [projectId+seq], [itemId+taskId], [projectId+reviewer+seq]'
		});
		// The review queue opens on a task's least sure predictions first: read in score order.
		this.version(6).stores({
			predictions:
				'++id, &[itemId+taskId+modelVersionId], [projectId+taskId], jobId, [projectId+taskId+score]'
		});
	}
}

let instance: ModelShipDB | null = null;

/** The database shared by the page and each worker (each context opens its own connection). */
export function db(): ModelShipDB {
	instance ??= new ModelShipDB();
	return instance;
}

/** Tests swap in a fresh database (fake-indexeddb in Node, a unique name in the browser). */
export function useDatabase(database: ModelShipDB): void {
	instance = database;
}

/** Writes go in chunks of about this many records: big enough to amortise a transaction. */
export const WRITE_CHUNK = 1000;
