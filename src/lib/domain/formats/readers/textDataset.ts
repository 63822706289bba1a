import type { ImportedDataset, ImportedRecord, ReaderId } from './dataset';
import { DatasetFormatError, NameList, Warnings, splitFromName } from './common';
import { normaliseTextRow } from './textRows';

/** Collects normalised text rows into a dataset: task kind, multi-label and null labels. */
export class TextCollector {
	readonly classes = new NameList();
	readonly relationTypes = new NameList();
	readonly warnings = new Warnings();
	readonly records: ImportedRecord[] = [];
	#multi = false;
	#firstError: string | null = null;

	/** Adds one row (or a warning when it cannot be used). */
	add(value: unknown, where: string, name: string, file: string): void {
		const result = normaliseTextRow(value, where, this.classes, this.relationTypes);
		if ('error' in result) {
			this.#firstError ??= result.error;
			this.warnings.add(`${result.error}; skipped`);
			return;
		}
		const { row } = result;
		for (const p of row.problems) this.warnings.add(`${p}; skipped`);
		if (row.listed || (row.label?.type === 'classes' && row.label.names.length > 1))
			this.#multi = true;
		this.records.push({
			name,
			kind: 'text',
			text: row.text,
			split: splitFromName(file),
			width: null,
			height: null,
			label: row.label
		});
	}

	/** A malformed-line error from elsewhere (the JSONL parser). */
	fail(message: string): void {
		this.#firstError ??= message;
		this.warnings.add(`${message}; skipped`);
	}

	/**
	 * The dataset; throws the first error when no row could be read at all.
	 * `preferredClasses` (a schema file) orders the classes that appear in it first.
	 */
	finish(
		format: ReaderId,
		order: { classes?: readonly string[]; relationTypes?: readonly string[] } = {}
	): ImportedDataset {
		const ordered = (preferred: readonly string[] | undefined, seen: NameList) =>
			preferred ? [...new Set([...preferred, ...seen.names])] : seen.names;
		if (this.records.length === 0 && this.#firstError)
			throw new DatasetFormatError(this.#firstError);
		const spans = this.records.some((r) => r.label?.type === 'spans');
		const classesKind = this.records.some((r) => r.label?.type === 'classes');
		if (spans && classesKind) {
			this.warnings.add(
				'some rows have class labels and others entity spans; the class labels are dropped'
			);
			for (const r of this.records) if (r.label?.type === 'classes') r.label = null;
		}
		const relationTypes = ordered(order.relationTypes, this.relationTypes);
		const relations = spans && relationTypes.length > 0;
		if (!spans && !this.#multi) {
			// Single-label: an empty list means "not labelled".
			for (const r of this.records)
				if (r.label?.type === 'classes' && r.label.names.length === 0) r.label = null;
		}
		return {
			format,
			taskKind: relations ? 'relations' : spans ? 'named-entities' : 'text-classification',
			multiLabel: !spans && this.#multi,
			classes: ordered(order.classes, this.classes),
			relationTypes,
			records: this.records,
			warnings: this.warnings.toArray()
		};
	}
}
