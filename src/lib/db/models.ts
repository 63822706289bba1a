import {
	ModelRecord,
	ModelVersionRecord,
	modelBlobKey,
	type ModelFile,
	type Promotion,
	type Stage
} from '$lib/domain/schemas';
import { sha256Hex } from '$lib/domain/import/hash';
import { versionDigest } from '$lib/domain/models/integrity';
import {
	deletionBlocker,
	editBlocker,
	rollbackTarget,
	stageAfterRelease
} from '$lib/domain/models/registryRules';
import { compareVersions, suggestNextVersion } from '$lib/domain/models/versionString';
import { db } from './database';

/**
 * The model registry's storage: models, versions (bytes content-addressed in `blobs`),
 * promotions per label task. Used by the page (registry screens) and by the inference worker
 * (reading a version's files). Rules live in `domain/models/registryRules.ts`.
 */

export class RegistryError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'RegistryError';
	}
}

export async function listModels(): Promise<ModelRecord[]> {
	return db().models.orderBy('name').toArray();
}

export interface ModelWithVersions {
	model: ModelRecord;
	/** Newest first. */
	versions: ModelVersionRecord[];
}

/** Every model with its versions, for the registry screen (a live query re-runs it). */
export async function registryOverview(): Promise<ModelWithVersions[]> {
	const [models, versions] = await Promise.all([listModels(), listVersions()]);
	return models.map((model) => ({
		model,
		versions: versions
			.filter((v) => v.modelId === model.id)
			.sort((a, b) => compareVersions(b.version, a.version))
	}));
}

export async function getModel(id: string): Promise<ModelRecord | undefined> {
	return db().models.get(id);
}

export async function getVersion(id: string): Promise<ModelVersionRecord | undefined> {
	return db().modelVersions.get(id);
}

export async function listVersions(modelId?: string): Promise<ModelVersionRecord[]> {
	const table = db().modelVersions;
	return modelId ? table.where('modelId').equals(modelId).toArray() : table.toArray();
}

/** The version string the import forms and hub downloads propose for a model's next version. */
export async function nextVersionFor(modelId: string | null): Promise<string> {
	const existing = modelId ? (await listVersions(modelId)).map((v) => v.version) : [];
	return suggestNextVersion(existing, new Date());
}

/** A version's own fields; files, hashes, size and model id are filled in by `addVersion`. */
export type VersionDraft = Omit<ModelVersionRecord, 'files' | 'sha256' | 'size' | 'modelId'>;

/** A new version's draft: a fresh id, no stage, no metrics yet, created now. */
export function versionDraft(
	fields: Pick<VersionDraft, 'version' | 'labels' | 'description'> & Partial<VersionDraft>
): VersionDraft {
	return {
		id: crypto.randomUUID(),
		manifest: null,
		config: {},
		metrics: {},
		tags: [],
		createdAt: Date.now(),
		stage: 'none',
		...fields
	};
}

export interface NewVersion {
	/** An existing model's id, or a new model to create with this version. */
	model: ModelRecord;
	version: VersionDraft;
	/** path → bytes; hashed here, so what is stored is what was hashed. */
	files: ReadonlyMap<string, Uint8Array>;
	/**
	 * Hashes the files claim to have (a version package's manifest). When given, any
	 * mismatch refuses the whole version and nothing is stored.
	 */
	expectedHashes?: ReadonlyMap<string, string>;
}

