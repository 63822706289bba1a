import {
	emptyCounts,
	MAX_STORED_ERRORS,
	type ImportCounts,
	type ImportError,
	type ImportMessage
} from '$lib/domain/schemas';

export type ImportPhase = 'idle' | 'running' | 'completed' | 'cancelled' | 'stopped' | 'failed';

/**
 * Live state of the import running in this tab. A module singleton, so leaving the import
 * page and coming back still shows the job in flight.
 */
export class ImportSession {
	phase = $state<ImportPhase>('idle');
	projectId = $state<number | null>(null);
	jobId = $state<number | null>(null);
	counts = $state<ImportCounts>(emptyCounts());
	errors = $state.raw<ImportError[]>([]);
	/** Errors counted but not kept: a million bad rows must not fill the page's memory. */
	errorsTruncated = $state(0);
	message = $state<string | null>(null);
	startedAt = $state(0);
	now = $state(0);
	private controller: AbortController | null = null;

	get running(): boolean {
		return this.phase === 'running';
	}

	/** Fraction done by bytes; files alone mislead when one zip holds everything. */
	get fraction(): number {
		const { bytesDone, bytesTotal, filesDone, filesTotal } = this.counts;
		if (bytesTotal > 0) return Math.min(1, bytesDone / bytesTotal);
		return filesTotal > 0 ? filesDone / filesTotal : 0;
	}

	/** Seconds left, from the average byte rate so far; null until there is a rate. */
	get etaSeconds(): number | null {
		const elapsed = (this.now - this.startedAt) / 1000;
		const f = this.fraction;
		if (!this.running || elapsed < 1 || f <= 0) return null;
		return Math.max(0, (elapsed * (1 - f)) / f);
	}

	get itemsPerSecond(): number {
		const elapsed = (this.now - this.startedAt) / 1000;
		return elapsed > 0 ? this.counts.imported / elapsed : 0;
	}

	begin(projectId: number): AbortSignal {
		this.phase = 'running';
		this.projectId = projectId;
		this.jobId = null;
		this.counts = emptyCounts();
		this.errors = [];
		this.errorsTruncated = 0;
		this.message = null;
		this.startedAt = this.now = performance.now();
		this.controller = new AbortController();
		return this.controller.signal;
	}

	cancel(): void {
		this.controller?.abort();
	}

	receive(message: ImportMessage): void {
		this.now = performance.now();
		if (message.status === 'progress') this.counts = message.counts;
		else if (message.status === 'errors') {
			const room = Math.max(0, MAX_STORED_ERRORS - this.errors.length);
			if (room > 0) this.errors = [...this.errors, ...message.errors.slice(0, room)];
			this.errorsTruncated += Math.max(0, message.errors.length - room);
		} else {
			this.counts = message.counts;
			this.phase = message.outcome;
			this.message = message.stopReason?.message ?? null;
		}
	}

	fail(message: string): void {
		this.phase = 'failed';
		this.message = message;
	}
}

export const importSession = new ImportSession();
