import {
	emptyCounts,
	type ImageMime,
	type ImportCounts,
	type ImportError,
	type ImportMessage,
	type ImportOptions,
	type LabelTask
} from '$lib/domain/schemas';
import { delimiterFor, parseDelimited } from '$lib/domain/import/delimited';
import { classFromPath, isJunkPath } from '$lib/domain/import/folderLabel';
import { sha256Hex, sha256OfText } from '$lib/domain/import/hash';
import { parseJsonl } from '$lib/domain/import/jsonl';
import {
	isZip,
	looksBinary,
	sniffImage,
	SNIFF_BYTES,
	textFormatFromName,
	type TextFormat
} from '$lib/domain/import/sniff';
import { decodeText } from '$lib/domain/import/textDecode';
import { ensureClass } from '$lib/domain/labels/taskEditing';
import { imageSize, pixelLimitMessage } from '$lib/domain/import/imageSize';
import { ZipBudget } from '$lib/domain/import/zipSafety';
import { db } from '$lib/db/database';
import { isQuotaExceeded, QUOTA_MESSAGE } from '$lib/db/errors';
import { appendJobErrors, updateJob } from '$lib/db/jobs';
import type { DecodedImage } from './imageDecode';
import { classLabel, ItemWriter, type PendingItem } from './itemWriter';
import { tooLarge, zipMembers } from './zipMembers';
import { datasetFiles } from './datasetFiles';
import { ZipFormatError } from '$lib/domain/formats/zipStream';
import {
	DatasetFormatError,
	readDataset,
	type ImportedDataset,
	type ImportedRecord
} from '$lib/domain/formats/readers/dataset';

export type ImportSource = { file: Blob; path: string };

type TextEntry = {
	name: string;
	text: string;
	label: PendingItem['label'];
	split?: PendingItem['item']['split'];
};

/** What a labelled dataset says about one of its files: its label and split. */
type Given = { label: PendingItem['label']; split: PendingItem['item']['split'] };

const SUPPORTED =
	'ModelShip imports images (png, jpg, webp, gif, bmp, avif), texts (.txt, .csv, .tsv, .jsonl) and zip archives of them';

/** Images decoded at once: enough to keep the browser's decoder threads busy on 2 cores. */
const IMAGE_CONCURRENCY = 4;
const PROGRESS_INTERVAL_MS = 100;
/** Texts hashed together; also the natural step between cancellation checks. */
const TEXT_BATCH = 1000;

const READ_FAILED = 'could not read the file: it was moved, deleted or changed after it was picked';

/** A file's bytes, or null when the browser can no longer read it (a per-file error). */
async function readBytes(blob: Blob): Promise<Uint8Array<ArrayBuffer> | null> {
	try {
		return new Uint8Array(await blob.arrayBuffer());
	} catch {
		return null;
	}
}

class StopImport extends Error {
	constructor(
		readonly code: string,
		message: string
	) {
		super(message);
	}
}

/**
 * One import job, from picked files to stored items. Everything the user sees (counts,
 * errors, final state) is written to the job record as well as sent to `emit`, so the
 * import page can be reloaded and still tell what happened.
 */
export class ImportRunner {
	private readonly counts: ImportCounts = emptyCounts();
	private readonly writer: ItemWriter;
	private unsentErrors: ImportError[] = [];
	private lastEmit = 0;
	private cancelled = false;
	private readonly inFlight = new Set<Promise<void>>();
	/** Hashes of images being decoded: a later equal file is a duplicate before it is decoded. */
	private readonly claimed = new Set<string>();
	private flushing: Promise<void> = Promise.resolve();
	private stop: StopImport | null = null;
	private tasks = new Map<string, LabelTask>();
	/** Bytes of the top-level file in hand already accounted for (rows read, members done). */
	private partialBytes = 0;

	constructor(
		private readonly jobId: number,
		private readonly options: ImportOptions,
		/** Across comlink this returns a promise that settles once the page has the message. */
		private readonly emit: (message: ImportMessage) => void | Promise<void>,
		private readonly decode: (blob: Blob) => Promise<DecodedImage>
	) {
		this.writer = new ItemWriter(options.projectId, jobId);
	}

	cancel(): void {
		this.cancelled = true;
	}

