import {
	addVersion,
	deleteVersion,
	editVersion,
	ensureRegistered,
	getModel,
	getVersion,
	listVersions,
	nextVersionFor,
	versionDraft,
	promote,
	readVersionFiles,
	registryOverview,
	rollback,
	RegistryError,
	type ModelWithVersions,
	type VersionEdit
} from '$lib/db/models';
import { loadSettings } from '$lib/db/settings';
import type { CatalogEntry } from '$lib/domain/models/catalog';
import { checkFiles } from '$lib/domain/models/integrity';
import { summariseHfFolder, stripRoot, type HfFolderSummary } from '$lib/domain/models/hfFolder';
import { parseManifest, type ModelManifest } from '$lib/domain/models/manifest';
import { PACKAGE_FILE, packageFor, parsePackage } from '$lib/domain/models/versionPackage';
import type {
	InferenceTask,
	ModelRecord,
	ModelVersionRecord,
	Result,
	Stage
} from '$lib/domain/schemas';
import { downloadModel, unloadModel } from '$lib/workers/inference/client';

/**
 * What the registry screens call: imports in three forms (ONNX + manifest, a Hugging Face
 * folder, an exported version package), hub downloads, and version management. Storage and
 * rules are in `db/models.ts` and `domain/models/`.
 */

export { RegistryError };
export type { VersionEdit };

export { registryOverview, type ModelWithVersions };

/** zip.js only when a package is exported or imported, not with every page that lists models. */
const zipLibrary = () => import('@zip.js/zip.js/lib/zip-core-native.js');

/** Registers the embedded defaults (no download: their files ship with the app). */
export async function registerEmbeddedModels(): Promise<void> {
	const { EMBEDDED_MODELS } = await import('./embeddedModels');
	await ensureRegistered(EMBEDDED_MODELS);
}

const newId = () => crypto.randomUUID();

export { nextVersionFor };

function modelFor(
	existing: ModelRecord | undefined,
	fields: Omit<ModelRecord, 'id' | 'createdAt'>
): ModelRecord {
	return existing ?? { ...fields, id: newId(), createdAt: Date.now() };
}

export interface OnnxImport {
	onnx: File;
	manifest: ModelManifest;
	/** Add as a new version of this model instead of creating a model. */
	modelId: string | null;
	tags: string[];
}

export async function importOnnx(input: OnnxImport): Promise<ModelVersionRecord> {
	const head = new Uint8Array(await input.onnx.slice(0, 16).arrayBuffer());
	// An ONNX ModelProto starts with field 1 (ir_version, varint): byte 0x08.
	if (head.length === 0 || head[0] !== 0x08) {
		throw new RegistryError(
			`${input.onnx.name} is not an ONNX model (it does not start like one).`
		);
	}
	const existing = input.modelId ? await getModel(input.modelId) : undefined;
	if (existing && existing.task !== input.manifest.task) {
		throw new RegistryError(
			`${existing.name} is a ${existing.task} model; this manifest says ${input.manifest.task}.`
		);
	}
	const model = modelFor(existing, {
		name: input.manifest.name,
		task: input.manifest.task,
		runtime: 'onnx',
		source: 'import',
		hubId: null,
		licence: null
	});
	return addVersion({
		model,
		version: versionDraft({
			version: input.manifest.version,
			manifest: input.manifest,
			labels: input.manifest.labels,
			tags: input.tags,
			description: input.manifest.description ?? ''
		}),
		files: new Map([['model.onnx', new Uint8Array(await input.onnx.arrayBuffer())]])
	});
}

/** Reads a manifest file the user picked; errors name the JSON path. */
export async function readManifestFile(
	file: File
): Promise<{ ok: true; manifest: ModelManifest } | { ok: false; errors: string[] }> {
	let json: unknown;
	try {
		json = JSON.parse(await file.text());
	} catch (error) {
		return { ok: false, errors: [`${file.name} is not valid JSON (${String(error)})`] };
	}
	return parseManifest(json);
}

export interface HfFolderPick {
	files: Map<string, File>;
	config: Record<string, unknown> | null;
	summary: HfFolderSummary;
	name: string;
}

/** Summarises a picked folder (files carry `webkitRelativePath`) before anything is stored. */
export async function inspectHfFolder(picked: readonly File[]): Promise<HfFolderPick> {
	const rawPaths = picked.map((f) => f.webkitRelativePath || f.name);
	const paths = stripRoot(rawPaths);
	const files = new Map(paths.map((p, i) => [p, picked[i] as File]));
	const name = rawPaths[0]?.includes('/')
		? (rawPaths[0].split('/')[0] as string)
		: 'Imported model';
	let config: Record<string, unknown> | null = null;
	const configFile = files.get('config.json');
	if (configFile) {
		try {
			const parsed: unknown = JSON.parse(await configFile.text());
			if (parsed && typeof parsed === 'object') config = parsed as Record<string, unknown>;
		} catch {
			config = null;
		}
	}
	return { files, config, summary: summariseHfFolder(paths, config), name };
}

export interface HfImport {
	pick: HfFolderPick;
	name: string;
	task: InferenceTask;
	version: string;
	modelId: string | null;
}

