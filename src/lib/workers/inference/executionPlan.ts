/// <reference lib="webworker" />
import type { ExecutionPlan } from './backend';

/**
 * What this device offers for inference, probed once per worker: a WebGPU adapter,
 * cross-origin isolation (SharedArrayBuffer, so threaded WASM), cores. The diagnostics panel
 * shows the report with the reason for each decision.
 */
export interface EnvironmentReport {
	webgpu: { available: boolean; adapter: string | null; reason: string };
	isolated: boolean;
	sharedArrayBuffer: boolean;
	cores: number;
	/** GiB, when the browser says (Chromium rounds it). */
	memoryGb: number | null;
	/** WASM threads each inference worker uses. */
	threads: number;
	/** Inference workers the pool runs. */
	workers: number;
	threadsReason: string;
}

type GpuAdapterInfo = { vendor?: string; architecture?: string; description?: string };
type GpuLike = {
	requestAdapter(options?: { powerPreference?: string }): Promise<{ info?: GpuAdapterInfo } | null>;
};

async function probeWebGpu(): Promise<EnvironmentReport['webgpu']> {
	const gpu = (navigator as unknown as { gpu?: GpuLike }).gpu;
	if (!gpu) {
		return {
			available: false,
			adapter: null,
			reason: 'this browser has no WebGPU (navigator.gpu is missing)'
		};
	}
	try {
		const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
		if (!adapter) {
			return {
				available: false,
				adapter: null,
				reason: 'WebGPU is present but no adapter is available (GPU disabled or blocklisted)'
			};
		}
		const info = adapter.info ?? {};
		const name =
			[info.vendor, info.architecture, info.description].filter(Boolean).join(' ') ||
			'unnamed adapter';
		return { available: true, adapter: name, reason: `adapter: ${name}` };
	} catch (error) {
		return {
			available: false,
			adapter: null,
			reason: `requesting an adapter failed: ${String(error)}`
		};
	}
}

/** Workers in the pool: one per 4 cores, at most 4, one on small-memory devices. */
export function poolSize(cores: number, memoryGb: number | null): number {
	if (memoryGb !== null && memoryGb < 4) return 1;
	return Math.max(1, Math.min(4, Math.floor(cores / 4)));
}

/**
 * WASM threads per worker: the cores shared out between pool workers. onnxruntime-web would
 * pick 1 thread on a 2-core machine even when isolated, so this is always set explicitly.
 */
export function threadsFor(cores: number, workers: number, isolated: boolean): number {
	if (!isolated) return 1;
	return Math.max(1, Math.min(8, Math.floor(cores / workers)));
}

export async function probeEnvironment(): Promise<EnvironmentReport> {
	const cores = navigator.hardwareConcurrency || 1;
	const memoryGb = (navigator as unknown as { deviceMemory?: number }).deviceMemory ?? null;
	const isolated = self.crossOriginIsolated === true;
	const workers = poolSize(cores, memoryGb);
	const threads = threadsFor(cores, workers, isolated);
	const threadsReason = isolated
		? `cross-origin isolated: ${threads} WASM thread${threads === 1 ? '' : 's'} per worker (${cores} cores, ${workers} worker${workers === 1 ? '' : 's'})`
		: 'not cross-origin isolated (no COOP/COEP headers yet): single-threaded WASM';
	return {
		webgpu: await probeWebGpu(),
		isolated,
		sharedArrayBuffer: typeof SharedArrayBuffer !== 'undefined',
		cores,
		memoryGb,
		threads,
		workers,
		threadsReason
	};
}

export function planFrom(
	report: EnvironmentReport,
	prefer: ExecutionPlan['prefer']
): ExecutionPlan {
	return {
		webgpu: report.webgpu.available && prefer !== 'wasm',
		isolated: report.isolated,
		threads: report.threads,
		prefer
	};
}