/** Hashes and stores a new version (and its model if new) in one transaction. */
export async function addVersion(input: NewVersion): Promise<ModelVersionRecord> {
	const files: ModelFile[] = [];
	const blobs: { key: string; blob: Blob }[] = [];
	for (const [path, bytes] of input.files) {
		const sha256 = await sha256Hex(bytes);
		const claimed = input.expectedHashes?.get(path);
		if (input.expectedHashes && claimed !== sha256) {
			throw new RegistryError(
				claimed
					? `${path} does not match the SHA-256 recorded in the package (expected ${claimed.slice(0, 12)}…, got ${sha256.slice(0, 12)}…). The file was changed after export; nothing was imported.`
					: `${path} is not listed in the package's manifest; nothing was imported.`
			);
		}
		files.push({ path, sha256, size: bytes.byteLength });
		blobs.push({ key: modelBlobKey(sha256), blob: new Blob([bytes as Uint8Array<ArrayBuffer>]) });
	}
	if (input.expectedHashes) {
		for (const path of input.expectedHashes.keys()) {
			if (!input.files.has(path)) {
				throw new RegistryError(
					`${path} is listed in the package but missing; nothing was imported.`
				);
			}
		}
	}
	files.sort((a, b) => (a.path < b.path ? -1 : 1));
	const record = ModelVersionRecord.parse({
		...input.version,
		modelId: input.model.id,
		files,
		sha256: await versionDigest(files),
		size: files.reduce((sum, f) => sum + f.size, 0)
	});
	const model = ModelRecord.parse(input.model);
	const d = db();
	await d.transaction('rw', [d.models, d.modelVersions, d.blobs], async () => {
		const clash = await d.modelVersions
			.where('modelId')
			.equals(model.id)
			.filter((v) => v.version === record.version)
			.first();
		if (clash) {
			throw new RegistryError(
				`${model.name} already has a version ${record.version}. Choose another version string.`
			);
		}
		if (!(await d.models.get(model.id))) await d.models.add(model);
		for (const blob of blobs) {
			if (!(await d.blobs.get(blob.key))) await d.blobs.put(blob);
		}
		await d.modelVersions.add(record);
	});
	return record;
}

/**
 * Registers records whose files ship with the app (embedded defaults): no bytes are stored,
 * the worker fetches each file's `url` and checks its hash. Idempotent.
 */
export async function ensureRegistered(
	entries: readonly { model: ModelRecord; version: ModelVersionRecord }[]
): Promise<void> {
	const d = db();
	await d.transaction('rw', [d.models, d.modelVersions], async () => {
		for (const { model, version } of entries) {
			if (!(await d.models.get(model.id))) await d.models.add(model);
			const existing = await d.modelVersions.get(version.id);
			if (!existing) await d.modelVersions.add(version);
			else if (existing.sha256 !== version.sha256) {
				// A new app build ships new files under the same id: keep the registry's stage.
				await d.modelVersions.put({ ...version, stage: existing.stage, metrics: existing.metrics });
			}
		}
	});
}

/**
 * A version's files as stored (not yet verified: `checkFiles` does that). Embedded files are
 * fetched from the app (the service worker serves them offline).
 */
export async function readVersionFiles(
	version: ModelVersionRecord
): Promise<Map<string, Uint8Array>> {
	const out = new Map<string, Uint8Array>();
	const keys = version.files.map((f) => modelBlobKey(f.sha256));
	const stored = await db().blobs.bulkGet(keys);
	for (const [i, file] of version.files.entries()) {
		const blob = stored[i]?.blob;
		if (blob) {
			out.set(file.path, new Uint8Array(await blob.arrayBuffer()));
		} else if (file.url) {
			const response = await fetch(file.url);
			if (response.ok) out.set(file.path, new Uint8Array(await response.arrayBuffer()));
		}
	}
	return out;
}

export interface VersionEdit {
	tags?: string[];
	description?: string;
	/** Manual stages only; production comes from promoting to a task. */
	stage?: Exclude<Stage, 'production'>;
	metrics?: Record<string, number>;
}

export async function editVersion(id: string, edit: VersionEdit): Promise<ModelVersionRecord> {
	const d = db();
	return d.transaction('rw', d.modelVersions, async () => {
		const current = await d.modelVersions.get(id);
		if (!current) throw new RegistryError('This version no longer exists.');
		const blocked = editBlocker(current);
		if (blocked) throw new RegistryError(blocked);
		const next = ModelVersionRecord.parse({ ...current, ...edit });
		await d.modelVersions.put(next);
		return next;
	});
}

