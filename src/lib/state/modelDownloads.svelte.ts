import type { CatalogEntry } from '$lib/domain/models/catalog';
import { downloadFromCatalog } from '$lib/services/modelService';

export type DownloadState =
	| { phase: 'running'; loaded: number; total: number; file: string }
	| { phase: 'done'; versionId: string }
	| { phase: 'failed'; message: string; offline: boolean }
	| { phase: 'cancelled' };

/**
 * Catalog downloads in flight in this tab, by catalog entry. A module singleton, so leaving
 * the Add a model view and coming back still shows the progress and the Cancel button.
 */
export class ModelDownloads {
	states = $state<Record<string, DownloadState>>({});
	/** Not state: nothing renders from it. */
	#controllers: Record<string, AbortController> = {};

	start = async (entry: CatalogEntry, hubUrl: string): Promise<void> => {
		if (this.states[entry.id]?.phase === 'running') return;
		if (typeof navigator !== 'undefined' && navigator.onLine === false) {
			this.states[entry.id] = {
				phase: 'failed',
				offline: true,
				message: `You are offline. ${entry.title} downloads from ${hubUrl}; connect to the internet and try again. Built-in models keep working offline.`
			};
			return;
		}
		const controller = new AbortController();
		this.#controllers[entry.id] = controller;
		this.states[entry.id] = { phase: 'running', loaded: 0, total: 0, file: '' };
		try {
			const result = await downloadFromCatalog(
				entry,
				(loaded, total, file) => {
					if (this.states[entry.id]?.phase === 'running') {
						this.states[entry.id] = { phase: 'running', loaded, total, file };
					}
				},
				controller.signal
			);
			if (result.ok) this.states[entry.id] = { phase: 'done', versionId: result.value.versionId };
			else if (result.error.code === 'cancelled') this.states[entry.id] = { phase: 'cancelled' };
			else {
				const offline = result.error.code === 'offline';
				this.states[entry.id] = {
					phase: 'failed',
					offline,
					message: offline
						? `${result.error.message} Check the connection, or the hub URL in Settings.`
						: `Download failed: ${result.error.message}`
				};
			}
		} catch (error) {
			this.states[entry.id] = {
				phase: 'failed',
				offline: false,
				message: `Download failed: ${error instanceof Error ? error.message : String(error)}`
			};
		} finally {
			delete this.#controllers[entry.id];
		}
	};

	cancel = (entryId: string): void => {
		this.#controllers[entryId]?.abort();
	};
}

export const modelDownloads = new ModelDownloads();
