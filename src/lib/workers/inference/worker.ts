/// <reference lib="webworker" />
import { expose } from 'comlink';
import {
	addVersion,
	getModel,
	getVersion,
	nextVersionFor,
	readVersionFiles,
	versionDraft
} from '$lib/db/models';
import { checkFiles, describeProblems } from '$lib/domain/models/integrity';
import {
	InferenceErrorCode,
	type ExecutionInfo,
	type InferenceError,
	type InferenceTask,
	type ModelRecord,
	type Prediction,
	type Result
} from '$lib/domain/schemas';
import { BackendError, type ExecutionPlan, type LoadedModel } from './backend';
import { planFrom, probeEnvironment, type EnvironmentReport } from './executionPlan';
import { loadBackend } from './loadBackend';
import { readInputs, type WireInput } from './readInputs';
import { predictItems } from './predictItems';
import { AutoLabelRunner, type RunOutcome } from './autolabelRunner';

/**
 * The inference worker: loads model versions from the registry (verifying every file's
 * SHA-256 first), runs them on the backend the device supports best, and answers with plain
 * data — predictions, or `{ code, message }` errors (comlink drops custom error fields).
 */

export type { WireInput, EnvironmentReport };

export interface LoadReport {
	task: InferenceTask;
	labels: string[];
	execution: ExecutionInfo;
}

export type InputResult =
	{ ok: true; prediction: Prediction } | { ok: false; error: InferenceError };

export interface RunReport {
	outputs: InputResult[];
	execution: ExecutionInfo;
	/** Wall time of the model call for the batch, excluding reading and decoding inputs. */
	inferenceMs: number;
}

export interface RunOptions {
	prefer?: ExecutionPlan['prefer'];
	/** WASM threads for this model (benchmarks); the device's default when absent. */
	threads?: number;
	candidateLabels?: string[];
}

type Placement = Pick<RunOptions, 'prefer' | 'threads'>;

export interface HubRequest {
	hubId: string;
	task: InferenceTask;
	hubUrl: string;
	dtype: string;
	name: string;
	licence: string | null;
}

let environment: Promise<EnvironmentReport> | null = null;
const env = () => (environment ??= probeEnvironment());

/** Loaded models by `versionId:prefer`; at most two stay loaded, least recently used goes. */
const loaded = new Map<string, Promise<LoadedModel>>();
const MAX_LOADED = 2;
const calls = new Map<string, AbortController>();
/** Versions an auto-label job uses, by how many running jobs use them: never evicted. */
const pinned = new Map<string, number>();

class LoadError extends Error {
	constructor(
		readonly code: InferenceError['code'],
		message: string
	) {
		super(message);
	}
}

function toError(error: unknown, fallback: InferenceError['code']): InferenceError {
	if (error instanceof LoadError || error instanceof BackendError) {
		return { code: error.code, message: error.message };
	}
	// hubDownload's errors, matched by name: importing the class would pull transformers.js
	// into every worker's first chunk.
	if (error instanceof Error && error.name === 'HubDownloadError' && 'code' in error) {
		const code = InferenceErrorCode.safeParse(error.code);
		if (code.success) return { code: code.data, message: error.message };
	}
	if (error instanceof DOMException && error.name === 'AbortError') {
		return { code: 'cancelled', message: 'cancelled' };
	}
	return { code: fallback, message: error instanceof Error ? error.message : String(error) };
}

async function openVersion(versionId: string, placement: Placement): Promise<LoadedModel> {
	const version = await getVersion(versionId);
	if (!version)
		throw new LoadError('model-not-found', 'This model version is not in the registry.');
	const model = await getModel(version.modelId);
	if (!model)
		throw new LoadError('model-not-found', `The model of version ${version.version} is missing.`);
	const label = `${model.name} ${version.version}`;
	const files = await readVersionFiles(version);
	const problems = await checkFiles(version.files, files);
	if (problems.length > 0) {
		const code = problems.some((p) => p.kind === 'mismatch') ? 'hash-mismatch' : 'file-missing';
		throw new LoadError(code, describeProblems(label, problems));
	}
	try {
		const plan = planFrom(await env(), placement.prefer ?? 'auto');
		if (placement.threads && plan.isolated) plan.threads = placement.threads;
		return await loadBackend(model.runtime, version, files, plan);
	} catch (error) {
		const detail = toError(error, 'load-failed');
		throw new LoadError(detail.code, `${label} could not be loaded: ${detail.message}`);
	}
}

async function acquire(versionId: string, placement: Placement): Promise<LoadedModel> {
	const key = `${versionId}:${placement.prefer ?? 'auto'}:${placement.threads ?? 0}`;
	let model = loaded.get(key);
	if (model) {
		loaded.delete(key); // re-insert: Map order is the LRU order
	} else {
		model = openVersion(versionId, placement);
		// A failed load is not cached: the next call tries again (e.g. after a re-import).
		model.catch(() => loaded.delete(key));
	}
	loaded.set(key, model);
	// A job labelling three tasks needs its three models at once: pinned ones stay, so the
	// limit then only bounds what other calls (Try it) keep around.
	for (const [candidate, evicted] of loaded) {
		if (loaded.size <= MAX_LOADED) break;
		if (candidate === key || pinned.has(candidate.split(':')[0] as string)) continue;
		loaded.delete(candidate);
		void evicted.then((m) => m.dispose()).catch(() => undefined);
	}
	return model;
}

async function versionLabel(versionId: string): Promise<string> {
	const version = await getVersion(versionId);
	if (!version)
		throw new LoadError('model-not-found', 'This model version is not in the registry.');
	const model = await getModel(version.modelId);
	return `${model?.name ?? version.modelId} ${version.version}`;
}

