import type { LabelTask } from '../../schemas/project';
import {
	EXPORT_SPLITS,
	type DatasetSnapshot,
	type ExportEntry,
	type ExportFormat,
	type ExportItem,
	type ExportOptions,
	type ExportRecord,
	type ExportSplit
} from '../snapshot';
import { itemFileName } from '../paths';
import { csvRow } from './csv';
import { extraColumns, metadataFields } from './metadata';

/**
 * What the image writers share: class indices, cleaned boxes, the optional metadata and score
 * fields, and quoting for the text files they write (JSON, YAML, XML). Class index `i` is
 * always `task.classes[i]`; labels naming a class the task no longer has are left out.
 */

export class ImageExportError extends Error {
	constructor(
		readonly code: 'wrong-task' | 'no-pixel-size',
		message: string
	) {
		super(message);
		this.name = 'ImageExportError';
	}
}

/** Throws when `format` cannot write `task` (the export page offers only formats that can). */
export function assertTask(
	format: Pick<ExportFormat, 'name' | 'taskKinds' | 'multiLabel'>,
	task: LabelTask
) {
	if (!format.taskKinds.includes(task.kind)) {
		throw new ImageExportError('wrong-task', `${format.name} cannot hold ${task.kind} tasks.`);
	}
	if (task.kind === 'image-classification' && task.multiLabel && !format.multiLabel) {
		throw new ImageExportError('wrong-task', `${format.name} holds one class per image only.`);
	}
}

/** Class id → class index (position in the task). */
export function classIndex(task: LabelTask): Map<string, number> {
	return new Map(task.classes.map((c, i) => [c.id, i]));
}

/** The splits that have records, in train, validation, test order. */
export function splitsOf(records: readonly ExportRecord[]): ExportSplit[] {
	const present = new Set(records.map((r) => r.split));
	return EXPORT_SPLITS.filter((s) => present.has(s));
}

/** The record's known class indices, ascending, without repeats (classification labels). */
export function classesOf(record: ExportRecord, index: ReadonlyMap<string, number>): number[] {
	const value = record.label.value;
	if (value.type !== 'classes') return [];
	const known = value.classIds.map((id) => index.get(id)).filter((i) => i !== undefined);
	return [...new Set(known)].sort((a, b) => a - b);
}

/**
 * A single-label record's class index: its first known class id; null when it has none
 * (such items have no folder or label to go in, so single-label writers leave them out).
 */
export function singleClassOf(
	record: ExportRecord,
	index: ReadonlyMap<string, number>
): number | null {
	const value = record.label.value;
	if (value.type !== 'classes') return null;
	for (const id of value.classIds) {
		const i = index.get(id);
		if (i !== undefined) return i;
	}
	return null;
}

/** A box in absolute pixels of the EXIF-corrected image, top-left origin, inside the image. */
export type CleanBox = {
	cls: number;
	x: number;
	y: number;
	w: number;
	h: number;
	score: number | null;
};

/** Rounded to 1/1000 (pixels): no float noise such as 12.300000000000001 in the files. */
export const round3 = (v: number) => Math.round(v * 1000) / 1000;
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** The item's pixel size; detection formats cannot do without it. */
export function pixelSize(item: ExportItem): { width: number; height: number } {
	if (!item.width || !item.height) {
		throw new ImageExportError('no-pixel-size', `Image ${item.name} has no known pixel size.`);
	}
	return { width: item.width, height: item.height };
}

/**
 * The record's boxes with a known class, clipped to the image and rounded to 1/1000 pixel.
 * Boxes left with no area (outside the image, or zero-sized) are dropped: every detection
 * trainer rejects them.
 */
