import { z } from 'zod';
import { ModelManifest, ModelVersion as VersionString } from '../models/manifest';

/**
 * The model registry's records (IndexedDB `models` and `modelVersions`). A model is a named
 * thing a user picks ("Sentiment, twitter-roberta"); a version is one immutable set of files
 * with their SHA-256, the unit that is promoted, compared, exported and loaded.
 */

/** What a model does; the zero-shot tasks take the label task's classes as candidates. */
export const InferenceTask = z.enum([
	'image-classification',
	'zero-shot-image-classification',
	'object-detection',
	'text-classification',
	'zero-shot-classification',
	'token-classification',
	'feature-extraction'
]);
export type InferenceTask = z.infer<typeof InferenceTask>;

export const IMAGE_INFERENCE_TASKS: readonly InferenceTask[] = [
	'image-classification',
	'zero-shot-image-classification',
	'object-detection'
];

export function taskInputKind(task: InferenceTask): 'image' | 'text' {
	return IMAGE_INFERENCE_TASKS.includes(task) ? 'image' : 'text';
}

/** Which adapter runs a version's files. */
export const ModelRuntime = z.enum([
	/** Any .onnx plus a ModelShip manifest, run by onnxruntime-web. */
	'onnx',
	/** A Hugging Face-layout folder run by a transformers.js pipeline. */
	'transformers',
	/** fastText .ftz/.bin through fasttext.wasm.js. */
	'fasttext',
	/** wink-nlp's lexicon sentiment (code, no weights file). */
	'wink',
	/** A TF.js graph/layers model (nsfwjs). */
	'tfjs'
]);
export type ModelRuntime = z.infer<typeof ModelRuntime>;

export const ModelSource = z.enum(['import', 'folder', 'hub', 'embedded', 'learner']);
export type ModelSource = z.infer<typeof ModelSource>;

export const Stage = z.enum(['none', 'staging', 'production', 'archived']);
export type Stage = z.infer<typeof Stage>;

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 in lowercase hex');

/** One file of a version. Bytes live in `blobs` under `modelBlobKey(sha256)`. */
export const ModelFile = z.object({
	/** Relative path inside the model folder, e.g. `onnx/model.onnx` or `model.onnx`. */
	path: z.string().min(1),
	sha256: Sha256,
	size: z.number().int().nonnegative(),
	/** Embedded defaults ship with the app: their bytes are fetched from here, then hashed. */
	url: z.string().optional()
});
export type ModelFile = z.infer<typeof ModelFile>;

export const modelBlobKey = (sha256: string): string => `model:${sha256}`;

export const ModelRecord = z.object({
	id: z.string().min(1),
	name: z.string().trim().min(1, 'model name is empty').max(200),
	task: InferenceTask,
	runtime: ModelRuntime,
	source: ModelSource,
	/** Hugging Face repo id for hub models and catalog entries. */
	hubId: z.string().nullable(),
	licence: z.string().nullable(),
	createdAt: z.number()
});
export type ModelRecord = z.infer<typeof ModelRecord>;

/** Runtime-specific settings that are not a manifest: e.g. the transformers.js dtype. */
export const RuntimeConfig = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
export type RuntimeConfig = z.infer<typeof RuntimeConfig>;

export const ModelVersionRecord = z.object({
	id: z.string().min(1),
	modelId: z.string().min(1),
	version: VersionString,
	files: z.array(ModelFile),
	/** Digest over the files (see `versionDigest`): what "this version" means, byte for byte. */
	sha256: Sha256,
	size: z.number().int().nonnegative(),
	/** Raw-ONNX versions only. */
	manifest: ModelManifest.nullable(),
	config: RuntimeConfig,
	/** Class names in output order (from the manifest, config.json's id2label, or the adapter). */
	labels: z.array(z.string()),
	metrics: z.record(z.string(), z.number()),
	tags: z.array(z.string().trim().min(1).max(40)),
	description: z.string().max(2000),
	createdAt: z.number(),
	stage: Stage
});
export type ModelVersionRecord = z.infer<typeof ModelVersionRecord>;

/** Promotions per label task, newest last: what "roll back" returns to. */
export const Promotion = z.object({
	id: z.number().int().positive().optional(),
	projectId: z.number().int().positive(),
	taskId: z.string().min(1),
	versionId: z.string().min(1),
	/** The production version this one replaced (null when the task had none). */
	previousVersionId: z.string().nullable(),
	action: z.enum(['promote', 'rollback']),
	at: z.number()
});
export type Promotion = z.infer<typeof Promotion>;
