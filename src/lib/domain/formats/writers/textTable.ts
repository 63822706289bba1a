import type { DatasetSnapshot, ExportEntry, ExportFormat, ExportRecord } from '../snapshot';
import { metadataColumns, metadataFields } from './metadata';
import { textEntry } from '../paths';
import { csvRow } from './csv';
import {
	classIndices,
	cleanSpans,
	codePointIndex,
	PartBuilder,
	partPath,
	recordsBySplit,
	spanClasses,
	Warnings,
	type SpanClasses
} from './textShared';

/**
 * Plain tables of texts, one file per split (`<split>.csv` / `<split>.jsonl`, cut into
 * `-0000i-of-0000n` parts past 64 MB), labels by class name:
 *
 * - Classification. CSV `id,text,label` (multi-label: `labels`, names joined with `|`); JSONL
 *   `{"id","text","label"}` (multi-label: `"labels": [names]`). Single-label texts without a
 *   known class are left out (and listed in `warnings.txt`).
 * - Spans (named entities, relations). JSONL, doccano-like: `{"id","text","spans":[{id,start,
 *   end,label}],"relations":[{head,tail,label}]}`. CSV has no room for nested lists, so
 *   `<split>.csv` holds one row per span (`text_id,span_id,start,end,label,span_text`),
 *   `<split>_texts.csv` the texts (`id,text`) and, for relations tasks,
 *   `<split>_relations.csv` one row per relation (`text_id,head,tail,label`).
 *
 * Offsets are code points. Metadata and score columns follow when the options ask.
 */

function spanRows(record: ExportRecord, classes: SpanClasses, warnings: Warnings) {
	const text = record.item.text ?? '';
	const clean = cleanSpans(record, classes, warnings);
	const cp = codePointIndex(text);
	return {
		text,
		spans: clean.spans.map((s) => ({
			id: s.id,
			start: cp(s.start),
			end: cp(s.end),
			label: (classes.entities[s.classIndex] as { name: string }).name,
			text: text.slice(s.start, s.end)
		})),
		relations: clean.relations.map((r) => ({
			head: r.head,
			tail: r.tail,
			label: (classes.relations[r.classIndex] as { name: string }).name
		}))
	};
}

/** A single-label record's class name, or null (and a warning) when it has no known class. */
function classLabels(
	record: ExportRecord,
	snapshot: DatasetSnapshot,
	warnings: Warnings
): string[] | null {
	const { classes, multiLabel } = snapshot.task;
	const names = classIndices(record, classes, multiLabel).map(
		(i) => (classes[i] as { name: string }).name
	);
	if (!multiLabel && names.length === 0) {
		warnings.add(record, 'no known class: left out');
		return null;
	}
	return names;
}

function* parts(stem: string, ext: string, file: PartBuilder): Generator<ExportEntry> {
	const texts = file.finish();
	for (let p = 0; p < texts.length; p++)
		yield textEntry(partPath(stem, ext, p, texts.length), texts[p] as string);
}

export const textJsonlFormat: ExportFormat = {
	id: 'text-jsonl',
	name: 'Text JSONL',
	description: 'One JSON object per text and line: the text with its label or its spans.',
	consumers: 'pandas.read_json(lines=True), Hugging Face datasets, doccano import',
	itemKind: 'text',
	taskKinds: ['text-classification', 'named-entities', 'relations'],
	multiLabel: true,
	write: async function* (snapshot): AsyncGenerator<ExportEntry> {
		const warnings = new Warnings();
		const classes = spanClasses(snapshot);
		const isSpans = snapshot.task.kind !== 'text-classification';
		for (const { split, records } of recordsBySplit(snapshot.records)) {
			const file = new PartBuilder();
			for (const record of records) {
				const id = String(record.item.id);
				let row: Record<string, unknown>;
				if (isSpans) {
					const r = spanRows(record, classes, warnings);
					row = {
						id,
						text: r.text,
						spans: r.spans.map(({ id, start, end, label }) => ({ id, start, end, label })),
						relations: r.relations
					};
				} else {
					const labels = classLabels(record, snapshot, warnings);
					if (!labels) continue;
					row = snapshot.task.multiLabel
						? { id, text: record.item.text ?? '', labels }
						: { id, text: record.item.text ?? '', label: labels[0] };
				}
				file.add(JSON.stringify({ ...row, ...metadataFields(record, snapshot.options) }) + '\n');
			}
			yield* parts(split, 'jsonl', file);
		}
		const w = warnings.text();
		if (w) yield textEntry('warnings.txt', w);
	}
};

export const textCsvFormat: ExportFormat = {
	id: 'text-csv',
	name: 'Text CSV',
	description: 'RFC 4180 CSV per split: text and label, or one row per span.',
	consumers: 'pandas.read_csv, spreadsheets, Hugging Face datasets (csv)',
	itemKind: 'text',
	taskKinds: ['text-classification', 'named-entities', 'relations'],
	multiLabel: true,
	write: async function* (snapshot): AsyncGenerator<ExportEntry> {
		const warnings = new Warnings();
		const meta = metadataColumns(snapshot.options).map((c) => c.name);
		const metaValues = (r: ExportRecord) => Object.values(metadataFields(r, snapshot.options));
		const kind = snapshot.task.kind;
		const classes = spanClasses(snapshot);
		for (const { split, records } of recordsBySplit(snapshot.records)) {
			if (kind === 'text-classification') {
				const multi = snapshot.task.multiLabel;
				const file = new PartBuilder(csvRow(['id', 'text', multi ? 'labels' : 'label', ...meta]));
				for (const record of records) {
					const labels = classLabels(record, snapshot, warnings);
					if (!labels) continue;
					file.add(
						csvRow([
							record.item.id,
							record.item.text ?? '',
							labels.join('|'),
							...metaValues(record)
						])
					);
				}
				yield* parts(split, 'csv', file);
				continue;
			}
			const spans = new PartBuilder(
				csvRow(['text_id', 'span_id', 'start', 'end', 'label', 'span_text', ...meta])
			);
			const texts = new PartBuilder(csvRow(['id', 'text', ...meta]));
			const relations = new PartBuilder(csvRow(['text_id', 'head', 'tail', 'label']));
			for (const record of records) {
				const r = spanRows(record, classes, warnings);
				const m = metaValues(record);
				texts.add(csvRow([record.item.id, r.text, ...m]));
				for (const s of r.spans)
					spans.add(csvRow([record.item.id, s.id, s.start, s.end, s.label, s.text, ...m]));
				for (const rel of r.relations)
					relations.add(csvRow([record.item.id, rel.head, rel.tail, rel.label]));
			}
			yield* parts(split, 'csv', spans);
			yield* parts(`${split}_texts`, 'csv', texts);
			if (kind === 'relations') yield* parts(`${split}_relations`, 'csv', relations);
		}
		const w = warnings.text();
		if (w) yield textEntry('warnings.txt', w);
	}
};
