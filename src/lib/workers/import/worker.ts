/// <reference lib="webworker" />
import { expose } from 'comlink';
import { ImportOptions, type ImportMessage } from '$lib/domain/schemas';
import { delimiterFor, parseDelimited } from '$lib/domain/import/delimited';
import { parseJsonl } from '$lib/domain/import/jsonl';
import { textFormatFromName } from '$lib/domain/import/sniff';
import { decodeText } from '$lib/domain/import/textDecode';
import { decodeImage } from './imageDecode';
import { ImportRunner, type ImportSource } from './importRunner';
import { datasetFiles } from './datasetFiles';
import { detectFormat, readDataset, type ReaderId } from '$lib/domain/formats/readers/dataset';
import { summarizeDataset, type DatasetSummary } from '$lib/domain/formats/readers/summary';

/**
 * A failed preview keeps the format it tried: null when no dataset layout was recognised at
 * all (e.g. a zip of plain images), which is no error for the page to show.
 */
export type DatasetPreview =
	({ ok: true } & DatasetSummary) | { ok: false; format: ReaderId | null; message: string };

const running = new Map<number, ImportRunner>();

export type TablePreview =
	{ ok: true; columns: string[]; rows: Record<string, string>[] } | { ok: false; message: string };

const PREVIEW_BYTES = 256 * 1024;

const api = {
	/** Reads the start of a CSV/TSV/JSONL file so the user can pick its text and label columns. */
	async previewTable(file: Blob, name: string): Promise<TablePreview> {
		const format = textFormatFromName(name);
		if (format !== 'csv' && format !== 'tsv' && format !== 'jsonl') {
			return { ok: false, message: `${name} is not a CSV, TSV or JSONL file` };
		}
		const bytes = new Uint8Array(await file.slice(0, PREVIEW_BYTES).arrayBuffer());
		const decoded = decodeText(bytes);
		// A cut in the middle of a multi-byte character is expected at the preview boundary.
		const text = decoded.ok ? decoded.text : new TextDecoder('utf-8').decode(bytes);
		const parsed =
			format === 'jsonl'
				? parseJsonl(text, { maxRows: 5 })
				: parseDelimited(text, delimiterFor(format), { maxRows: 5 });
		return { ok: true, columns: parsed.columns, rows: parsed.rows.map((r) => r.fields) };
	},

	/**
	 * Reads the picked files as a labelled dataset (annotations only, no image decoding) so
	 * the page can show what will come in and ask which task receives the labels.
	 */
	async previewDataset(sources: ImportSource[], format: ReaderId | null): Promise<DatasetPreview> {
		const files = await datasetFiles(sources);
		try {
			const dataset = await readDataset(files, format ?? undefined);
			return { ok: true, ...summarizeDataset(dataset) };
		} catch (error) {
			return {
				ok: false,
				format: format ?? detectFormat(files.paths),
				message: error instanceof Error ? error.message : String(error)
			};
		} finally {
			await files.close();
		}
	},

	/** Runs an import job; `onMessage` receives progress, errors and the final outcome. */
	async run(
		jobId: number,
		sources: ImportSource[],
		rawOptions: unknown,
		onMessage: (message: ImportMessage) => void | Promise<void>
	): Promise<void> {
		const options = ImportOptions.parse(rawOptions);
		const runner = new ImportRunner(jobId, options, onMessage, decodeImage);
		running.set(jobId, runner);
		try {
			// Imports into one project run one at a time, so duplicate detection can trust the
			// hashes it loaded at the start.
			await navigator.locks.request(`import-project-${options.projectId}`, () =>
				runner.run(sources)
			);
		} finally {
			running.delete(jobId);
		}
	},

	cancel(jobId: number): void {
		running.get(jobId)?.cancel();
	}
};

export type ImportApi = typeof api;

expose(api);
