import { formatDuration } from '$lib/domain/import/formatDuration';
import type { JobStatus } from '$lib/domain/schemas';

/**
 * Formatting every background job's card shares (auto-label, export): rough ETAs, measured
 * durations and status words. Exact durations reuse domain/import/formatDuration.
 */

/**
 * A rough time for estimates and ETAs.
 *
 * Example: `approxDuration(0.4)` → `'under a second'`, `approxDuration(185)` → `'about 3 min'`,
 * `approxDuration(3900)` → `'about 1 h 5 min'`.
 */
export function approxDuration(seconds: number): string {
	if (!Number.isFinite(seconds) || seconds < 1) return 'under a second';
	const s = Math.round(seconds);
	if (s < 60) return `about ${s} s`;
	const m = Math.round(s / 60);
	if (m < 60) return `about ${m} min`;
	const h = Math.floor(m / 60);
	const rest = m % 60;
	return rest === 0 ? `about ${h} h` : `about ${h} h ${rest} min`;
}

/** A measured duration: `'350 ms'`, `'42 s'`, `'3 min 5 s'`. */
export function exactDuration(ms: number): string {
	return ms < 1000 ? `${Math.max(0, Math.round(ms))} ms` : formatDuration(ms / 1000);
}

export const STATUS_LABELS: Record<JobStatus, string> = {
	running: 'Running',
	paused: 'Paused',
	completed: 'Completed',
	cancelled: 'Cancelled',
	stopped: 'Stopped',
	failed: 'Failed'
};