	async run(sources: ImportSource[]): Promise<void> {
		const project = await db().projects.get(this.options.projectId);
		this.tasks = new Map((project?.tasks ?? []).map((t) => [t.id, t]));
		this.counts.filesTotal = sources.length;
		this.counts.bytesTotal = sources.reduce((sum, s) => sum + s.file.size, 0);
		this.maybeEmit(true);
		let outcome: 'completed' | 'cancelled' | 'stopped' = 'completed';
		try {
			if (!project) throw new StopImport('no-project', 'The project no longer exists.');
			await this.writer.loadExisting();
			if (this.options.dataset) await this.importDataset(sources, this.options.dataset);
			else
				for (const source of sources) {
					if (this.halted()) break;
					this.partialBytes = 0;
					await this.handle(source.file, source.path, 0, null);
					this.partialBytes = 0;
					this.counts.bytesDone += source.file.size;
					this.counts.filesDone += 1;
					this.maybeEmit();
				}
			await Promise.all(this.inFlight);
			await this.flush();
		} catch (error) {
			this.stop ??= error instanceof StopImport ? error : this.toStop(error);
		}
		if (this.stop) outcome = 'stopped';
		else if (this.cancelled) outcome = 'cancelled';
		await this.finish(outcome);
	}

	private halted(): boolean {
		return this.cancelled || this.stop !== null;
	}

	private toStop(error: unknown): StopImport {
		if (isQuotaExceeded(error)) return new StopImport('quota-exceeded', QUOTA_MESSAGE);
		const message = error instanceof Error ? error.message : String(error);
		return new StopImport('failed', `The import stopped: ${message}`);
	}

	/** Routes one file (or zip member) by its bytes, not its name. */
	private async handle(
		blob: Blob,
		path: string,
		depth: number,
		budget: ZipBudget | null
	): Promise<void> {
		if (isJunkPath(path)) return;
		if (blob.size === 0) return this.fail(path, 'empty-file', 'file is empty (0 bytes)');
		const head = await readBytes(blob.slice(0, SNIFF_BYTES));
		if (!head) return this.fail(path, 'read-failed', READ_FAILED);
		if (isZip(head)) return this.handleZip(blob, path, depth, budget);
		if (blob.size > this.options.limits.maxFileBytes) {
			return this.report(tooLarge(path, blob.size, this.options.limits.maxFileBytes));
		}
		const mime = sniffImage(head);
		if (mime) return this.queueImage(blob, path, mime);
		const format = textFormatFromName(path);
		if (!format || looksBinary(head)) {
			const ext = /\.([^./]+)$/.exec(path)?.[1];
			return this.fail(
				path,
				'unsupported-type',
				`unsupported file type${ext ? ` (.${ext})` : ''}: ${SUPPORTED}`
			);
		}
		return this.handleText(blob, path, format, depth);
	}

	private async handleZip(
		blob: Blob,
		path: string,
		depth: number,
		budget: ZipBudget | null
	): Promise<void> {
		if (depth >= this.options.limits.zipMaxDepth) {
			return this.fail(
				path,
				'zip-too-deep',
				`zip nested ${depth + 1} levels deep (limit ${this.options.limits.zipMaxDepth}): extract it first`
			);
		}
		const shared = budget ?? new ZipBudget(this.options.limits);
		const members = zipMembers(blob, path, shared, this.options.limits.maxFileBytes, (e) =>
			this.report(e)
		);
		let consumed = 0;
		for await (const member of members) {
			if (this.halted()) break;
			consumed += member.compressedSize;
			if (depth === 0) this.advance(Math.min(1, consumed / blob.size), blob.size);
			this.counts.filesTotal += 1;
			await this.handle(member.blob, member.path, depth + 1, shared);
			this.counts.filesDone += 1;
			this.maybeEmit();
		}
	}

	/**
	 * Reads and hashes in source order, before the concurrent decode: of two equal files the
	 * first one listed is always the one kept, whatever order the decodes finish in.
	 */
	private async queueImage(
		blob: Blob,
		path: string,
		mime: ImageMime,
		given: Given | null = null
	): Promise<void> {
		const bytes = await readBytes(blob);
		if (!bytes) return this.fail(path, 'read-failed', READ_FAILED);
		const sha256 = await sha256Hex(bytes);
		if (this.writer.hasSeen(sha256) || this.claimed.has(sha256)) {
			this.counts.duplicates += 1;
			return;
		}
		this.claimed.add(sha256);
		while (this.inFlight.size >= IMAGE_CONCURRENCY) await Promise.race(this.inFlight);
		const task = this.processImage(blob, bytes, sha256, path, mime, given).catch(
			(error: unknown) => {
				this.stop ??= this.toStop(error);
			}
		);
		this.inFlight.add(task);
		void task.finally(() => this.inFlight.delete(task));
	}

