import type { ModelRuntime, ModelVersionRecord } from '$lib/domain/schemas';
import type { BackendFactory, ExecutionPlan, LoadedModel, VerifiedFiles } from './backend';

/**
 * Runtime → adapter, each behind a dynamic import so a worker that only ever runs fastText
 * never downloads onnxruntime or TF.js (and the reverse).
 */
const FACTORIES: Record<ModelRuntime, () => Promise<BackendFactory>> = {
	onnx: async () => (await import('./backends/onnx')).createBackend,
	transformers: async () => (await import('./backends/transformers')).createBackend,
	fasttext: async () => (await import('./backends/fastText')).createBackend,
	wink: async () => (await import('./backends/wink')).createBackend,
	tfjs: async () => (await import('./backends/nsfw')).createBackend
};

export async function loadBackend(
	runtime: ModelRuntime,
	version: ModelVersionRecord,
	files: VerifiedFiles,
	plan: ExecutionPlan
): Promise<LoadedModel> {
	const factory = await FACTORIES[runtime]();
	return factory(version, files, plan);
}