/** Deletes a version, its bytes when no other version shares them, and an emptied model. */
export async function deleteVersion(id: string): Promise<void> {
	const d = db();
	await d.transaction('rw', [d.models, d.modelVersions, d.blobs, d.projects], async () => {
		const version = await d.modelVersions.get(id);
		if (!version) return;
		const model = await d.models.get(version.modelId);
		const blocked = model ? deletionBlocker(version, model) : null;
		if (blocked) throw new RegistryError(blocked);
		await d.modelVersions.delete(id);
		// One read of the remaining versions, not one per file.
		const stillUsed = new Set<string>();
		await d.modelVersions.each((v) => v.files.forEach((f) => stillUsed.add(f.sha256)));
		const orphans = version.files.filter((f) => !stillUsed.has(f.sha256));
		await d.blobs.bulkDelete(orphans.map((f) => modelBlobKey(f.sha256)));
		const left = await d.modelVersions.where('modelId').equals(version.modelId).count();
		if (left === 0) await d.models.delete(version.modelId);
	});
}

/** Whether any label task in any project still runs this version. */
async function usedInProduction(versionId: string, except?: { projectId: number; taskId: string }) {
	const projects = await db().projects.toArray();
	return projects.some((p) =>
		p.tasks.some(
			(t) =>
				t.productionModelVersionId === versionId &&
				!(except && p.id === except.projectId && t.id === except.taskId)
		)
	);
}

async function setProduction(
	projectId: number,
	taskId: string,
	versionId: string | null,
	action: Promotion['action']
): Promise<void> {
	const d = db();
	await d.transaction('rw', [d.projects, d.modelVersions, d.promotions], async () => {
		const project = await d.projects.get(projectId);
		const task = project?.tasks.find((t) => t.id === taskId);
		if (!project || !task) throw new RegistryError('This label task no longer exists.');
		const previous = task.productionModelVersionId;
		if (previous === versionId) return;
		if (versionId) {
			const version = await d.modelVersions.get(versionId);
			if (!version) throw new RegistryError('This version no longer exists.');
			await d.modelVersions.update(versionId, { stage: 'production' });
		}
		await d.projects.put({
			...project,
			tasks: project.tasks.map((t) =>
				t.id === taskId ? { ...t, productionModelVersionId: versionId } : t
			),
			updatedAt: Date.now()
		});
		if (previous && (await d.modelVersions.get(previous))) {
			const elsewhere = await usedInProduction(previous, { projectId, taskId });
			await d.modelVersions.update(previous, { stage: stageAfterRelease(elsewhere) });
		}
		if (versionId) {
			await d.promotions.add({
				projectId,
				taskId,
				versionId,
				previousVersionId: previous,
				action,
				at: Date.now()
			});
		}
	});
}

/** Makes `versionId` the task's production version; the one it replaces is archived. */
export async function promote(projectId: number, taskId: string, versionId: string): Promise<void> {
	await setProduction(projectId, taskId, versionId, 'promote');
}

export async function promotionHistory(projectId: number, taskId: string): Promise<Promotion[]> {
	return db().promotions.where('[projectId+taskId]').equals([projectId, taskId]).sortBy('id');
}

/** Returns the task to the production version the current one replaced. */
export async function rollback(projectId: number, taskId: string): Promise<string> {
	const project = await db().projects.get(projectId);
	const current = project?.tasks.find((t) => t.id === taskId)?.productionModelVersionId ?? null;
	const target = rollbackTarget(await promotionHistory(projectId, taskId), current);
	if (!target || !(await db().modelVersions.get(target))) {
		throw new RegistryError('There is no earlier production version to roll back to.');
	}
	await setProduction(projectId, taskId, target, 'rollback');
	return target;
}