	private async processImage(
		blob: Blob,
		bytes: Uint8Array<ArrayBuffer>,
		sha256: string,
		path: string,
		mime: ImageMime,
		given: Given | null
	): Promise<void> {
		// The header's size first: a tiny file can declare billions of pixels, and decoding it
		// would exhaust the worker's memory.
		const declared = imageSize(bytes.subarray(0, 64 * 1024), mime);
		const overLimit = declared && pixelLimitMessage(declared);
		if (overLimit) return this.fail(path, 'too-large', overLimit);
		let decoded: DecodedImage;
		try {
			decoded = await this.decode(blob);
		} catch {
			return this.fail(
				path,
				'corrupt-image',
				`corrupt or undecodable ${mime.replace('image/', '').toUpperCase()} image: the browser could not decode it`
			);
		}
		const className = this.options.folderLabelTaskId ? classFromPath(path) : null;
		await this.enqueue({
			item: {
				kind: 'image',
				name: path,
				sha256,
				mime,
				size: blob.size,
				width: decoded.width,
				height: decoded.height,
				text: null,
				split: given?.split ?? null
			},
			original: blob.type === mime ? blob : new Blob([bytes], { type: mime }),
			thumbnail: decoded.thumbnail,
			label: given
				? given.label
				: className && this.options.folderLabelTaskId
					? classLabel(this.options.folderLabelTaskId, className, 'folder')
					: null
		});
	}

	private async handleText(
		blob: Blob,
		path: string,
		format: TextFormat,
		depth: number
	): Promise<void> {
		const bytes = await readBytes(blob);
		if (!bytes) return this.fail(path, 'read-failed', READ_FAILED);
		const decoded = decodeText(bytes);
		if (!decoded.ok) return this.fail(path, 'invalid-encoding', decoded.message, decoded.line);
		const texts: TextEntry[] = [];
		if (format === 'txt') {
			if (this.options.textMode === 'file') {
				if (decoded.text.trim() === '') return this.fail(path, 'empty-text', 'file has no text');
				texts.push({ name: path, text: decoded.text, label: null });
			} else {
				const lines = decoded.text.split(/\r\n|\n|\r/);
				lines.forEach((line, i) => {
					if (line.trim() !== '') texts.push({ name: `${path}:${i + 1}`, text: line, label: null });
				});
			}
		} else {
			this.tableTexts(path, format, decoded.text, texts);
		}
		await this.queueTexts(texts, (done) => {
			if (depth === 0) this.advance(done / texts.length, blob.size);
		});
	}

	/** Rows of a CSV/TSV/JSONL file as texts (with labels); bad rows become errors. */
	private tableTexts(
		path: string,
		format: 'csv' | 'tsv' | 'jsonl',
		source: string,
		out: TextEntry[]
	) {
		const parsed =
			format === 'jsonl' ? parseJsonl(source) : parseDelimited(source, delimiterFor(format));
		const code = format === 'jsonl' ? 'jsonl-syntax' : 'csv-syntax';
		for (const e of parsed.errors) this.fail(path, code, e.message, e.line);
		const mapping = this.options.table;
		if (!mapping) {
			return this.fail(path, 'missing-column', 'no text column was chosen for tables');
		}
		if (!parsed.columns.includes(mapping.textColumn)) {
			return this.fail(
				path,
				'missing-column',
				`no column "${mapping.textColumn}" (columns: ${parsed.columns.join(', ') || 'none'})`
			);
		}
		const taskId = this.options.columnLabelTaskId;
		const labelColumn =
			mapping.labelColumn && taskId && this.tasks.has(taskId) ? mapping.labelColumn : null;
		for (const row of parsed.rows) {
			const text = row.fields[mapping.textColumn] ?? '';
			if (text.trim() === '') {
				this.fail(
					path,
					'empty-text',
					`line ${row.line}: "${mapping.textColumn}" is empty`,
					row.line
				);
				continue;
			}
			const className = labelColumn ? (row.fields[labelColumn] ?? '').trim() : '';
			out.push({
				name: `${path}:${row.line}`,
				text,
				label: className && taskId ? classLabel(taskId, className, 'column') : null
			});
		}
	}

