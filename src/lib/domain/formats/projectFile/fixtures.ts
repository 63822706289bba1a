import { sha256Hex } from '../../import/hash';
import { versionDigest } from '../../models/integrity';
import type {
	Annotation,
	AnnotationState,
	Item,
	LabelTask,
	ModelRecord,
	ModelVersionRecord,
	PredictionRecord,
	Project,
	ReviewEvent
} from '../../schemas';
import { solidPng } from '../fixtures';
import { PROJECT_PATHS, type ProjectFileManifest } from './manifest';

/**
 * A small project with everything a project file carries (tests only): two images sharing
 * nothing, a second item with the first image's bytes, a text, labels on both tasks, a review
 * log with an undo, predictions, and a one-file model version in production for the image task.
 */

export const imageTask: LabelTask = {
	id: 'pets',
	name: 'Pets',
	kind: 'image-classification',
	multiLabel: false,
	classes: [
		{ id: 'cat', name: 'cat', color: '#ff0000', key: '1' },
		{ id: 'dog', name: 'dog', color: '#00ff00', key: '2', threshold: 0.6 }
	],
	threshold: 0.8,
	productionModelVersionId: 'version-1'
};

export const textTask: LabelTask = {
	id: 'mood',
	name: 'Mood',
	kind: 'text-classification',
	multiLabel: false,
	classes: [{ id: 'happy', name: 'happy', color: '#0000ff', key: null }],
	threshold: 0.7,
	productionModelVersionId: null
};

export type SampleProject = {
	project: Project;
	items: Item[];
	annotations: Annotation[];
	reviewEvents: ReviewEvent[];
	predictions: PredictionRecord[];
	/** Stored bytes by kind and SHA-256. */
	images: Map<string, Uint8Array>;
	thumbnails: Map<string, Uint8Array>;
	model: { model: ModelRecord; version: ModelVersionRecord; files: Map<string, Uint8Array> };
};

const state = (classId: string, status: AnnotationState['status']): AnnotationState => ({
	value: { type: 'classes', classIds: [classId] },
	status,
	source: 'human',
	reviewer: 'ada',
	note: null
});