export async function importHfFolder(input: HfImport): Promise<ModelVersionRecord> {
	const { pick } = input;
	if (pick.summary.problems.length > 0) {
		throw new RegistryError(`This folder cannot be imported: ${pick.summary.problems.join('; ')}.`);
	}
	const bytes = new Map<string, Uint8Array>();
	for (const path of pick.summary.files) {
		const file = pick.files.get(path);
		if (file) bytes.set(path, new Uint8Array(await file.arrayBuffer()));
	}
	const existing = input.modelId ? await getModel(input.modelId) : undefined;
	const model = modelFor(existing, {
		name: input.name,
		task: input.task,
		runtime: 'transformers',
		source: 'folder',
		hubId: null,
		licence: null
	});
	return addVersion({
		model,
		version: versionDraft({
			version: input.version,
			config: {
				task: input.task,
				dtype: pick.summary.dtype,
				modelType: pick.summary.modelType ?? ''
			},
			labels: pick.summary.labels,
			description: `Imported from the folder ${pick.name}`
		}),
		files: bytes
	});
}

/** A version's files and its record (with hashes) as one zip, for another browser. */
export async function exportVersion(versionId: string): Promise<{ blob: Blob; fileName: string }> {
	const version = await getVersion(versionId);
	const model = version ? await getModel(version.modelId) : undefined;
	if (!version || !model) throw new RegistryError('This version no longer exists.');
	const files = await readVersionFiles(version);
	const { Uint8ArrayReader, BlobWriter, ZipWriter } = await zipLibrary();
	const zip = new ZipWriter(new BlobWriter('application/zip'));
	const pkg = packageFor(model, version);
	await zip.add(
		PACKAGE_FILE,
		new Uint8ArrayReader(new TextEncoder().encode(JSON.stringify(pkg, null, 2)))
	);
	for (const file of version.files) {
		const data = files.get(file.path);
		if (!data)
			throw new RegistryError(
				`${file.path} is missing from storage; the version cannot be exported.`
			);
		// Weights barely compress; storing them keeps export fast.
		await zip.add(file.path, new Uint8ArrayReader(data), {
			level: file.path.endsWith('.json') ? 6 : 0
		});
	}
	const blob = await zip.close();
	const safe = `${model.name}-${version.version}`.replace(/[^\w.-]+/g, '_');
	return { blob, fileName: `${safe}.modelship-model.zip` };
}

/** Imports an exported version package; a changed file or incompatible record stores nothing. */
export async function importVersionPackage(file: Blob): Promise<ModelVersionRecord> {
	let entries;
	const { BlobReader, Uint8ArrayWriter, ZipReader } = await zipLibrary();
	const reader = new ZipReader(new BlobReader(file), { filenameValidation: 'tolerant' } as never);
	try {
		entries = await reader.getEntries();
	} catch {
		throw new RegistryError('This file is not a readable zip.');
	}
	try {
		const byName = new Map(entries.filter((e) => !e.directory).map((e) => [e.filename, e]));
		const meta = byName.get(PACKAGE_FILE);
		if (!meta)
			throw new RegistryError(
				`This zip has no ${PACKAGE_FILE}; it is not a ModelShip model package.`
			);
		const text = new TextDecoder().decode(await meta.getData!(new Uint8ArrayWriter()));
		const parsed = parsePackage(text);
		if (!parsed.ok) throw new RegistryError(parsed.message);
		const { model, version } = parsed.value;
		const files = new Map<string, Uint8Array>();
		for (const f of version.files) {
			const entry = byName.get(f.path);
			if (entry) files.set(f.path, await entry.getData!(new Uint8ArrayWriter()));
		}
		const existing = await getModel(model.id);
		const siblings = existing ? await listVersions(model.id) : [];
		const same = siblings.find((v) => v.sha256 === version.sha256);
		// Only an intact copy is "the same"; a changed one is refused by the hash check below.
		if (same && (await checkFiles(version.files, files)).length === 0) {
			throw new RegistryError(
				`${model.name} ${same.version} is already in the registry with exactly these files; nothing was imported.`
			);
		}
		const clash = siblings.some((v) => v.id === version.id);
		return await addVersion({
			model: existing ?? model,
			version: {
				...version,
				// A re-import beside the original gets its own id; stage starts over.
				id: clash ? newId() : version.id,
				stage: 'none'
			},
			files,
			expectedHashes: new Map(version.files.map((f) => [f.path, f.sha256]))
		});
	} finally {
		await reader.close();
	}
}

export async function downloadFromCatalog(
	entry: CatalogEntry,
	onProgress: (loaded: number, total: number, file: string) => void,
	signal?: AbortSignal
): Promise<Result<{ versionId: string }>> {
	const settings = await loadSettings();
	return downloadModel(
		{
			hubId: entry.hubId,
			task: entry.task,
			hubUrl: settings.hubUrl,
			dtype: entry.dtype,
			name: entry.title,
			licence: entry.licence
		},
		onProgress,
		signal
	);
}

export async function updateVersion(id: string, edit: VersionEdit): Promise<void> {
	await editVersion(id, edit);
}

export async function removeVersion(id: string): Promise<void> {
	await deleteVersion(id);
	await unloadModel(id);
}

export async function promoteVersion(
	projectId: number,
	taskId: string,
	versionId: string
): Promise<void> {
	await promote(projectId, taskId, versionId);
}

export async function rollbackTask(projectId: number, taskId: string): Promise<string> {
	return rollback(projectId, taskId);
}

export const STAGE_LABELS: Record<Stage, string> = {
	none: 'No stage',
	staging: 'Staging',
	production: 'Production',
	archived: 'Archived'
};