	/**
	 * Hashes texts a batch at a time: WebCrypto digests are asynchronous, and awaiting them one
	 * by one would leave the worker idle between rows.
	 */
	private async queueTexts(texts: TextEntry[], progress: (done: number) => void): Promise<void> {
		const hashBatch = (start: number) =>
			Promise.all(texts.slice(start, start + TEXT_BATCH).map((t) => sha256OfText(t.text)));
		// The next batch hashes (on the browser's crypto threads) while this one is written.
		let nextHashes = hashBatch(0);
		for (let start = 0; start < texts.length; start += TEXT_BATCH) {
			const hashes = await nextHashes;
			if (this.halted()) return;
			if (start + TEXT_BATCH < texts.length) nextHashes = hashBatch(start + TEXT_BATCH);
			const batch = texts.slice(start, start + TEXT_BATCH);
			for (const [i, entry] of batch.entries()) {
				const accepted = this.writer.add({
					item: {
						kind: 'text',
						name: entry.name,
						sha256: hashes[i] as string,
						mime: 'text/plain',
						size: entry.text.length,
						width: null,
						height: null,
						text: entry.text,
						split: entry.split ?? null
					},
					original: null,
					thumbnail: null,
					label: entry.label
				});
				if (!accepted) this.counts.duplicates += 1;
			}
			if (this.writer.shouldFlush) await this.flush();
			progress(start + batch.length);
		}
	}

