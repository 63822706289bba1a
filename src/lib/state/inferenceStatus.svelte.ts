import type { ExecutionInfo } from '$lib/domain/schemas';

/**
 * How the last model this tab loaded ended up running (backend, device, threads, why, load
 * time), for the diagnostics panel. Set by the try-it panel and, later, by auto-label jobs.
 */
export class InferenceStatus {
	last = $state.raw<{ label: string; execution: ExecutionInfo; at: number } | null>(null);

	record = (label: string, execution: ExecutionInfo): void => {
		this.last = { label, execution, at: Date.now() };
	};
}

export const inferenceStatus = new InferenceStatus();
