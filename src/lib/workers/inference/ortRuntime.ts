import type { ExecutionInfo } from '$lib/domain/schemas';
import { BackendError, type ExecutionPlan } from './backend';
// The one ORT wasm binary the app ships. `onnxruntime-web/webgpu` resolves to the bundle build
// (ort.webgpu.bundle.min.mjs), which carries its emscripten glue inline and fetches only this
// file; transformers.js imports the same module, so both share one runtime and one download.
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';

/**
 * onnxruntime-web set up for ModelShip: wasm served by the app itself (never a CDN), threads
 * from the execution plan, no proxy worker (we already are one), and per model a warmed-up
 * probe that keeps WebGPU only where it beats WASM. Used by the raw-ONNX backend and by the
 * transformers.js backend, so every ORT session in the app goes through here.
 *
 * ORT reads its wasm settings once, when the first session is created: the first plan's thread
 * count holds for the life of the worker, and `execution.threads` reports what really applies.
 */

export type Ort = typeof import('onnxruntime-web/webgpu');
export type OrtSession = import('onnxruntime-web/webgpu').InferenceSession;
export type OrtTensor = import('onnxruntime-web/webgpu').Tensor;
export type Feeds = Record<string, OrtTensor>;
export type SessionOptions = import('onnxruntime-web/webgpu').InferenceSession.SessionOptions;

/** Inputs for the probe runs, built for a session (its `inputNames` / `inputMetadata`). */
export type MakeProbeFeeds = (ort: Ort, session: OrtSession) => Feeds;

let ortModule: Promise<Ort> | undefined;
/** Threads of the first configuration: ORT cannot change them once its wasm is initialised. */
let appliedThreads: number | undefined;

export function wasmThreads(plan: ExecutionPlan): number {
	return plan.isolated ? Math.max(1, Math.floor(plan.threads)) : 1;
}

/**
 * Imports ORT (once) and points it at the app's own wasm file. Call before creating any
 * session, also from transformers.js code (`env.backends.onnx` is this module's `env`).
 *
 * Example:
 *   const ort = await configureOrt({ webgpu: false, isolated: true, threads: 2, prefer: 'auto' });
 *   const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
 */
export async function configureOrt(plan: ExecutionPlan): Promise<Ort> {
	ortModule ??= import('onnxruntime-web/webgpu');
	const ort = await ortModule;
	if (appliedThreads === undefined) {
		appliedThreads = wasmThreads(plan);
		// Set explicitly: on 2 cores ORT's own default is 1 thread even when isolated.
		ort.env.wasm.numThreads = appliedThreads;
		ort.env.wasm.proxy = false;
		ort.env.logLevel = 'error';
	}
	// Only `wasm`: with no `mjs` the bundle uses its inline glue. Set every time, because
	// importing transformers.js fills in CDN paths when it finds none.
	ort.env.wasm.wasmPaths = { wasm: new URL(ortWasmUrl, self.location.href).href };
	return ort;
}

/** The thread count ORT really uses (after the first `configureOrt`). */
export function ortThreads(): number {
	return appliedThreads ?? 1;
}

function wasmReason(plan: ExecutionPlan): string {
	const threads = ortThreads();
	if (!plan.isolated) return 'not cross-origin isolated: single-threaded WASM';
	return threads > 1
		? `cross-origin isolated: WASM with ${threads} threads`
		: 'cross-origin isolated, but 1 thread planned: single-threaded WASM';
}

