import type { EnvironmentReport } from '$lib/workers/inference/client';

/**
 * The diagnostics panel's sentences: which backend a model will run on and why, and what
 * cross-origin isolation means here. Pure, so each branch is unit-tested.
 */

export type DevicePreference = 'auto' | 'webgpu' | 'wasm';

export function plannedBackend(
	report: EnvironmentReport,
	prefer: DevicePreference
): { backend: string; why: string } {
	const wasm = report.isolated
		? `WASM with SIMD and ${report.threads} thread${report.threads === 1 ? '' : 's'}`
		: 'single-threaded WASM';
	if (prefer === 'wasm') {
		return { backend: wasm, why: 'Settings ask for WASM on this device.' };
	}
	if (!report.webgpu.available) {
		const reason = report.webgpu.reason;
		return {
			backend: wasm,
			why: prefer === 'webgpu' ? `Settings ask for WebGPU, but ${reason}.` : `Because ${reason}.`
		};
	}
	if (prefer === 'webgpu') {
		return { backend: 'WebGPU', why: `Settings ask for WebGPU (${report.webgpu.adapter}).` };
	}
	return {
		backend: `WebGPU or ${wasm}`,
		why: `WebGPU (${report.webgpu.adapter}) is used for a model when a warm-up probe shows it beats WASM; otherwise ${wasm}.`
	};
}

export function isolationText(report: EnvironmentReport): string {
	if (report.isolated) {
		return 'Cross-origin isolated: the page was served with COOP same-origin and COEP require-corp, so SharedArrayBuffer and WASM threads are available.';
	}
	return report.sharedArrayBuffer
		? 'Not cross-origin isolated: SharedArrayBuffer exists but WASM threads need COOP/COEP headers. Reloading lets the service worker add them on hosts that cannot.'
		: 'Not cross-origin isolated: the server sent no COOP/COEP headers, so there is no SharedArrayBuffer and WASM runs on one thread. Reloading lets the service worker add them on hosts that cannot.';
}
