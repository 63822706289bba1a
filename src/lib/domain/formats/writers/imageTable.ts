import { itemFileName, textEntry } from '../paths';
import { extraColumns, metadataFields } from './metadata';
import type { DatasetSnapshot, ExportEntry, ExportFormat, ExportRecord } from '../snapshot';
import { csvRow } from './csv';
import {
	assertTask,
	boxesOf,
	classesOf,
	classIndex,
	oneLine,
	singleClassOf,
	splitsOf,
	imageEntry
} from './imageShared';

/**
 * Images plus one table per split, for pandas, spreadsheets and custom loaders:
 * `images/<image>` and `<split>.csv` or `<split>.jsonl`, and `classes.txt` (names in class
 * order). `file` is the image's path from the export root; labels are class names.
 *
 * CSV: classification has one row per image (`label`, or `labels` joined with `;` when
 * multi-label); detection has one row per box (`file,width,height,class,x,y,w,h`, pixels,
 * top-left origin), and an image with no box one row with the box columns empty.
 * JSONL: one object per image, with `label`, `labels` or `boxes`.
 */

type Table = 'csv' | 'jsonl';

type Row = { record: ExportRecord; single: number | null };

function csvLines(snapshot: DatasetSnapshot, rows: readonly Row[]): string {
	const { task, options } = snapshot;
	const index = classIndex(task);
	const names = task.classes.map((c) => c.name);
	const extra = extraColumns(options);
	const detection = task.kind === 'object-detection';
	const labelColumns = detection
		? ['class', 'x', 'y', 'w', 'h', ...(options.includeScores ? ['box_score'] : [])]
		: [task.multiLabel ? 'labels' : 'label'];
	let out = csvRow(['file', 'width', 'height', ...labelColumns, ...extra]);
	for (const { record, single } of rows) {
		const head = [`images/${itemFileName(record.item)}`, record.item.width, record.item.height];
		const values = metadataFields(record, options);
		const tail = extra.map((c) => values[c] ?? null);
		if (!detection) {
			const label = task.multiLabel
				? classesOf(record, index)
						.map((i) => names[i])
						.join(';')
				: (names[single as number] as string);
			out += csvRow([...head, label, ...tail]);
			continue;
		}
		const boxes = boxesOf(record, index);
		if (boxes.length === 0) out += csvRow([...head, ...labelColumns.map(() => null), ...tail]);
		for (const b of boxes) {
			const score = options.includeScores ? [b.score] : [];
			out += csvRow([...head, names[b.cls] as string, b.x, b.y, b.w, b.h, ...score, ...tail]);
		}
	}
	return out;
}

function jsonlLines(snapshot: DatasetSnapshot, rows: readonly Row[]): string {
	const { task, options } = snapshot;
	const index = classIndex(task);
	const names = task.classes.map((c) => c.name);
	let out = '';
	for (const { record, single } of rows) {
		const row: Record<string, unknown> = {
			file: `images/${itemFileName(record.item)}`,
			width: record.item.width,
			height: record.item.height
		};
		if (task.kind === 'object-detection') {
			row.boxes = boxesOf(record, index).map((b) => ({
				class: names[b.cls],
				x: b.x,
				y: b.y,
				w: b.w,
				h: b.h,
				...(options.includeScores ? { score: b.score } : {})
			}));
		} else if (task.multiLabel) {
			row.labels = classesOf(record, index).map((i) => names[i]);
		} else {
			row.label = names[single as number];
		}
		out += JSON.stringify({ ...row, ...metadataFields(record, options) }) + '\n';
	}
	return out;
}

function tableWriter(table: Table) {
	return async function* write(snapshot: DatasetSnapshot): AsyncGenerator<ExportEntry> {
		const { task } = snapshot;
		assertTask(table === 'csv' ? imageCsvFormat : imageJsonlFormat, task);
		const index = classIndex(task);
		const singleLabel = task.kind === 'image-classification' && !task.multiLabel;
		const rows: Row[] = [];
		for (const record of snapshot.records) {
			const single = singleLabel ? singleClassOf(record, index) : null;
			if (singleLabel && single === null) continue;
			rows.push({ record, single });
		}
		yield textEntry('classes.txt', task.classes.map((c) => `${oneLine(c.name)}\n`).join(''));
		for (const split of splitsOf(rows.map((r) => r.record))) {
			const inSplit = rows.filter((r) => r.record.split === split);
			const body = table === 'csv' ? csvLines(snapshot, inSplit) : jsonlLines(snapshot, inSplit);
			yield textEntry(`${split}.${table}`, body);
		}
		for (const { record } of rows) {
			yield await imageEntry(snapshot, record.item, `images`);
		}
	};
}

export const imageCsvFormat: ExportFormat = {
	id: 'image-csv',
	name: 'Images + CSV',
	description:
		'Images with one CSV per split (a row per image, or per box for detection), for pandas and spreadsheets.',
	consumers: 'pandas, spreadsheets, Keras flow_from_dataframe, custom loaders',
	itemKind: 'image',
	taskKinds: ['image-classification', 'object-detection'],
	multiLabel: true,
	write: tableWriter('csv')
};

export const imageJsonlFormat: ExportFormat = {
	id: 'image-jsonl',
	name: 'Images + JSON Lines',
	description:
		'Images with one JSON Lines file per split, one object per image with its labels or boxes.',
	consumers: 'pandas (read_json lines=True), Hugging Face datasets (json), custom loaders',
	itemKind: 'image',
	taskKinds: ['image-classification', 'object-detection'],
	multiLabel: true,
	write: tableWriter('jsonl')
};