function describe(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

const BASE_OPTIONS: SessionOptions = {
	graphOptimizationLevel: 'all',
	// Models exported with initializers listed as inputs print one warning per weight.
	logSeverityLevel: 3
};

async function open(
	ort: Ort,
	bytes: Uint8Array,
	device: 'webgpu' | 'wasm',
	options: SessionOptions
): Promise<OrtSession> {
	return ort.InferenceSession.create(bytes, {
		...BASE_OPTIONS,
		...options,
		executionProviders: [device]
	});
}

/** Zeros of each input's shape, symbolic dimensions as 1: enough to time a model. */
export function defaultProbeFeeds(ort: Ort, session: OrtSession): Feeds {
	const feeds: Feeds = {};
	session.inputNames.forEach((name, i) => {
		const meta = session.inputMetadata[i];
		if (!meta?.isTensor) throw new Error(`input '${name}' is not a tensor`);
		const dims = meta.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
		const size = dims.reduce((a, b) => a * b, 1);
		switch (meta.type) {
			case 'float32':
				feeds[name] = new ort.Tensor('float32', new Float32Array(size), dims);
				break;
			case 'int64':
				feeds[name] = new ort.Tensor('int64', new BigInt64Array(size), dims);
				break;
			case 'int32':
				feeds[name] = new ort.Tensor('int32', new Int32Array(size), dims);
				break;
			case 'uint8':
				feeds[name] = new ort.Tensor('uint8', new Uint8Array(size), dims);
				break;
			case 'bool':
				feeds[name] = new ort.Tensor('bool', new Uint8Array(size), dims);
				break;
			default:
				throw new Error(`no probe input for type ${meta.type} of '${name}'`);
		}
	});
	return feeds;
}

const PROBE_WARMUPS = 2;
const PROBE_RUNS = 3;

/** A run slower than this aborts the probe: the other backend has already won. */
class ProbeTooSlow extends Error {
	constructor(readonly ms: number) {
		super(`a probe run took ${ms.toFixed(0)} ms`);
	}
}

/**
 * Median time of a few runs after warm-up; a slow model gets fewer timed runs. A run over
 * `limitMs` (the first, compiling one: over 5× that and 2 s) stops the probe with
 * `ProbeTooSlow`, so a slow adapter (a software one takes tens of seconds for a detector)
 * costs one run, not five.
 */
async function timeRuns(session: OrtSession, feeds: Feeds, limitMs = Infinity): Promise<number> {
	const timed = async (limit: number): Promise<number> => {
		const t = performance.now();
		await session.run(feeds);
		const ms = performance.now() - t;
		if (ms > limit) throw new ProbeTooSlow(ms);
		return ms;
	};
	// The first run compiles (shaders, kernels): it gets a far looser bound.
	let last = await timed(Math.max(2000, 5 * limitMs));
	for (let i = 1; i < PROBE_WARMUPS; i++) last = await timed(limitMs);
	const runs = last > 1000 ? 1 : PROBE_RUNS;
	const times: number[] = [];
	for (let i = 0; i < runs; i++) times.push(await timed(limitMs));
	times.sort((a, b) => a - b);
	return times[Math.floor(times.length / 2)] as number;
}

const ratio = (slow: number, fast: number): string =>
	`${(slow / Math.max(fast, 1e-3)).toFixed(1)}×`;

export interface CreatedSession {
	session: OrtSession;
	execution: ExecutionInfo;
	/** The probe's medians in ms, when a probe ran. */
	probe?: { webgpuMs: number; wasmMs: number };
}

/**
 * Opens an ORT session on the backend the plan allows and, when both are possible and
 * `prefer` is 'auto', on the faster of WebGPU and WASM as a warmed-up probe measures it.
 * Failures become `BackendError('load-failed')` with ORT's message.
 *
 * Example:
 *   const { session, execution } = await createSession(bytes, plan);
 *   execution.reason; // "WebGPU 1.8× faster than WASM in a warm-up probe (4.1 vs 7.4 ms)"
 */
export async function createSession(
	bytes: Uint8Array,
	plan: ExecutionPlan,
	makeProbeFeeds: MakeProbeFeeds = defaultProbeFeeds,
	options: SessionOptions = {}
): Promise<CreatedSession> {
	const started = performance.now();
	const ort = await configureOrt(plan);
	const info = (device: 'webgpu' | 'wasm', reason: string): ExecutionInfo => ({
		backend: `onnxruntime-web ${device}`,
		device,
		threads: ortThreads(),
		reason,
		loadMs: performance.now() - started
	});
	const openWasm = async (reason: string): Promise<CreatedSession> => {
		try {
			const session = await open(ort, bytes, 'wasm', options);
			return { session, execution: info('wasm', reason) };
		} catch (error) {
			throw new BackendError(
				'load-failed',
				`onnxruntime could not load the model: ${describe(error)}`
			);
		}
	};

	if (plan.prefer === 'wasm') return openWasm(`WASM requested; ${wasmReason(plan)}`);
	if (!plan.webgpu) {
		const why =
			plan.prefer === 'webgpu' ? 'WebGPU requested but no WebGPU adapter' : 'no WebGPU adapter';
		return openWasm(`${why}; ${wasmReason(plan)}`);
	}

	let gpu: OrtSession;
	try {
		gpu = await open(ort, bytes, 'webgpu', options);
	} catch (error) {
		return openWasm(`WebGPU could not load this model (${describe(error)}); ${wasmReason(plan)}`);
	}
	if (plan.prefer === 'webgpu')
		return { session: gpu, execution: info('webgpu', 'WebGPU requested') };

	let cpu: OrtSession;
	try {
		cpu = await open(ort, bytes, 'wasm', options);
	} catch (error) {
		await gpu.release().catch(() => undefined);
		throw new BackendError(
			'load-failed',
			`onnxruntime could not load the model: ${describe(error)}`
		);
	}
	// WASM first: its time bounds how long WebGPU may take before the probe gives up.
	let wasmMs: number;
	let webgpuMs: number;
	try {
		wasmMs = await timeRuns(cpu, makeProbeFeeds(ort, cpu));
	} catch (error) {
		await cpu.release().catch(() => undefined);
		const reason = `WASM failed in the probe (${describe(error)}), WebGPU ran`;
		return { session: gpu, execution: info('webgpu', reason) };
	}
	try {
		webgpuMs = await timeRuns(gpu, makeProbeFeeds(ort, gpu), Math.max(50, 4 * wasmMs));
	} catch (error) {
		await gpu.release().catch(() => undefined);
		const reason =
			error instanceof ProbeTooSlow
				? `WASM ${ratio(error.ms, wasmMs)} faster than WebGPU in a warm-up probe (a WebGPU run took ${error.ms.toFixed(0)} ms, WASM ${wasmMs.toFixed(1)} ms); ${wasmReason(plan)}`
				: // WebGPU loaded the model but cannot run it (an op without a kernel, a lost device).
					`WebGPU failed in the probe (${describe(error)}); ${wasmReason(plan)}`;
		return { session: cpu, execution: info('wasm', reason) };
	}
	const times = `${webgpuMs.toFixed(1)} vs ${wasmMs.toFixed(1)} ms`;
	if (webgpuMs < wasmMs) {
		await cpu.release();
		const reason = `WebGPU ${ratio(wasmMs, webgpuMs)} faster than WASM in a warm-up probe (${times})`;
		return { session: gpu, execution: info('webgpu', reason), probe: { webgpuMs, wasmMs } };
	}
	await gpu.release();
	const reason =
		`WASM ${ratio(webgpuMs, wasmMs)} faster than WebGPU in a warm-up probe (${times}); ` +
		wasmReason(plan);
	return { session: cpu, execution: info('wasm', reason), probe: { webgpuMs, wasmMs } };
}