export function boxesOf(record: ExportRecord, index: ReadonlyMap<string, number>): CleanBox[] {
	const value = record.label.value;
	if (value.type !== 'boxes') return [];
	const { width, height } = pixelSize(record.item);
	const out: CleanBox[] = [];
	for (const b of value.boxes) {
		const cls = index.get(b.classId);
		if (cls === undefined) continue;
		if (![b.x, b.y, b.w, b.h].every(Number.isFinite)) continue;
		const x0 = round3(clamp(b.x, 0, width));
		const y0 = round3(clamp(b.y, 0, height));
		const x1 = round3(clamp(b.x + b.w, 0, width));
		const y1 = round3(clamp(b.y + b.h, 0, height));
		if (x1 <= x0 || y1 <= y0) continue;
		out.push({ cls, x: x0, y: y0, w: round3(x1 - x0), h: round3(y1 - y0), score: b.score });
	}
	return out;
}

/** `1 image`, `3 images`. */
export { plural } from '../../plural';

export const isoTime = (ms: number) => new Date(ms).toISOString();

/**
 * `metadata.csv` beside formats with no place of their own for metadata (folders, YOLO, VOC):
 * one row per exported image; loaders of those formats never look at it. Null when the
 * options ask for neither metadata nor scores.
 */
export function sidecarCsv(
	rows: readonly { file: string; split: ExportSplit; record: ExportRecord }[],
	options: Pick<ExportOptions, 'includeMetadata' | 'includeScores'>
): string | null {
	const columns = extraColumns(options);
	if (columns.length === 0) return null;
	let out = csvRow(['file', 'split', ...columns]);
	for (const { file, split, record } of rows) {
		const extra = metadataFields(record, options);
		out += csvRow([file, split, ...columns.map((c) => extra[c] ?? null)]);
	}
	return out;
}

/** Pretty JSON with a final newline. */
export const jsonText = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

/**
 * JSON of an object whose last key holds a long list: the head pretty, then one list element
 * per line, so big files stay small and still diff and grep well.
 */
export function jsonWithList(head: Record<string, unknown>, key: string, list: readonly unknown[]) {
	const empty = Object.keys(head).length === 0;
	const top = empty ? '{' : JSON.stringify(head, null, 2).slice(0, -2);
	const items = list.map((x) => JSON.stringify(x)).join(',\n');
	const sep = empty ? '\n' : ',\n';
	return `${top}${sep}  ${JSON.stringify(key)}: [${list.length > 0 ? `\n${items}\n  ` : ''}]\n}\n`;
}

const hex4 = (c: string) => '\\u' + (c.codePointAt(0) as number).toString(16).padStart(4, '0');

/**
 * A YAML double-quoted scalar that PyYAML reads back as `text`: JSON's escapes are YAML's,
 * and the characters YAML 1.1 treats as line breaks or refuses (C1 controls, U+2028/9,
 * BOM, U+FFFE/F) are escaped too.
 *
 * Example: `yamlString('a: "b"')` → `"a: \"b\""`.
 */
export function yamlString(text: string): string {
	return JSON.stringify(text).replace(/[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g, hex4);
}

const XML_INVALID =
	// eslint-disable-next-line no-control-regex
	/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text for an XML element or attribute: escaped, and without characters XML 1.0 forbids. */
export function xmlEscape(text: string): string {
	return text
		.replace(XML_INVALID, '')
		.replaceAll('&', '&amp;')
		.replaceAll('<', '&lt;')
		.replaceAll('>', '&gt;')
		.replaceAll('"', '&quot;')
		.replaceAll("'", '&apos;');
}

/** Text on one line (comments, one-name-per-line files): control and line-break runs → space. */
export function oneLine(text: string): string {
	// eslint-disable-next-line no-control-regex
	return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
}

/** An image's stored bytes as a zip entry under `folder` (stored: images are compressed already). */
export async function imageEntry(
	snapshot: DatasetSnapshot,
	item: ExportItem,
	folder: string
): Promise<ExportEntry> {
	return {
		path: `${folder}/${itemFileName(item)}`,
		bytes: await snapshot.readBytes(item),
		compress: false
	};
}