/** Ids start at `base` so a test can tell original ids from the importer's. */
export async function sampleProject(projectId = 7, base = 100): Promise<SampleProject> {
	const red = solidPng(2, 2, [255, 0, 0]);
	const blue = solidPng(3, 1, [0, 0, 255]);
	const [redSha, blueSha] = [await sha256Hex(red), await sha256Hex(blue)];
	const image = (id: number, name: string, sha256: string, bytes: Uint8Array): Item => ({
		id,
		projectId,
		kind: 'image',
		name,
		sha256,
		mime: 'image/png',
		size: bytes.byteLength,
		width: 2,
		height: 2,
		text: null,
		split: id === base ? 'train' : null,
		batchId: 3,
		createdAt: 1000 + id
	});
	const words = 'what a lovely day';
	const items: Item[] = [
		image(base, 'pets/red.png', redSha, red),
		image(base + 1, 'pets/blue.png', blueSha, blue),
		image(base + 2, 'copy/red.png', redSha, red),
		{
			id: base + 3,
			projectId,
			kind: 'text',
			name: 'notes.txt#1',
			sha256: await sha256Hex(new TextEncoder().encode(words)),
			mime: 'text/plain',
			size: words.length,
			width: null,
			height: null,
			text: words,
			split: null,
			batchId: 3,
			createdAt: 2000
		}
	];
	const annotation = (id: number, itemId: number, taskId: string, classId: string): Annotation => ({
		id,
		projectId,
		itemId,
		taskId,
		value: { type: 'classes', classIds: [classId] },
		source: 'human',
		status: 'approved',
		reviewer: 'ada',
		note: id === 1 ? 'looks red' : null,
		updatedAt: 5000 + id
	});
	const annotations = [
		annotation(1, base, 'pets', 'cat'),
		annotation(2, base + 1, 'pets', 'dog'),
		annotation(3, base + 3, 'mood', 'happy')
	];
	const event = (seq: number, itemId: number, fields: Partial<ReviewEvent>): ReviewEvent => ({
		seq,
		projectId,
		itemId,
		taskId: 'pets',
		reviewer: 'ada',
		action: 'approve',
		before: null,
		after: state('cat', 'approved'),
		undoes: null,
		secondOpinion: false,
		at: 6000 + seq,
		...fields
	});
	const reviewEvents = [
		event(40, base, {}),
		event(41, base + 1, { action: 'reject', after: state('cat', 'rejected') }),
		event(42, base + 1, {
			action: 'undo',
			before: state('cat', 'rejected'),
			after: null,
			undoes: 41
		}),
		event(43, base + 1, { action: 'correct', after: state('dog', 'corrected') }),
		event(44, base + 1, { action: 'undo', before: state('dog', 'corrected'), undoes: 43 }),
		event(45, base + 1, { action: 'approve', after: state('dog', 'approved'), secondOpinion: true })
	];
	const prediction = (id: number, itemId: number, score: number): PredictionRecord => ({
		id,
		projectId,
		itemId,
		taskId: 'pets',
		modelVersionId: 'version-1',
		jobId: 9,
		output: { kind: 'classes', classes: [{ label: 'cat', index: 0, score }] },
		score,
		level: score > 0.9 ? 'high' : 'low',
		needsReview: score < 0.8,
		reviewReason: score < 0.8 ? 'below the threshold' : null,
		failed: null,
		backend: 'onnxruntime-web wasm',
		latencyMs: 12.5,
		createdAt: 7000 + id
	});
	const predictions = [prediction(1, base, 0.95), prediction(2, base + 1, 0.4)];

	const weights = new Uint8Array([1, 2, 3, 4, 5]);
	const config = new TextEncoder().encode('{"labels":["cat","dog"]}');
	const modelFiles = [
		{ path: 'model.onnx', sha256: await sha256Hex(weights), size: weights.byteLength },
		{ path: 'config.json', sha256: await sha256Hex(config), size: config.byteLength }
	];
	const model: ModelRecord = {
		id: 'model-1',
		name: 'Pets net',
		task: 'image-classification',
		runtime: 'onnx',
		source: 'import',
		hubId: null,
		licence: 'MIT',
		createdAt: 10
	};
	const version: ModelVersionRecord = {
		id: 'version-1',
		modelId: 'model-1',
		version: '1.0.0',
		files: modelFiles,
		sha256: await versionDigest(modelFiles),
		size: weights.byteLength + config.byteLength,
		manifest: null,
		config: {},
		labels: ['cat', 'dog'],
		metrics: { accuracy: 0.9 },
		tags: ['pets'],
		description: 'tiny',
		createdAt: 11,
		stage: 'production'
	};
	return {
		project: {
			id: projectId,
			name: 'Pets and moods',
			tasks: [imageTask, textTask],
			createdAt: 1,
			updatedAt: 2
		},
		items,
		annotations,
		reviewEvents,
		predictions,
		images: new Map([
			[redSha, red],
			[blueSha, blue]
		]),
		thumbnails: new Map([[redSha, new Uint8Array([0xff, 0xd8, 0xff])]]),
		model: {
			model,
			version,
			files: new Map([
				[modelFiles[0]!.sha256, weights],
				[modelFiles[1]!.sha256, config]
			])
		}
	};
}

/**
 * Rewrites the manifest's entries for `changed` files so their sizes and hashes match again:
 * what a careful forger does, so the checks after the hash check can be tested.
 */
export async function reseal(
	files: Map<string, Uint8Array>,
	change: (manifest: ProjectFileManifest) => void = () => {}
): Promise<void> {
	const path = PROJECT_PATHS.manifest;
	const manifest = JSON.parse(new TextDecoder().decode(files.get(path))) as ProjectFileManifest;
	manifest.files = await Promise.all(
		manifest.files
			.filter((f) => files.has(f.path))
			.map(async (f) => {
				const bytes = files.get(f.path) as Uint8Array;
				return { path: f.path, sha256: await sha256Hex(bytes), size: bytes.byteLength };
			})
	);
	change(manifest);
	files.set(path, new TextEncoder().encode(JSON.stringify(manifest)));
}