	/**
	 * The files as one labelled dataset of another tool: its reader says which files are
	 * items and what their labels and splits are; each image then goes through the same
	 * checks, decoding and de-duplication as any other, and its label is stored with it.
	 */
	private async importDataset(
		sources: ImportSource[],
		choice: NonNullable<ImportOptions['dataset']>
	): Promise<void> {
		const files = await datasetFiles(sources, this.options.limits.maxFileBytes);
		try {
			let dataset: ImportedDataset;
			try {
				dataset = await readDataset(files, choice.format);
			} catch (error) {
				if (error instanceof DatasetFormatError)
					throw new StopImport('dataset-format', error.message);
				throw error;
			}
			await this.addDatasetClasses(dataset, choice);
			for (const warning of dataset.warnings) {
				this.unsentErrors.push({
					path: dataset.format,
					line: null,
					code: 'dataset-warning',
					message: warning
				});
			}
			const labelOf = (record: ImportedRecord): PendingItem['label'] =>
				record.label
					? {
							taskId: choice.taskId,
							entityTaskId: choice.entityTaskId,
							label: record.label,
							origin: dataset.format
						}
					: null;
			this.counts.filesTotal = dataset.records.length;
			const texts: TextEntry[] = [];
			for (const record of dataset.records) {
				if (this.halted()) break;
				if (record.kind === 'text') {
					if (record.text && record.text.trim() !== '') {
						texts.push({
							name: record.name,
							text: record.text,
							label: labelOf(record),
							split: record.split
						});
					} else this.fail(record.name, 'empty-text', 'the dataset lists an empty text');
					continue;
				}
				let bytes: Uint8Array | undefined;
				try {
					bytes = await files.read(record.name);
				} catch (error) {
					if (!(error instanceof ZipFormatError)) throw error;
					this.fail(record.name, 'too-large', error.message);
					continue;
				}
				this.counts.filesDone += 1;
				this.advance(
					this.counts.filesDone / Math.max(1, dataset.records.length),
					this.counts.bytesTotal
				);
				if (!bytes) {
					this.fail(
						record.name,
						'missing-file',
						`the ${dataset.format.toUpperCase()} annotations list ${record.name}, but no such file was imported`
					);
					continue;
				}
				if (bytes.length > this.options.limits.maxFileBytes) {
					this.report(tooLarge(record.name, bytes.length, this.options.limits.maxFileBytes));
					continue;
				}
				const mime = sniffImage(bytes.subarray(0, SNIFF_BYTES));
				if (!mime) {
					this.fail(
						record.name,
						'unsupported-type',
						`${record.name} is not an image ModelShip reads (${SUPPORTED})`
					);
					continue;
				}
				await this.queueImage(
					new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime }),
					record.name,
					mime,
					{
						label: labelOf(record),
						split: record.split
					}
				);
			}
			if (texts.length > 0) {
				await this.queueTexts(texts, (done) => {
					this.counts.filesDone = done;
					this.advance(done / texts.length, this.counts.bytesTotal);
				});
			}
		} finally {
			await files.close();
		}
	}

	/**
	 * Adds the dataset's classes to the chosen task(s) first, in the dataset's own order, so
	 * class indices follow the source (labels would otherwise add them in the order met).
	 */
	private async addDatasetClasses(
		dataset: ImportedDataset,
		choice: NonNullable<ImportOptions['dataset']>
	): Promise<void> {
		await db().transaction('rw', db().projects, async () => {
			const project = await db().projects.get(this.options.projectId);
			if (!project) throw new StopImport('no-project', 'The project no longer exists.');
			const ensureAll = (task: LabelTask, names: readonly string[]) =>
				names.reduce((t, name) => ensureClass(t, name).task, task);
			const relations = dataset.relationTypes.length > 0;
			const tasks = project.tasks.map((task) => {
				if (task.id === choice.taskId) {
					const own = relations ? dataset.relationTypes : dataset.classes;
					const withEntities =
						relations && !choice.entityTaskId ? ensureAll(task, dataset.classes) : task;
					return ensureAll(withEntities, own);
				}
				if (relations && task.id === choice.entityTaskId) return ensureAll(task, dataset.classes);
				return task;
			});
			await db().projects.put({ ...project, tasks, updatedAt: Date.now() });
			this.tasks = new Map(tasks.map((t) => [t.id, t]));
		});
	}

	private async enqueue(pending: PendingItem): Promise<void> {
		if (!this.writer.add(pending)) {
			this.counts.duplicates += 1;
			return;
		}
		if (this.writer.shouldFlush) await this.flush();
	}

	/** Flushes are serialised: concurrent image tasks may ask at the same moment. */
	private flush(): Promise<void> {
		this.flushing = this.flushing.then(async () => {
			if (this.stop) return;
			try {
				const result = await this.writer.flush();
				for (const item of result.written) {
					this.counts.imported += 1;
					if (item.kind === 'image') this.counts.images += 1;
					else this.counts.texts += 1;
				}
				this.counts.labeled += result.labeled;
				await this.persist();
				this.maybeEmit();
			} catch (error) {
				this.stop ??= this.toStop(error);
			}
		});
		return this.flushing;
	}

	private fail(
		path: string,
		code: ImportError['code'],
		message: string,
		line: number | null = null
	) {
		this.report({ path, line, code, message });
	}

	private report(error: ImportError): void {
		this.counts.failed += 1;
		this.unsentErrors.push(error);
		this.maybeEmit();
	}

	/** Moves the progress bar within one large top-level file. */
	private advance(fraction: number, size: number): void {
		this.partialBytes = fraction * size;
		this.maybeEmit();
	}

	private maybeEmit(force = false): void {
		const now = performance.now();
		if (!force && now - this.lastEmit < PROGRESS_INTERVAL_MS) return;
		this.lastEmit = now;
		if (this.unsentErrors.length > 0) {
			void this.emit({ status: 'errors', errors: this.unsentErrors });
			void appendJobErrors(this.jobId, this.unsentErrors).catch(() => undefined);
			this.unsentErrors = [];
		}
		void this.emit({
			status: 'progress',
			counts: { ...this.counts, bytesDone: this.counts.bytesDone + this.partialBytes }
		});
	}

	private async persist(): Promise<void> {
		await updateJob(this.jobId, { counts: { ...this.counts } });
	}

	private async finish(outcome: 'completed' | 'cancelled' | 'stopped'): Promise<void> {
		this.maybeEmit(true);
		const stopReason = this.stop ? { code: this.stop.code, message: this.stop.message } : null;
		await updateJob(this.jobId, {
			status: outcome,
			finishedAt: Date.now(),
			counts: { ...this.counts },
			message: stopReason?.message ?? (outcome === 'cancelled' ? 'Cancelled by you.' : null)
		}).catch(() => undefined);
		// Awaited: the run's own result travels on another port and could otherwise reach the
		// page before the final message does.
		await this.emit({ status: 'done', outcome, counts: { ...this.counts }, stopReason });
	}
}