const api = {
	environment(): Promise<EnvironmentReport> {
		return env();
	},

	async load(versionId: string, placement: Placement = {}): Promise<Result<LoadReport>> {
		try {
			const model = await acquire(versionId, placement);
			return {
				ok: true,
				value: { task: model.task, labels: [...model.labels], execution: model.execution }
			};
		} catch (error) {
			return { ok: false, error: toError(error, 'load-failed') };
		}
	},

	/** Runs one batch. Inputs that cannot be read fail alone; a model failure fails the call. */
	async run(
		callId: string,
		versionId: string,
		wire: WireInput[],
		options: RunOptions = {}
	): Promise<Result<RunReport>> {
		const controller = new AbortController();
		calls.set(callId, controller);
		try {
			const model = await acquire(versionId, options);
			const read = await readInputs(wire);
			const inputs = read.flatMap((r) => (r.ok ? [r.input] : []));
			if (controller.signal.aborted)
				return { ok: false, error: { code: 'cancelled', message: 'cancelled' } };
			const started = performance.now();
			const predictions =
				inputs.length > 0
					? await model.run(inputs, {
							signal: controller.signal,
							candidateLabels: options.candidateLabels
						})
					: [];
			const inferenceMs = performance.now() - started;
			for (const input of inputs) if (input.kind === 'image') input.image.close();
			let next = 0;
			const outputs = read.map((r): InputResult => {
				if (!r.ok) return r;
				const prediction = predictions[next++];
				return prediction
					? { ok: true, prediction }
					: { ok: false, error: { code: 'run-failed', message: 'the model returned no output' } };
			});
			return { ok: true, value: { outputs, execution: model.execution, inferenceMs } };
		} catch (error) {
			return { ok: false, error: toError(error, 'run-failed') };
		} finally {
			calls.delete(callId);
		}
	},

	/**
	 * Runs an auto-label job from its stored cursor to the end, pause or cancel (asked on the
	 * job record, or through `cancel(callId)` which pauses it: the page resumes it later).
	 * Answers the status it stopped in; the job record holds the rest.
	 */
	async autolabel(callId: string, jobId: number): Promise<Result<{ status: RunOutcome }>> {
		const controller = new AbortController();
		calls.set(callId, controller);
		const versions = new Set<string>();
		const runner = new AutoLabelRunner(jobId, {
			predict: (versionId, itemIds, task) => {
				if (!versions.has(versionId)) {
					versions.add(versionId);
					pinned.set(versionId, (pinned.get(versionId) ?? 0) + 1);
				}
				return predictItems(() => acquire(versionId, {}), itemIds, task);
			},
			modelName: versionLabel
		});
		controller.signal.addEventListener('abort', () => runner.pause(), { once: true });
		try {
			return { ok: true, value: { status: await runner.run() } };
		} catch (error) {
			return { ok: false, error: toError(error, 'run-failed') };
		} finally {
			calls.delete(callId);
			for (const versionId of versions) {
				const left = (pinned.get(versionId) ?? 1) - 1;
				if (left > 0) pinned.set(versionId, left);
				else pinned.delete(versionId);
			}
		}
	},

	cancel(callId: string): void {
		calls.get(callId)?.abort();
	},

	/**
	 * Downloads a model from the hub (transformers.js decides which files a pipeline needs),
	 * reporting bytes, then stores it as a registry version so it runs offline from then on.
	 */
	async download(
		callId: string,
		request: HubRequest,
		onProgress: (loaded: number, total: number, file: string) => void
	): Promise<Result<{ versionId: string }>> {
		const controller = new AbortController();
		calls.set(callId, controller);
		try {
			const { downloadFromHub } = await import('./hubDownload');
			// One progress message per network chunk would flood the page: at most ~10 a second.
			let lastReport = 0;
			const result = await downloadFromHub({
				hubId: request.hubId,
				task: request.task,
				hubUrl: request.hubUrl,
				dtype: request.dtype,
				plan: planFrom(await env(), 'wasm'),
				onProgress: (loaded, total, file) => {
					const now = performance.now();
					if (now - lastReport < 100 && loaded < total) return;
					lastReport = now;
					onProgress(loaded, total, file);
				},
				signal: controller.signal
			});
			const modelId = `hub:${request.hubId}`;
			const model: ModelRecord = (await getModel(modelId)) ?? {
				id: modelId,
				name: request.name,
				task: request.task,
				runtime: 'transformers',
				source: 'hub',
				hubId: request.hubId,
				licence: request.licence,
				createdAt: Date.now()
			};
			const version = await addVersion({
				model,
				version: versionDraft({
					version: await nextVersionFor(modelId),
					config: { ...result.config, dtype: request.dtype, hubId: request.hubId },
					labels: result.labels,
					tags: ['hub'],
					description: `Downloaded from ${request.hubUrl.replace(/\/$/, '')}/${request.hubId}`
				}),
				files: result.files
			});
			return { ok: true, value: { versionId: version.id } };
		} catch (error) {
			return { ok: false, error: toError(error, 'download-failed') };
		} finally {
			calls.delete(callId);
		}
	},

	async unload(versionId: string): Promise<void> {
		for (const [key, model] of [...loaded]) {
			if (key.startsWith(`${versionId}:`)) {
				loaded.delete(key);
				await model.then((m) => m.dispose()).catch(() => undefined);
			}
		}
	}
};

export type InferenceApi = typeof api;

// onnxruntime-web's WASM threads re-run this chunk in workers named 'em-pthread'; exposing
// the API there would answer the page from a thread worker.
if (self.name !== 'em-pthread') expose(api);
